package io.tessera.scheduler;

import java.util.function.LongSupplier;

/**
 * {@code Thread.yield()} for waits that spin, yield, then park (the scheduler's idle threads, the engine's
 * {@code get}), guarded against compute-bound neighbours. On a core of its own, or among threads that all wait
 * briefly, a yield returns within microseconds and keeps hand-offs quick without a wake-up. But where a
 * compute-bound thread shares the core, a yield hands that thread the rest of its time slice (milliseconds), and a
 * thread that keeps yielding sees its next work that late; parked instead, it is woken by the hand-off and the
 * kernel preempts the compute-bound thread at once. So a yield that took longer than {@value #LONG_YIELD_NS} ns
 * turns yielding off for every waiter for {@value #BACK_OFF_NS} ns: they park at once (as
 * {@code CompletableFuture.join} does), and try again after that; each long yield in a row doubles the back-off
 * (up to {@value #MAX_BACK_OFF_NS} ns), a short one resets it.
 *
 * <p>Two shared, rarely written words: a yield reads one, only a long yield writes them. Racy by design: a
 * heuristic, whose worst case is one more yield or one park too many.
 */
public final class Yielding
{
    /** A yield this long gave the core to another thread's time slice (a slice is a millisecond or more). */
    static final long LONG_YIELD_NS = 500_000L;
    /** How long yielding stays off after a long yield that followed a short one. */
    static final long BACK_OFF_NS = 20_000_000L;
    /** The back-off doubles with each long yield in a row, up to this. */
    static final long MAX_BACK_OFF_NS = 1_280_000_000L;

    private static final Yielding PROCESS = new Yielding(System::nanoTime, Thread::yield);

    private final LongSupplier clock;
    private final Runnable yield;
    /** Until when (on {@link #clock}) nobody yields. */
    private volatile long offUntilNs;
    /** The next back-off: {@link #BACK_OFF_NS}, doubled by each long yield in a row. */
    private volatile long backOffNs = BACK_OFF_NS;

    Yielding(final LongSupplier clock, final Runnable yield)
    {
        this.clock = clock;
        this.yield = yield;
        this.offUntilNs = clock.getAsLong();
    }

    /**
     * Yields once, unless yielding is off in this process.
     *
     * @return false when the caller should park instead of yielding again: yielding is off, or this yield
     * took a time slice (and turned it off).
     */
    public static boolean yieldOnce()
    {
        return PROCESS.tryYield();
    }

    boolean tryYield()
    {
        final long start = clock.getAsLong();
        if (start - offUntilNs < 0)
        {
            return false;
        }
        yield.run();
        final long end = clock.getAsLong();
        if (end - start > LONG_YIELD_NS)
        {
            final long backOff = backOffNs;
            offUntilNs = end + backOff;
            backOffNs = Math.min(MAX_BACK_OFF_NS, backOff << 1);
            return false;
        }
        if (backOffNs != BACK_OFF_NS)
        {
            backOffNs = BACK_OFF_NS;
        }
        return true;
    }

    /** Whether yielding is off now (a recent yield took a time slice). */
    boolean isOff()
    {
        return clock.getAsLong() - offUntilNs < 0;
    }
}
