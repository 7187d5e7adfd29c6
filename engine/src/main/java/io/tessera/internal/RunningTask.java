package io.tessera.internal;

import io.tessera.scheduler.Task;

/**
 * The task or actor call running on each thread ({@link Invocation#run} sets it), which
 * {@code TaskContext.current()} returns. Typed as the scheduler's {@link Task}: the public
 * {@code TaskContext} reads this class, so it must name nothing that names {@code TaskContext}.
 */
public final class RunningTask
{
    private static final ThreadLocal<Task> CURRENT = new ThreadLocal<>();

    private RunningTask()
    {
    }

    /** The invocation running on this thread, or null on a driver thread. */
    public static Task get()
    {
        return CURRENT.get();
    }

    static void set(Task task)
    {
        CURRENT.set(task);
    }
}
