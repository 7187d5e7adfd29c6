package io.tessera.scheduler;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import java.util.ArrayDeque;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that owns the scheduler's state: resource accounting, the ready queue, the list of
 * tasks waiting on dependencies, actor reservations and the worker pool. Nothing here is locked;
 * everything else reaches it through events on the submission ring. An Agrona {@link Agent}:
 * {@link #doWork()} drains a bounded batch of events, then starts what fits; an {@code AgentRunner}
 * calls it on the {@code tessera-dispatcher} thread with the context's idle strategy
 * ({@link SchedulerContext#dispatcherIdleStrategy()}, by default {@link SpinYieldParkIdleStrategy}),
 * and a test may step it by hand through an {@code AgentInvoker}.
 *
 * <p>Workers: {@code ceil(cpus)} start with the scheduler. Work that holds CPUs (or GPUs) starts
 * a new worker whenever it fits and none is idle, up to {@code maxWorkers}; resources bound that
 * growth. Work that holds nothing (actor calls of 0-CPU actors, 0-CPU tasks) starts one only while
 * fewer than {@code ceil(cpus)} workers are unblocked, or when no worker has finished anything for
 * {@code workerStallNs} and every busy worker is parked or waiting (not merely preempted).
 *
 * <p>Ready-queue order is FIFO among tasks that fit. When the head does not fit, up to
 * {@value #SCAN_WINDOW} tasks behind it may start ahead of it, but only {@value #BYPASS_LIMIT} times
 * for the same head: after that nothing new starts until the head fits, so a big task is delayed
 * by a bounded amount of small work and never starves.
 *
 * <p>Batches: when taking a CPU leaves the node full with no idle worker, the tasks queued right
 * behind with the same request go to that worker too, to run back to back under its lease (fewer
 * hand-offs for floods of short tasks). They stay reclaimable until the worker starts them: whenever
 * resources or a worker free up, the dispatcher takes the front half of the largest batch's unstarted
 * tasks and starts them on another worker under a lease of their own, and again while the request
 * fits ({@link ReclaimableBatches}). So a queued task never waits behind another one while a CPU it
 * could use is free, and N equal tasks on C CPUs take ceil(N/C) task-times.
 *
 * <p>Actor mailboxes' reservations and hand-offs are {@link MailboxReservations}'; tasks waiting on
 * dependencies sit in {@link WaitingTasks}.
 */
final class Dispatcher implements Agent, EventPoller.Handler<SchedulerEvent>
{
    static final int EVENT_BATCH = 1024;
    static final int SCAN_WINDOW = 32;
    static final int BYPASS_LIMIT = 256;

    private final LocalScheduler scheduler;
    private final SchedulerContext ctx;
    private final RingBuffer<SchedulerEvent> ring;
    private final EventPoller<SchedulerEvent> poller;
    final ResourcePool pool;

    private final TaskQueue ready = new TaskQueue(1024);
    private final ReclaimableBatches batches;
    private final MailboxReservations mailboxes;
    /** Events this thread raised itself (from engine callbacks) while the ring was full. */
    private final ArrayDeque<SchedulerEvent> overflow = new ArrayDeque<>();
    private final WaitingTasks waiting = new WaitingTasks();
    final Worker[] workers;
    private final Worker[] idle;
    private int idleCount;
    volatile int workerCount;
    private final int coreTarget;

    private int eventsThisCycle;
    private Task bypassedHead;
    private int bypasses;
    private long freedCount;
    private long freedAtStallCheck = -1;
    private long stallSinceNs;
    private boolean stallPending;
    private boolean shuttingDown;
    /** Releases the dispatcher thread's core when it was pinned ({@link SchedulerContext#threadPinning()}). */
    private Runnable unpin;

    /* Statistics, read racily by other threads. */
    volatile long queuedCount;
    volatile long runningCount;
    volatile int blockedCount;

    /** Cleared by {@link LocalScheduler#close()}: the next duty cycle ends the runner's loop. */
    volatile boolean running = true;
    /** Set while parked by {@link #park()}: publishers then unpark the dispatcher thread. */
    volatile boolean sleeping;

    Dispatcher(final LocalScheduler scheduler, final SchedulerContext ctx, final RingBuffer<SchedulerEvent> ring)
    {
        this.scheduler = scheduler;
        this.ctx = ctx;
        this.ring = ring;
        this.poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        this.pool = new ResourcePool(ctx);
        this.workers = new Worker[ctx.maxWorkers()];
        this.idle = new Worker[ctx.maxWorkers()];
        this.coreTarget = Math.min(ctx.maxWorkers(), Math.max(1, (int)Math.ceil(ctx.cpus())));
        this.batches = new ReclaimableBatches(this, pool, workers);
        this.mailboxes = new MailboxReservations(scheduler, this, pool, batches);
    }

    long waitingCount()
    {
        return waiting.size();
    }

    void startInitialWorkers()
    {
        for (int i = 0; i < coreTarget; i++)
        {
            idle[idleCount++] = spawn();
        }
    }

    @Override
    public String roleName()
    {
        return "tessera-dispatcher";
    }

    /**
     * The default idle strategy's last step ({@link SpinYieldParkIdleStrategy}): parks until a publisher
     * sees {@link #sleeping} and unparks this thread, or for {@code workerStallNs} while a stalled-worker
     * check is due; returns at once when an event arrived meanwhile or the scheduler is closing.
     */
    void park()
    {
        sleeping = true;
        if (!hasEvents() && running)
        {
            if (stallPending)
            {
                LockSupport.parkNanos(this, Math.max(10_000L, ctx.workerStallNs()));
            }
            else
            {
                LockSupport.park(this);
            }
        }
        sleeping = false;
    }

    /** On the dispatcher thread, before its first duty cycle: pins it when the context asks to. */
    @Override
    public void onStart()
    {
        final ThreadPinning pinning = ctx.threadPinning();
        if (pinning != null && scheduler.hasDispatcherThread())
        {
            unpin = pinning.pin(roleName());
        }
    }

    /** After the duty cycles end (the runner stopped, or an invoker closed): abandons the rest, stops the workers. */
    @Override
    public void onClose()
    {
        try
        {
            shutdown();
        }
        finally
        {
            final Runnable u = unpin;
            unpin = null;
            if (u != null)
            {
                u.run();
            }
        }
    }

    private boolean hasEvents()
    {
        return !overflow.isEmpty() || ring.getCursor() > poller.getSequence().get();
    }

    /**
     * Called on this thread when an engine callback it runs (such as {@code abandoned}) publishes
     * while the ring is full: waiting would deadlock, since only this thread drains the ring.
     */
    void defer(final SchedulerEvent.Translator translator, final Task task, final Object subject)
    {
        final SchedulerEvent e = new SchedulerEvent();
        translator.translateTo(e, -1, task, subject);
        overflow.addLast(e);
    }

    /**
     * One duty cycle: a bounded batch of events, then dispatch.
     *
     * @return the work done: events handled plus tasks and mailboxes started.
     * @throws AgentTerminationException once {@link LocalScheduler#close()} cleared {@link #running}.
     */
    @Override
    public int doWork()
    {
        if (!running)
        {
            throw new AgentTerminationException("scheduler closed", null, true, false, false);
        }
        // only close() stops the dispatcher: a stray interrupt (from a callback run here) would end the runner's loop
        Thread.interrupted();
        try
        {
            return dutyCycle();
        }
        catch (final Throwable t)
        {
            // as any error here: reported, and the loop goes on (the runner would end it on an Error)
            scheduler.reportError(t);
            return 1;
        }
    }

    private int dutyCycle()
    {
        eventsThisCycle = 0;
        SchedulerEvent deferred;
        while ((deferred = overflow.pollFirst()) != null)
        {
            onEvent(deferred, -1, false);
        }
        try
        {
            poller.poll(this);
        }
        catch (final Exception e)
        {
            scheduler.reportError(e);
        }
        final int events = eventsThisCycle;
        final int started = shuttingDown ? 0 : dispatch();
        return events + started;
    }

    @Override
    public boolean onEvent(final SchedulerEvent event, final long sequence, final boolean endOfBatch)
    {
        final Task task = event.task;
        final Object subject = event.subject;
        final int type = event.type;
        event.clear();
        switch (type)
        {
            case SchedulerEvent.SUBMIT -> onSubmit(task);
            case SchedulerEvent.DEPS_READY -> onDepsReady(task);
            case SchedulerEvent.COMPLETE -> onComplete((Worker)subject);
            case SchedulerEvent.CANCEL -> onCancel(task);
            case SchedulerEvent.BLOCK -> onBlock((Worker)subject);
            case SchedulerEvent.UNBLOCK -> onUnblock((Worker)subject);
            case SchedulerEvent.MAILBOX_CREATE -> mailboxes.onCreate((Mailbox)subject);
            case SchedulerEvent.MAILBOX_READY -> mailboxes.onReady((Mailbox)subject);
            case SchedulerEvent.MAILBOX_CLOSE -> mailboxes.onClose((Mailbox)subject);
            case SchedulerEvent.REQUEUE -> onRequeue(task);
            default ->
            {
            }
        }
        return ++eventsThisCycle < EVENT_BATCH;
    }

    private void onSubmit(final Task task)
    {
        if (task.state != Task.PENDING)
        {
            task.dispatchState = Task.D_GONE;
            return;
        }
        if (shuttingDown)
        {
            task.dispatchState = Task.D_GONE;
            task.abandon(LocalScheduler.closedException(), scheduler.errorHandler);
            return;
        }
        final ResolvedRequest rr = pool.resolve(task.request());
        if (rr.infeasibleReason != null)
        {
            task.dispatchState = Task.D_GONE;
            task.abandon(new SchedulerException("infeasible on this node: " + rr.infeasibleReason),
                scheduler.errorHandler);
            return;
        }
        if (task.pendingDeps > 0)
        {
            task.dispatchState = Task.D_WAITING;
            waiting.add(task);
        }
        else
        {
            task.dispatchState = Task.D_READY;
            ready.add(task);
        }
    }

    private void onDepsReady(final Task task)
    {
        if (task.dispatchState != Task.D_WAITING)
        {
            return;
        }
        waiting.remove(task);
        if (task.state != Task.PENDING)
        {
            task.dispatchState = Task.D_GONE;
            return;
        }
        task.dispatchState = Task.D_READY;
        ready.add(task);
    }

    private void onRequeue(final Task task)
    {
        if (task.state != Task.PENDING)
        {
            return;
        }
        if (shuttingDown)
        {
            task.abandon(LocalScheduler.closedException(), scheduler.errorHandler);
            return;
        }
        task.dispatchState = Task.D_READY;
        ready.addFirst(task);
    }

    private void onCancel(final Task task)
    {
        if (task.dispatchState == Task.D_WAITING)
        {
            waiting.remove(task);
            task.dispatchState = Task.D_GONE;
        }
    }

    private void onComplete(final Worker w)
    {
        final Mailbox m = w.leaseMailbox;
        if (m != null)
        {
            mailboxes.workerDone(m);
        }
        else if (w.leaseRequest != null)
        {
            pool.release(w.leaseGrant, w.leaseRequest, w.leaseResolved);
        }
        batches.workerDone(w);
        if (w.unblock())
        {
            blockedCount = blockedCount - 1;
            pool.adjustCpus(-w.leaseCpus);
        }
        w.clearLease();
        runningCount = runningCount - 1;
        freedCount++;
        if (!shuttingDown)
        {
            idle[idleCount++] = w;
        }
    }

    private void onBlock(final Worker w)
    {
        if (w.block())
        {
            blockedCount = blockedCount + 1;
            pool.adjustCpus(w.leaseCpus);
            batches.resourcesFreed();
        }
    }

    private void onUnblock(final Worker w)
    {
        if (w.unblock())
        {
            blockedCount = blockedCount - 1;
            pool.adjustCpus(-w.leaseCpus);
        }
    }

    private int dispatch()
    {
        int started = mailboxes.grantReservations();
        stallPending = false;
        started += mailboxes.startRunnable();

        final TaskQueue q = ready;
        int i = 0;
        while (i < q.size() && i < SCAN_WINDOW)
        {
            final Task t = q.get(i);
            if (t.state != Task.PENDING)
            {
                q.removeAt(i);
                t.dispatchState = Task.D_GONE;
                continue;
            }
            if (i > 0)
            {
                final Task head = q.get(0);
                if (head != bypassedHead)
                {
                    bypassedHead = head;
                    bypasses = 0;
                }
                if (bypasses >= BYPASS_LIMIT)
                {
                    break;
                }
            }
            final ResourceRequest r = t.request();
            final ResolvedRequest rr = pool.resolve(r);
            if (!pool.fits(r, rr))
            {
                i++;
                continue;
            }
            final Worker w = acquireWorker(r.cpus() > 0 || r.gpus() > 0);
            if (w == null)
            {
                break;
            }
            q.removeAt(i);
            if (i > 0)
            {
                bypasses++;
            }
            t.dispatchState = Task.D_GONE;
            final Grant g = pool.acquire(r, rr);
            final Task[] batch = w.batch;
            batch[0] = t;
            int n = 1;
            if (idleCount == 0 && n < batch.length && !pool.fits(r, rr))
            {
                while (n < batch.length && i < q.size())
                {
                    final Task next = q.get(i);
                    if (next.request() != r || next.state != Task.PENDING)
                    {
                        break;
                    }
                    q.removeAt(i);
                    next.dispatchState = Task.D_GONE;
                    batch[n++] = next;
                }
            }
            startBatch(w, r, rr, g, n);
            started += n;
        }
        queuedCount = q.size();
        return started + batches.startUnclaimed();
    }

    /** Leases {@code g} to {@code w} and hands it the first {@code n} tasks of its batch. */
    void startBatch(final Worker w, final ResourceRequest r, final ResolvedRequest rr, final Grant g, final int n)
    {
        w.lease(r, rr, g);
        w.batchFilled(n);
        if (n > 1)
        {
            batches.added(w);
        }
        started(w, Worker.BATCH);
    }

    /** Counts {@code w} as running and hands it {@code work}; its lease is set. */
    void started(final Worker w, final Object work)
    {
        runningCount = runningCount + 1;
        w.handOff(work);
    }

    /** Puts back a worker {@link #acquireWorker} gave out that got nothing to do. */
    void returnIdle(final Worker w)
    {
        idle[idleCount++] = w;
    }

    Worker acquireWorker(final boolean holdsResources)
    {
        if (idleCount > 0)
        {
            final Worker w = idle[--idleCount];
            idle[idleCount] = null;
            return w;
        }
        if (workerCount >= workers.length)
        {
            return null;
        }
        if (holdsResources || workerCount - blockedCount < coreTarget)
        {
            return spawn();
        }
        final long now = System.nanoTime();
        if (freedCount != freedAtStallCheck)
        {
            freedAtStallCheck = freedCount;
            stallSinceNs = now;
        }
        else if (now - stallSinceNs >= ctx.workerStallNs())
        {
            stallSinceNs = now;
            if (!anyBusyWorkerRunnable())
            {
                return spawn();
            }
        }
        stallPending = true;
        return null;
    }

    /**
     * A busy worker the OS reports runnable is computing (or only preempted), so another thread
     * would not help; only when every busy worker is parked, waiting or sleeping is one added.
     */
    private boolean anyBusyWorkerRunnable()
    {
        final int n = workerCount;
        for (int i = 0; i < n; i++)
        {
            final Worker w = workers[i];
            if (w.busy && !w.blocked && w.getState() == Thread.State.RUNNABLE)
            {
                return true;
            }
        }
        return false;
    }

    private Worker spawn()
    {
        final int index = workerCount;
        final Worker w = new Worker(scheduler, index, ctx);
        workers[index] = w;
        workerCount = index + 1;
        scheduler.workerStarted();
        w.start();
        return w;
    }

    /** After the loop ends: abandon what is queued, stop the workers, drain late events. */
    private void shutdown()
    {
        shuttingDown = true;
        final IllegalStateException closed = LocalScheduler.closedException();
        for (final Mailbox m : scheduler.liveMailboxes())
        {
            if (scheduler.closeMailboxQuietly(m, closed) && m.tryClaim())
            {
                mailboxes.drainClosedHere(m);
            }
        }
        drainRing();
        Task t;
        while ((t = ready.poll()) != null)
        {
            t.abandon(closed, scheduler.errorHandler);
        }
        queuedCount = 0;
        waiting.abandonAll(closed, scheduler);
        mailboxes.abandonQueued();
        final int n = workerCount;
        for (int i = 0; i < n; i++)
        {
            final Worker w = workers[i];
            w.requestStop();
        }
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        boolean interrupted = false;
        while (anyAlive(n) && System.nanoTime() < deadlineNs)
        {
            drainRing();
            if (!interrupted && System.nanoTime() > deadlineNs - 9_000_000_000L)
            {
                interrupted = true;
                for (int i = 0; i < n; i++)
                {
                    workers[i].interrupt();
                }
            }
            LockSupport.parkNanos(100_000L);
        }
        drainRing();
    }

    private boolean anyAlive(final int n)
    {
        for (int i = 0; i < n; i++)
        {
            if (workers[i].isAlive())
            {
                return true;
            }
        }
        return false;
    }

    private void drainRing()
    {
        do
        {
            eventsThisCycle = 0;
            SchedulerEvent deferred;
            while ((deferred = overflow.pollFirst()) != null)
            {
                onEvent(deferred, -1, false);
            }
            try
            {
                poller.poll(this);
            }
            catch (final Exception e)
            {
                scheduler.reportError(e);
            }
        }
        while (eventsThisCycle > 0);
    }
}
