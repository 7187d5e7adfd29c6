package io.tessera.scheduler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An actor's ordered queue of calls. Calls run one at a time, in submission order, on the shared
 * workers; the actor's lifetime reservation is what they run under.
 *
 * <p>Inside: an intrusive multi-producer/single-consumer linked queue (the tasks are the nodes) and
 * a scheduled flag. Whoever flips the flag from idle to scheduled owns the right to consume and must
 * see the mailbox handed to a worker; the owner gives the right back when the queue is empty or its
 * head waits on dependencies, then re-checks the queue so no wake-up is lost.
 */
public final class Mailbox
{
    static final int IDLE = 0;
    static final int SCHEDULED = 1;

    private static final VarHandle TAIL;
    private static final VarHandle SCHEDULE;
    private static final VarHandle CLOSE_REASON;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(Mailbox.class, "tail", Task.class);
            SCHEDULE = lookup.findVarHandle(Mailbox.class, "schedule", int.class);
            CLOSE_REASON = lookup.findVarHandle(Mailbox.class, "closeReason", Throwable.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long id;
    final ResourceRequest lifetime;
    final LocalScheduler owner;

    /** Consumer-side: the last consumed node (initially a stub); its successor is the head call. */
    private Task head;
    private volatile Task tail;
    private volatile int schedule;
    volatile Throwable closeReason;
    volatile Grant grant;
    /** The call a worker is running now, for interrupting it on close. */
    volatile Task currentCall;

    /* Dispatcher-owned. */
    boolean runWhenGranted;
    int onWorkers;
    boolean released;

    Mailbox(final long id, final ResourceRequest lifetime, final LocalScheduler owner)
    {
        this.id = id;
        this.lifetime = lifetime;
        this.owner = owner;
        final Task stub = new Stub();
        this.head = stub;
        this.tail = stub;
    }

    /**
     * The mailbox's id, unique within its scheduler.
     *
     * @return the id.
     */
    public long id()
    {
        return id;
    }

    /**
     * Whether {@link LocalScheduler#closeMailbox} was called: every later call is abandoned.
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closeReason != null;
    }

    @Override
    public String toString()
    {
        return "Mailbox{id=" + id + (isClosed() ? ", closed" : "") + '}';
    }

    boolean close(final Throwable reason)
    {
        return CLOSE_REASON.compareAndSet(this, (Throwable)null, reason);
    }

    void offer(final Task call)
    {
        Task.NEXT.set(call, (Task)null);
        final Task prev = (Task)TAIL.getAndSet(this, call);
        prev.mpscNext = call;
    }

    /** The head call or null when empty; consumer only. */
    Task peek()
    {
        final Task h = head;
        Task next = h.mpscNext;
        if (next == null && tail != h)
        {
            while ((next = h.mpscNext) == null)
            {
                Thread.onSpinWait();
            }
        }
        return next;
    }

    /** Removes the head returned by the last {@link #peek()}; consumer only. */
    void pop(final Task headCall)
    {
        head = headCall;
    }

    boolean tryClaim()
    {
        return schedule == IDLE && SCHEDULE.compareAndSet(this, IDLE, SCHEDULED);
    }

    /**
     * Gives the consume right back, then re-claims it if runnable work arrived meanwhile.
     *
     * @return true when the caller owns the mailbox again and must keep consuming.
     */
    boolean releaseAndRecheck()
    {
        schedule = IDLE;
        final Task next = peek();
        if (next == null)
        {
            return false;
        }
        if (next.state == Task.PENDING && next.pendingDeps > 0 && closeReason == null)
        {
            return false;
        }
        return tryClaim();
    }

    private static final class Stub extends Task
    {
        Stub()
        {
            super(ResourceRequest.NONE, 0);
        }

        @Override
        protected void run(final Grant grant)
        {
        }

        @Override
        protected void abandoned(final Throwable reason)
        {
        }
    }
}
