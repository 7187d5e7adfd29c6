package io.tessera.scheduler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A worker thread. The dispatcher hands it one piece of work at a time through {@link #work} (a
 * batch of tasks sharing one request and one lease, or a mailbox to drain); the worker runs it and
 * reports back with a COMPLETE event on the submission ring, which is where the dispatcher releases
 * what the work held. Idle, it spins, then yields, then parks until the dispatcher hands it something
 * ({@link SpinYieldParkIdleStrategy}).
 *
 * <p>A batch's tasks are claimed one at a time through {@link #batchHead}, a cursor into
 * {@link #batch}: the worker takes the next task with an atomic increment just before it runs it, and
 * the dispatcher may take the front half of the tasks not yet claimed ({@link #takeUnclaimed}) with a
 * compare-and-set on the same cursor, to start them on another worker when a CPU frees up. Each slot
 * is claimed exactly once; nothing is locked.
 */
final class Worker extends Thread
{
    private static final VarHandle COMPLETED;
    private static final VarHandle BATCH_HEAD;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            COMPLETED = lookup.findVarHandle(Worker.class, "completed", long.class);
            BATCH_HEAD = lookup.findVarHandle(Worker.class, "batchHead", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    final LocalScheduler scheduler;
    private final GpuBinder binder;
    private final SpinYieldParkIdleStrategy idle;
    private final ThreadPinning pinning;
    private final int mailboxBatch;

    /** The marker handed over as {@link #work} when {@link #batch} holds the tasks to run. */
    static final Object BATCH = new Object();

    volatile Object work;
    /** Tasks with one request, run back to back under one lease; filled by the dispatcher. */
    final Task[] batch;
    /** End of the batch; written by the dispatcher before it hands the batch over, then only read. */
    int batchSize;
    /**
     * The next slot of {@link #batch} nobody has claimed. The worker claims with get-and-add (so it
     * ends past {@link #batchSize}), the dispatcher and a blocking worker with compare-and-set and
     * get-and-set; it only moves forward until the dispatcher refills an idle worker's batch.
     */
    @SuppressWarnings("unused")
    private volatile int batchHead;
    volatile boolean parked;
    volatile boolean stop;

    /* Written by the dispatcher before it hands over work; read by this worker after. */
    Grant grant;

    /* Dispatcher-owned lease bookkeeping: written through lease/clearLease/block/unblock (stealable: by
       ReclaimableBatches), read by the dispatcher. */
    boolean busy;
    /** The dispatcher handed this worker a batch of more than one task and has not seen it drained. */
    boolean stealable;
    boolean blocked;
    double leaseCpus;
    ResourceRequest leaseRequest;
    ResolvedRequest leaseResolved;
    Mailbox leaseMailbox;
    Grant leaseGrant;

    /* Owned by this worker thread. */
    private int blockDepth;
    private boolean blockPublished;
    private boolean inWork;
    @SuppressWarnings("unused")
    private long completed;

    Worker(final LocalScheduler scheduler, final int index, final SchedulerContext ctx)
    {
        super("tessera-worker-" + index);
        setDaemon(true);
        this.scheduler = scheduler;
        this.binder = ctx.gpuBinder();
        this.idle = SpinYieldParkIdleStrategy.of(ctx, this::park);
        this.pinning = ctx.threadPinning();
        this.mailboxBatch = ctx.mailboxBatch();
        this.batch = new Task[ctx.workerBatch()];
    }

    /** Dispatcher side, before it hands over a batch: the worker runs under {@code g}, granted for {@code r}. */
    void lease(final ResourceRequest r, final ResolvedRequest rr, final Grant g)
    {
        busy = true;
        leaseRequest = r;
        leaseResolved = rr;
        leaseCpus = r.cpus();
        grant = g;
        leaseGrant = g;
    }

    /** Dispatcher side, before it hands over {@code m}: the worker runs under the mailbox's reservation. */
    void lease(final Mailbox m)
    {
        busy = true;
        leaseMailbox = m;
        leaseCpus = m.grant.cpus();
    }

    /** Dispatcher side, once the worker reported its work complete and what it held was released. */
    void clearLease()
    {
        leaseMailbox = null;
        leaseGrant = null;
        leaseRequest = null;
        leaseResolved = null;
        leaseCpus = 0;
        busy = false;
    }

    /**
     * Dispatcher side: the worker entered a blocking call.
     *
     * @return true when it holds work and was not blocked already (its CPUs are to be lent out).
     */
    boolean block()
    {
        if (busy && !blocked)
        {
            blocked = true;
            return true;
        }
        return false;
    }

    /**
     * Dispatcher side: the worker left its blocking call, or completed while in one.
     *
     * @return true when it was blocked (its CPUs are to be taken back).
     */
    boolean unblock()
    {
        if (blocked)
        {
            blocked = false;
            return true;
        }
        return false;
    }

    long completed()
    {
        return (long)COMPLETED.getOpaque(this);
    }

    /** Dispatcher side, at shutdown: the worker ends once its current work is done. */
    void requestStop()
    {
        stop = true;
        LockSupport.unpark(this);
    }

    /** Dispatcher side: hands work over and wakes the worker if it parked. */
    void handOff(final Object w)
    {
        work = w;
        if (parked)
        {
            LockSupport.unpark(this);
        }
    }

    /** How this worker waits for work, with its counters (tests, statistics). */
    SpinYieldParkIdleStrategy idleStrategy()
    {
        return idle;
    }

    @Override
    public void run()
    {
        final Runnable unpin = pinning == null ? null : pin(pinning);
        try
        {
            Object w;
            while ((w = awaitWork()) != null)
            {
                inWork = true;
                try
                {
                    if (w == BATCH)
                    {
                        runBatch();
                    }
                    else
                    {
                        runMailbox((Mailbox)w);
                    }
                }
                catch (final Throwable t)
                {
                    scheduler.reportError(t);
                }
                inWork = false;
                if (blockDepth > 0)
                {
                    blockDepth = 0;
                    endBlockingNow();
                }
                work = null;
                scheduler.publish(SchedulerEvent.COMPLETE_T, null, this);
            }
        }
        finally
        {
            if (unpin != null)
            {
                unpin(unpin);
            }
            scheduler.workerExited();
        }
    }

    private Runnable pin(final ThreadPinning p)
    {
        try
        {
            return p.pin(getName());
        }
        catch (final Throwable t)
        {
            scheduler.reportError(t);
            return null;
        }
    }

    private void unpin(final Runnable unpin)
    {
        try
        {
            unpin.run();
        }
        catch (final Throwable t)
        {
            scheduler.reportError(t);
        }
    }

    private Object awaitWork()
    {
        idle.reset();
        while (true)
        {
            final Object w = work;
            if (w != null)
            {
                return w;
            }
            if (stop)
            {
                return null;
            }
            idle.idle();
        }
    }

    /** The idle strategy's last step: parks until {@link #handOff} or {@link #requestStop} unparks. */
    private void park()
    {
        parked = true;
        if (work == null && !stop)
        {
            LockSupport.park(this);
        }
        parked = false;
        Thread.interrupted();
    }

    /** Dispatcher side, before {@link #handOff}: the batch holds {@code size} tasks from slot 0. */
    void batchFilled(final int size)
    {
        batchSize = size;
        BATCH_HEAD.setRelease(this, 0);
    }

    /** Dispatcher side: how many tasks of the batch no one has claimed yet (0 or less: none). */
    int unclaimed()
    {
        return batchSize - (int)BATCH_HEAD.getAcquire(this);
    }

    /**
     * Dispatcher side: claims the front half (rounded up) of the tasks no one has claimed yet and
     * copies those still pending into {@code into}, oldest first; cancelled ones are dropped.
     *
     * @return how many tasks were copied.
     */
    int takeUnclaimed(final Task[] into)
    {
        final int end = batchSize;
        int head;
        int take;
        do
        {
            head = (int)BATCH_HEAD.getAcquire(this);
            final int left = end - head;
            if (left <= 0)
            {
                return 0;
            }
            take = (left + 1) >>> 1;
        }
        while (!BATCH_HEAD.compareAndSet(this, head, head + take));
        final Task[] tasks = batch;
        int n = 0;
        for (int i = head, last = head + take; i < last; i++)
        {
            final Task t = tasks[i];
            tasks[i] = null;
            if (t.state == Task.PENDING)
            {
                into[n++] = t;
            }
        }
        return n;
    }

    private void runBatch()
    {
        final Grant g = grant;
        final int[] gpuIds = g.gpuIdsUnsafe();
        final Task[] tasks = batch;
        final int end = batchSize;
        int i;
        while ((i = (int)BATCH_HEAD.getAndAdd(this, 1)) < end)
        {
            final Task t = tasks[i];
            tasks[i] = null;
            runOne(t, g, gpuIds);
        }
    }

    /** Gives the batch's unclaimed tasks back to the dispatcher, front of its queue, order kept. */
    private void requeueRestOfBatch()
    {
        final Task[] tasks = batch;
        final int end = batchSize;
        final int head = (int)BATCH_HEAD.getAndSet(this, end);
        for (int i = end - 1; i >= head; i--)
        {
            final Task t = tasks[i];
            tasks[i] = null;
            scheduler.publish(SchedulerEvent.REQUEUE_T, t, null);
        }
    }

    private void runOne(final Task task, final Grant g, final int[] gpuIds)
    {
        task.runner = this;
        if (!task.casState(Task.PENDING, Task.RUNNING))
        {
            task.runner = null;
            return;
        }
        final boolean bind = gpuIds.length > 0 && binder != null;
        try
        {
            if (bind)
            {
                binder.bind(gpuIds);
            }
            task.run(g);
        }
        catch (final Throwable t)
        {
            scheduler.reportError(t);
        }
        finally
        {
            if (bind)
            {
                try
                {
                    binder.unbind();
                }
                catch (final Throwable t)
                {
                    scheduler.reportError(t);
                }
            }
        }
        if (!task.casState(Task.RUNNING, Task.DONE))
        {
            while (task.state == Task.INTERRUPTING)
            {
                Thread.onSpinWait();
            }
        }
        Thread.interrupted();
        task.runner = null;
        COMPLETED.setRelease(this, completed + 1);
    }

    private void runMailbox(final Mailbox m)
    {
        final Grant g = m.grant;
        final int[] gpuIds = g.gpuIdsUnsafe();
        int ran = 0;
        while (true)
        {
            final Throwable closed = m.closeReason;
            if (closed != null)
            {
                scheduler.drainClosed(m, closed);
                if (m.releaseAndRecheck())
                {
                    continue;
                }
                return;
            }
            final Task call = m.peek();
            if (call == null)
            {
                if (m.releaseAndRecheck())
                {
                    continue;
                }
                return;
            }
            if (call.state != Task.PENDING)
            {
                m.pop(call);
                continue;
            }
            if (call.pendingDeps > 0)
            {
                if (m.releaseAndRecheck())
                {
                    continue;
                }
                return;
            }
            if (ran >= mailboxBatch)
            {
                scheduler.publish(SchedulerEvent.MAILBOX_READY_T, null, m);
                return;
            }
            m.pop(call);
            m.currentCall = call;
            if (m.closeReason != null)
            {
                m.currentCall = null;
                call.abandon(m.closeReason, scheduler.errorHandler);
                continue;
            }
            runOne(call, g, gpuIds);
            m.currentCall = null;
            if (blockDepth > 0)
            {
                blockDepth = 0;
                endBlockingNow();
            }
            ran++;
        }
    }

    void beginBlocking()
    {
        if (blockDepth++ == 0 && inWork)
        {
            if (work == BATCH)
            {
                requeueRestOfBatch();
            }
            blockPublished = true;
            scheduler.publish(SchedulerEvent.BLOCK_T, null, this);
        }
    }

    void endBlocking()
    {
        if (blockDepth > 0 && --blockDepth == 0)
        {
            endBlockingNow();
        }
    }

    private void endBlockingNow()
    {
        if (blockPublished)
        {
            blockPublished = false;
            scheduler.publish(SchedulerEvent.UNBLOCK_T, null, this);
        }
    }
}
