package io.tessera.scheduler;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.BusySpinWaitStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

/**
 * The node's local scheduler. Any thread submits tasks and actor calls into a multi-producer
 * Disruptor ring (preallocated entries, published through translators); one dispatcher thread
 * ({@code tessera-dispatcher}, an Agrona agent: see {@link Dispatcher}) owns every queue and all resource accounting
 * and hands work to worker
 * threads ({@code tessera-worker-N}); workers report completion back through the same ring.
 *
 * <p>A task runs only when its whole request (CPU, GPU devices, memory, custom resources) fits, and
 * gives everything back when it ends, fails or is cancelled. A task with pending dependencies holds
 * nothing until its last {@link #dependencyResolved(Task)}. Actors are {@link Mailbox}es: their calls
 * run one at a time, in order, on the shared workers, under the actor's lifetime reservation.
 */
public final class LocalScheduler implements AutoCloseable
{
    private static final Grant ZERO_GRANT = new Grant(ResourceRequest.NONE, Grant.NO_GPUS);

    private final RingBuffer<SchedulerEvent> ring;
    private final Dispatcher dispatcher;
    /** Null when the dispatcher is stepped by hand ({@link #invoker}). */
    private final Thread dispatcherThread;
    /** Null unless built by {@link #steppedByHand}. */
    private final AgentInvoker invoker;
    /** The dispatcher's idle strategy when it is the scheduler's own (not a configured Agrona one, not stepped by hand). */
    private final SpinYieldParkIdleStrategy dispatcherIdle;
    final Consumer<Throwable> errorHandler;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong mailboxIds = new AtomicLong();
    private final AtomicInteger liveWorkers = new AtomicInteger();
    private final ConcurrentHashMap<Long, Mailbox> mailboxes = new ConcurrentHashMap<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * Starts a scheduler: its dispatcher thread runs at once, worker threads start as work needs them.
     *
     * @param ctx the node's totals and tuning; read once, later changes to it have no effect.
     */
    public LocalScheduler(final SchedulerContext ctx)
    {
        this(ctx, false);
    }

    /**
     * For tests: a scheduler whose dispatcher has no thread; {@link #invoker()} steps its duty cycle.
     */
    static LocalScheduler steppedByHand(final SchedulerContext ctx)
    {
        return new LocalScheduler(ctx, true);
    }

    private LocalScheduler(final SchedulerContext ctx, final boolean byHand)
    {
        Objects.requireNonNull(ctx, "ctx");
        final Consumer<Throwable> handler = ctx.errorHandler();
        this.errorHandler = t ->
        {
            errors.incrementAndGet();
            try
            {
                handler.accept(t);
            }
            catch (final Throwable ignored)
            {
                // the error handler itself failed; the count above still records the error
            }
        };
        this.ring = RingBuffer.create(ProducerType.MULTI, SchedulerEvent::new, ctx.submissionRingSize(),
            new BusySpinWaitStrategy());
        this.dispatcher = new Dispatcher(this, ctx, ring);
        dispatcher.startInitialWorkers();
        if (byHand)
        {
            this.invoker = new AgentInvoker(this::reportError, null, dispatcher);
            this.dispatcherThread = null;
            this.dispatcherIdle = null;
            invoker.start();
        }
        else
        {
            this.dispatcherIdle = ctx.dispatcherIdleStrategy() != null ? null :
                SpinYieldParkIdleStrategy.of(ctx, dispatcher::park);
            final IdleStrategy idle = dispatcherIdle != null ? dispatcherIdle : ctx.dispatcherIdleStrategy();
            this.invoker = null;
            this.dispatcherThread = new Thread(new AgentRunner(idle, this::reportError, null, dispatcher),
                dispatcher.roleName());
            dispatcherThread.setDaemon(true);
            dispatcherThread.start();
        }
    }

    /** Whether the dispatcher runs on a thread of its own (not stepped by hand through {@link #invoker()}). */
    boolean hasDispatcherThread()
    {
        return invoker == null;
    }

    /** The dispatcher's own idle strategy, with its counters; null when another was configured or it is stepped by hand. */
    SpinYieldParkIdleStrategy dispatcherIdleStrategy()
    {
        return dispatcherIdle;
    }

    /**
     * @return the invoker that steps the dispatcher of a scheduler made {@link #steppedByHand}, else null.
     */
    AgentInvoker invoker()
    {
        return invoker;
    }

    static IllegalStateException closedException()
    {
        return new IllegalStateException("scheduler closed");
    }

    /**
     * Submits a task; any thread, including worker threads (nested tasks). It runs once its pending
     * dependencies are resolved and its whole request fits.
     *
     * @param task the task, submitted once.
     * @throws SchedulerException when the task was submitted before (on a closed scheduler it is abandoned instead)
     */
    public void submit(final Task task)
    {
        claim(task);
        if (closed)
        {
            task.abandon(closedException(), errorHandler);
            return;
        }
        publish(SchedulerEvent.SUBMIT_T, task, null);
        if (closed)
        {
            task.abandon(closedException(), errorHandler);
        }
    }

    private void claim(final Task task)
    {
        if (task.owner != null)
        {
            throw new SchedulerException("task already submitted: " + task);
        }
        task.owner = this;
    }

    /**
     * One of the task's pending dependencies resolved; at zero the task becomes runnable.
     *
     * @param task a task submitted with pending dependencies.
     */
    public void dependencyResolved(final Task task)
    {
        final int left = (int)Task.PENDING_DEPS.getAndAdd(task, -1) - 1;
        if (left < 0)
        {
            Task.PENDING_DEPS.getAndAdd(task, 1);
            throw new SchedulerException("dependencyResolved called more often than the task's pending dependencies: " +
                task);
        }
        if (left == 0 && task.owner == this)
        {
            final Mailbox m = task.mailbox;
            if (m != null)
            {
                signal(m);
            }
            else
            {
                publish(SchedulerEvent.DEPS_READY_T, task, null);
            }
        }
    }

    /**
     * Returns null when this node's totals could ever satisfy {@code r}, else a message naming the missing
     * resource.
     *
     * @return null when this node's totals could ever satisfy {@code r}, else a message naming the
     * missing resource.
     *
     * @param r the request.
     */
    public String infeasibleReason(final ResourceRequest r)
    {
        return dispatcher.pool.infeasibleReason(Objects.requireNonNull(r, "request"));
    }

    /**
     * Cancels a task or an actor call. A queued or waiting one is removed and never runs (the engine
     * completes it; {@link Task#abandoned} is not called); a running one has its thread interrupted.
     *
     * @param task the task or call.
     * @return what cancelling did.
     */
    public CancelOutcome cancel(final Task task)
    {
        if (task.owner != this)
        {
            return CancelOutcome.NOT_FOUND;
        }
        while (true)
        {
            final int s = task.state;
            if (s == Task.PENDING)
            {
                if (task.casState(Task.PENDING, Task.CANCELLED))
                {
                    final Mailbox m = task.mailbox;
                    if (m != null)
                    {
                        signal(m);
                    }
                    else if (!closed)
                    {
                        publish(SchedulerEvent.CANCEL_T, task, null);
                    }
                    return CancelOutcome.REMOVED;
                }
            }
            else if (s == Task.RUNNING)
            {
                if (interruptIfRunning(task))
                {
                    return CancelOutcome.INTERRUPTED;
                }
            }
            else
            {
                return CancelOutcome.NOT_FOUND;
            }
        }
    }

    private static boolean interruptIfRunning(final Task task)
    {
        if (task.state == Task.RUNNING && task.casState(Task.RUNNING, Task.INTERRUPTING))
        {
            final Thread runner = task.runner;
            if (runner != null)
            {
                runner.interrupt();
            }
            task.state = Task.INTERRUPTED;
            return true;
        }
        return false;
    }

    /**
     * Creates an actor's mailbox, reserving {@code lifetime} for its whole life. Its calls wait until
     * the reservation is granted.
     *
     * @throws SchedulerException when this node could never grant {@code lifetime}.
     *
     * @param lifetime what the actor holds for its life.
     * @return the mailbox.
     */
    public Mailbox createMailbox(final ResourceRequest lifetime)
    {
        Objects.requireNonNull(lifetime, "lifetime");
        if (closed)
        {
            throw closedException();
        }
        final String reason = infeasibleReason(lifetime);
        if (reason != null)
        {
            throw new SchedulerException("actor reservation infeasible on this node: " + reason);
        }
        final Mailbox m = new Mailbox(mailboxIds.incrementAndGet(), lifetime, this);
        mailboxes.put(m.id(), m);
        if (lifetime.isZero())
        {
            m.grant = ZERO_GRANT;
        }
        else
        {
            publish(SchedulerEvent.MAILBOX_CREATE_T, null, m);
        }
        if (closed)
        {
            closeMailbox(m, closedException());
        }
        return m;
    }

    /**
     * Queues an actor call; calls of one mailbox run one at a time in submission order.
     *
     * @param mailbox the actor's mailbox.
     * @param call    the call, submitted once.
     */
    public void submit(final Mailbox mailbox, final Task call)
    {
        if (mailbox.owner != this)
        {
            throw new SchedulerException("mailbox " + mailbox.id() + " belongs to another scheduler");
        }
        call.mailbox = mailbox;
        claim(call);
        final Throwable reason = mailbox.closeReason;
        if (reason != null)
        {
            call.abandon(reason, errorHandler);
            return;
        }
        mailbox.offer(call);
        if (call.pendingDeps == 0)
        {
            signal(mailbox);
        }
    }

    private void signal(final Mailbox m)
    {
        if (m.tryClaim())
        {
            publish(SchedulerEvent.MAILBOX_READY_T, null, m);
        }
    }

    /**
     * Returns what the actor holds for its life, or null until its reservation is granted.
     *
     * @return what the actor holds for its life, or null until its reservation is granted.
     *
     * @param m the actor's mailbox.
     */
    public Grant mailboxGrant(final Mailbox m)
    {
        return m.grant;
    }

    /**
     * The actor is dead: queued calls are abandoned with {@code reason}, the running call (if any)
     * is interrupted, and the reservation is released once it ends. Later calls are abandoned at
     * once. Idempotent: the first reason wins.
     *
     * @param mailbox the actor's mailbox.
     * @param reason  what calls on it fail with.
     */
    public void closeMailbox(final Mailbox mailbox, final Throwable reason)
    {
        if (closeMailboxQuietly(mailbox, reason))
        {
            publish(SchedulerEvent.MAILBOX_CLOSE_T, null, mailbox);
            signal(mailbox);
        }
    }

    /** Marks the mailbox closed and interrupts its running call; true when this call closed it. */
    boolean closeMailboxQuietly(final Mailbox mailbox, final Throwable reason)
    {
        if (!mailbox.close(reason == null ? new IllegalStateException("mailbox closed") : reason))
        {
            return false;
        }
        final Task current = mailbox.currentCall;
        if (current != null)
        {
            interruptIfRunning(current);
        }
        mailboxes.remove(mailbox.id());
        return true;
    }

    /** Abandons every queued call of a closed mailbox; the caller holds its consume right. */
    void drainClosed(final Mailbox m, final Throwable reason)
    {
        Task call;
        while ((call = m.peek()) != null)
        {
            m.pop(call);
            call.abandon(reason, errorHandler);
        }
    }

    Iterable<Mailbox> liveMailboxes()
    {
        return new ArrayList<>(mailboxes.values());
    }

    /**
     * Called on a worker thread about to block (in get/wait): gives the running work's CPUs back and
     * lets another worker start, so nested tasks cannot deadlock. No-op on other threads.
     */
    public static void beginBlocking()
    {
        if (Thread.currentThread() instanceof Worker w)
        {
            w.beginBlocking();
        }
    }

    /**
     * Ends {@link #beginBlocking()}: re-takes the CPUs even if that oversubscribes the node briefly
     * (no new CPU work starts until it is back under). No-op on other threads.
     */
    public static void endBlocking()
    {
        if (Thread.currentThread() instanceof Worker w)
        {
            w.endBlocking();
        }
    }

    /**
     * Whether the calling thread is one of a scheduler's workers (a task or actor call runs on it).
     *
     * @return true on a worker thread.
     */
    public static boolean isWorkerThread()
    {
        return Thread.currentThread() instanceof Worker;
    }

    /**
     * An approximate snapshot of the queues, threads, resources and counters, read without stopping the
     * scheduler.
     *
     * @return the snapshot.
     */
    public SchedulerStats stats()
    {
        final ResourcePool p = dispatcher.pool;
        long completed = 0;
        final Worker[] ws = dispatcher.workers;
        final int n = dispatcher.workerCount;
        for (int i = 0; i < n; i++)
        {
            final Worker w = ws[i];
            if (w != null)
            {
                completed += w.completed();
            }
        }
        return new SchedulerStats(
            dispatcher.queuedCount,
            dispatcher.waitingCount(),
            dispatcher.runningCount,
            liveWorkers.get(),
            dispatcher.blockedCount,
            mailboxes.size(),
            p.totalCpus,
            p.freeCpus,
            p.gpuIds.length,
            p.freeGpus(),
            p.totalMemory,
            p.freeMemory,
            p.customSnapshot(p.customTotal),
            p.customSnapshot(p.customFree.clone()),
            completed,
            errors.get());
    }

    /**
     * Stops the scheduler: queued and waiting tasks and queued actor calls are abandoned with
     * {@code IllegalStateException("scheduler closed")}, running work is interrupted if it does not
     * end, and every scheduler thread has ended when this returns. Idempotent.
     */
    @Override
    public void close()
    {
        if (!closing.compareAndSet(false, true))
        {
            if (dispatcherThread != null)
            {
                joinQuietly(dispatcherThread);
            }
            return;
        }
        closed = true;
        // the dispatcher's next duty cycle ends the runner's loop, which then runs Dispatcher.onClose
        dispatcher.running = false;
        if (invoker != null)
        {
            invoker.close();
            return;
        }
        LockSupport.unpark(dispatcherThread);
        joinQuietly(dispatcherThread);
    }

    private static void joinQuietly(final Thread t)
    {
        if (Thread.currentThread() == t)
        {
            return;
        }
        boolean interrupted = false;
        while (t.isAlive())
        {
            try
            {
                t.join();
            }
            catch (final InterruptedException e)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    void publish(final SchedulerEvent.Translator translator, final Task task, final Object subject)
    {
        if (!ring.tryPublishEvent(translator, task, subject))
        {
            publishSlow(translator, task, subject);
        }
        if (dispatcher.sleeping)
        {
            LockSupport.unpark(dispatcherThread);
        }
    }

    private void publishSlow(final SchedulerEvent.Translator translator, final Task task, final Object subject)
    {
        if (Thread.currentThread() == dispatcherThread)
        {
            dispatcher.defer(translator, task, subject);
            return;
        }
        while (!ring.tryPublishEvent(translator, task, subject))
        {
            if ((dispatcherThread == null || !dispatcherThread.isAlive()) && closed)
            {
                if (task != null)
                {
                    task.abandon(closedException(), errorHandler);
                }
                return;
            }
            if (dispatcher.sleeping)
            {
                LockSupport.unpark(dispatcherThread);
            }
            Thread.yield();
        }
    }

    void reportError(final Throwable t)
    {
        errorHandler.accept(t);
    }

    void workerStarted()
    {
        liveWorkers.incrementAndGet();
    }

    void workerExited()
    {
        liveWorkers.decrementAndGet();
    }

    /** The dispatcher and every worker started so far, for shutdown checks. */
    /** The idle strategies of the dispatcher (when it is the scheduler's own) and the workers started so far. */
    List<SpinYieldParkIdleStrategy> idleStrategies()
    {
        final ArrayList<SpinYieldParkIdleStrategy> list = new ArrayList<>();
        if (dispatcherIdle != null)
        {
            list.add(dispatcherIdle);
        }
        for (int i = 0; i < dispatcher.workerCount; i++)
        {
            list.add(dispatcher.workers[i].idleStrategy());
        }
        return list;
    }

    List<Thread> threads()
    {
        final ArrayList<Thread> list = new ArrayList<>();
        if (dispatcherThread != null)
        {
            list.add(dispatcherThread);
        }
        for (int i = 0; i < dispatcher.workerCount; i++)
        {
            list.add(dispatcher.workers[i]);
        }
        return list;
    }
}
