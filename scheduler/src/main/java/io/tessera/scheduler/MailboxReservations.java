package io.tessera.scheduler;

import java.util.ArrayDeque;

/**
 * The dispatcher's side of actor mailboxes: lifetime reservations waiting for their resources (FIFO,
 * granted while the head fits), mailboxes with calls ready to run waiting for a worker, and the
 * release of a reservation once its mailbox is closed and no worker runs it. Dispatcher thread only;
 * nothing here is locked.
 */
final class MailboxReservations
{
    private final LocalScheduler scheduler;
    private final Dispatcher dispatcher;
    private final ResourcePool pool;
    private final ReclaimableBatches batches;
    private final ArrayDeque<Mailbox> reservations = new ArrayDeque<>();
    private final ArrayDeque<Mailbox> runnable = new ArrayDeque<>();

    MailboxReservations(
        final LocalScheduler scheduler,
        final Dispatcher dispatcher,
        final ResourcePool pool,
        final ReclaimableBatches batches)
    {
        this.scheduler = scheduler;
        this.dispatcher = dispatcher;
        this.pool = pool;
        this.batches = batches;
    }

    void onCreate(final Mailbox m)
    {
        if (m.closeReason != null)
        {
            m.released = true;
            return;
        }
        reservations.add(m);
    }

    void onReady(final Mailbox m)
    {
        if (m.closeReason != null)
        {
            drainClosedHere(m);
        }
        else if (m.grant == null)
        {
            m.runWhenGranted = true;
        }
        else
        {
            runnable.add(m);
        }
    }

    void onClose(final Mailbox m)
    {
        if (m.grant == null)
        {
            m.released = true;
        }
        else if (m.onWorkers == 0)
        {
            release(m);
        }
    }

    /** A worker that ran {@code m} completed. */
    void workerDone(final Mailbox m)
    {
        m.onWorkers--;
        if (m.closeReason != null && m.onWorkers == 0)
        {
            release(m);
        }
    }

    /**
     * Grants reservations in order while the head's lifetime request fits.
     *
     * @return how many were granted.
     */
    int grantReservations()
    {
        int granted = 0;
        while (!reservations.isEmpty())
        {
            final Mailbox m = reservations.peekFirst();
            if (m.closeReason != null)
            {
                reservations.pollFirst();
                m.released = true;
                if (m.runWhenGranted)
                {
                    m.runWhenGranted = false;
                    drainClosedHere(m);
                }
                continue;
            }
            final ResolvedRequest rr = pool.resolve(m.lifetime);
            if (!pool.fits(m.lifetime, rr))
            {
                break;
            }
            reservations.pollFirst();
            m.grant = pool.acquire(m.lifetime, rr);
            granted++;
            if (m.runWhenGranted)
            {
                m.runWhenGranted = false;
                runnable.add(m);
            }
        }
        return granted;
    }

    /**
     * Hands runnable mailboxes to workers, in order, while one is to be had.
     *
     * @return how many were started.
     */
    int startRunnable()
    {
        int started = 0;
        while (!runnable.isEmpty())
        {
            final Mailbox m = runnable.peekFirst();
            if (m.closeReason != null)
            {
                runnable.pollFirst();
                drainClosedHere(m);
                continue;
            }
            final Worker w = dispatcher.acquireWorker(false);
            if (w == null)
            {
                break;
            }
            runnable.pollFirst();
            w.lease(m);
            m.onWorkers++;
            dispatcher.started(w, m);
            started++;
        }
        return started;
    }

    /** At shutdown, after the live mailboxes were closed: abandons what waits here. */
    void abandonQueued()
    {
        for (final Mailbox m : runnable)
        {
            drainClosedHere(m);
        }
        runnable.clear();
        for (final Mailbox m : reservations)
        {
            if (m.runWhenGranted)
            {
                drainClosedHere(m);
            }
        }
        reservations.clear();
    }

    /** The dispatcher holds the mailbox's consume right: abandon everything queued in it. */
    void drainClosedHere(final Mailbox m)
    {
        do
        {
            scheduler.drainClosed(m, m.closeReason);
        }
        while (m.releaseAndRecheck());
        if (m.onWorkers == 0)
        {
            release(m);
        }
    }

    private void release(final Mailbox m)
    {
        final Grant g = m.grant;
        if (!m.released && g != null)
        {
            m.released = true;
            if (!m.lifetime.isZero())
            {
                pool.release(g, m.lifetime, pool.resolve(m.lifetime));
                batches.resourcesFreed();
            }
        }
    }
}
