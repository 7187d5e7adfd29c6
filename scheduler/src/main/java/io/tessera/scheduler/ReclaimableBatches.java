package io.tessera.scheduler;

/**
 * The dispatcher's bookkeeping of batches it handed to busy workers whose tasks other workers may
 * still take over: which workers are stealable, and whether resources or a worker came free since
 * those batches were last looked at. Whenever they did, {@link #startUnclaimed()} takes the front
 * half of the largest batch's unstarted tasks and starts them on another worker under a lease of
 * their own, and again while the request fits. Dispatcher thread only; nothing here is locked.
 */
final class ReclaimableBatches
{
    private final Dispatcher dispatcher;
    private final ResourcePool pool;
    private final Worker[] workers;

    /** Busy workers whose batch may still hold unstarted tasks. */
    private int stealableCount;
    /** Resources or a worker came free since batches were last looked at. */
    private boolean check;

    ReclaimableBatches(final Dispatcher dispatcher, final ResourcePool pool, final Worker[] workers)
    {
        this.dispatcher = dispatcher;
        this.pool = pool;
        this.workers = workers;
    }

    /** {@code w} was just handed a batch of more than one task. */
    void added(final Worker w)
    {
        w.stealable = true;
        stealableCount++;
    }

    /** {@code w} completed its work: its batch is drained, and it comes free. */
    void workerDone(final Worker w)
    {
        if (w.stealable)
        {
            w.stealable = false;
            stealableCount--;
        }
        check = true;
    }

    /** Resources came free (a worker blocked, a reservation was released). */
    void resourcesFreed()
    {
        check = true;
    }

    /**
     * When something came free since the last look and a batch may hold unstarted tasks, starts them
     * on workers of their own.
     *
     * @return how many tasks were started.
     */
    int startUnclaimed()
    {
        if (check)
        {
            check = false;
            if (stealableCount > 0)
            {
                return startUnclaimedBatchTasks();
            }
        }
        return 0;
    }

    /**
     * Starts tasks that sit unstarted in busy workers' batches on workers of their own, as long as
     * their request fits: each round takes the front half of the largest such batch.
     */
    private int startUnclaimedBatchTasks()
    {
        int started = 0;
        while (true)
        {
            Worker victim = null;
            int most = 0;
            final int count = dispatcher.workerCount;
            for (int i = 0; i < count; i++)
            {
                final Worker v = workers[i];
                if (!v.stealable || !pool.fits(v.leaseRequest, v.leaseResolved))
                {
                    continue;
                }
                final int left = v.unclaimed();
                if (left <= 0)
                {
                    v.stealable = false;
                    stealableCount--;
                }
                else if (left > most)
                {
                    victim = v;
                    most = left;
                }
            }
            if (victim == null)
            {
                return started;
            }
            final ResourceRequest r = victim.leaseRequest;
            final ResolvedRequest rr = victim.leaseResolved;
            final Worker w = dispatcher.acquireWorker(r.cpus() > 0 || r.gpus() > 0);
            if (w == null)
            {
                check = true;
                return started;
            }
            final int n = victim.takeUnclaimed(w.batch);
            if (n == 0)
            {
                dispatcher.returnIdle(w);
                continue;
            }
            dispatcher.startBatch(w, r, rr, pool.acquire(r, rr), n);
            started += n;
        }
    }
}
