package io.tessera.scheduler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * One unit of work the engine hands to the scheduler: a plain task or an actor call. The engine
 * subclasses it; the object is the only thing allocated per task. A task is submitted once.
 *
 * <p>Its life is a small state machine advanced by compare-and-set, which is what makes
 * {@link LocalScheduler#cancel(Task)}, mailbox closing and scheduler shutdown race-free: exactly one
 * of run, cancel and abandon wins.
 */
public abstract class Task
{
    static final int PENDING = 0;
    static final int RUNNING = 1;
    static final int DONE = 2;
    static final int CANCELLED = 3;
    static final int INTERRUPTING = 4;
    static final int INTERRUPTED = 5;
    static final int ABANDONED = 6;

    /** Dispatcher-side placement; only the dispatcher thread reads or writes it. */
    static final int D_NEW = 0;
    static final int D_WAITING = 1;
    static final int D_READY = 2;
    static final int D_GONE = 3;

    static final VarHandle STATE;
    static final VarHandle PENDING_DEPS;
    static final VarHandle NEXT;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Task.class, "state", int.class);
            PENDING_DEPS = lookup.findVarHandle(Task.class, "pendingDeps", int.class);
            NEXT = lookup.findVarHandle(Task.class, "mpscNext", Task.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ResourceRequest request;
    volatile int state;
    volatile int pendingDeps;
    Thread runner;
    volatile Task mpscNext;
    LocalScheduler owner;
    Mailbox mailbox;

    int dispatchState;
    Task waitPrev;
    Task waitNext;

    /**
     * Creates a task that becomes runnable once its {@code pendingDependencies} are resolved and its
     * resources are granted.
     *
     * @param request             what the task holds while it runs (ignored for actor calls, which
     * run under their actor's reservation).
     * @param pendingDependencies how many {@link LocalScheduler#dependencyResolved(Task)} calls must
     * come before it may run.
     */
    protected Task(final ResourceRequest request, final int pendingDependencies)
    {
        this.request = Objects.requireNonNull(request, "request");
        if (pendingDependencies < 0)
        {
            throw new SchedulerException("pendingDependencies must be >= 0, got " + pendingDependencies);
        }
        this.pendingDeps = pendingDependencies;
    }

    /**
     * Runs the task on a worker thread. The engine is expected to catch everything itself; whatever
     * still escapes goes to the scheduler's error handler and is counted.
     *
     * @param grant what the task holds while it runs (for an actor call, the actor's lifetime grant).
     */
    protected abstract void run(Grant grant);

    /**
     * Called once if the task will never run: its mailbox was closed, the scheduler closed, or its
     * request can never be satisfied on this node. Not called after a successful cancel.
     *
     * @param reason why it will never run.
     */
    protected abstract void abandoned(Throwable reason);

    /**
     * What the task holds while it runs.
     *
     * @return the request given at construction.
     */
    public final ResourceRequest request()
    {
        return request;
    }

    final boolean casState(final int expect, final int update)
    {
        return STATE.compareAndSet(this, expect, update);
    }

    /** Abandons the task if it is still pending; true when this call did it. */
    final boolean abandon(final Throwable reason, final java.util.function.Consumer<Throwable> errorHandler)
    {
        if (!casState(PENDING, ABANDONED))
        {
            return false;
        }
        try
        {
            abandoned(reason);
        }
        catch (final Throwable t)
        {
            errorHandler.accept(t);
        }
        return true;
    }
}
