package io.tessera.scheduler;

/**
 * Pins the scheduler's own threads (the dispatcher and the workers) to cores as they start, for the
 * low-latency mode ({@link SchedulerContext#threadPinning(ThreadPinning)}): a busy-spinning thread on a
 * core of its own is never migrated or preempted by the threads it hands work to. The engine pins with
 * OpenHFT's {@code AffinityLock}; the scheduler itself names no library.
 *
 * <pre>{@code
 * new SchedulerContext().busySpin(true).threadPinning(thread -> AffinityLock.acquireLock()::release);
 * }</pre>
 */
@FunctionalInterface
public interface ThreadPinning
{
    /**
     * Called on a scheduler thread as it starts, before it takes any work.
     *
     * @param threadName the thread's name: {@code tessera-dispatcher} or {@code tessera-worker-N}.
     * @return what the thread runs as it ends (releases the core); never null.
     */
    Runnable pin(String threadName);
}
