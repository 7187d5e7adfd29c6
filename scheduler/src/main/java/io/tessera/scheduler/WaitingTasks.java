package io.tessera.scheduler;

/**
 * Tasks the dispatcher holds until their dependencies are ready: an intrusive doubly linked list
 * through {@link Task#waitPrev}/{@link Task#waitNext} around a sentinel, so adding and removing
 * allocate nothing. Dispatcher thread only; {@link #size()} may be read racily by other threads.
 */
final class WaitingTasks
{
    private final Task head = new Sentinel();
    private volatile long size;

    WaitingTasks()
    {
        head.waitNext = head;
        head.waitPrev = head;
    }

    long size()
    {
        return size;
    }

    void add(final Task task)
    {
        final Task last = head.waitPrev;
        task.waitPrev = last;
        task.waitNext = head;
        last.waitNext = task;
        head.waitPrev = task;
        size = size + 1;
    }

    void remove(final Task task)
    {
        task.waitPrev.waitNext = task.waitNext;
        task.waitNext.waitPrev = task.waitPrev;
        task.waitPrev = null;
        task.waitNext = null;
        size = size - 1;
    }

    /** Removes every task, oldest first, abandoning each with {@code reason}. */
    void abandonAll(final Throwable reason, final LocalScheduler scheduler)
    {
        while (head.waitNext != head)
        {
            final Task w = head.waitNext;
            remove(w);
            w.abandon(reason, scheduler.errorHandler);
        }
    }

    private static final class Sentinel extends Task
    {
        Sentinel()
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
