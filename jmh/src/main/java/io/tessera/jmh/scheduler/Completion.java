package io.tessera.jmh.scheduler;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts down completions and wakes one waiter: it spins briefly, then yields, then parks, the way
 * an engine's {@code get} would wait.
 */
final class Completion
{
    private static final int SPINS = Runtime.getRuntime().availableProcessors() < 4 ? 0 : 100;

    private final AtomicInteger remaining = new AtomicInteger();
    private volatile Thread waiter;

    void reset(final int count)
    {
        remaining.set(count);
    }

    void countDown()
    {
        if (remaining.decrementAndGet() == 0)
        {
            final Thread w = waiter;
            if (w != null)
            {
                LockSupport.unpark(w);
            }
        }
    }

    void await()
    {
        int spins = 0;
        while (remaining.get() > 0)
        {
            if (spins < SPINS)
            {
                spins++;
                Thread.onSpinWait();
            }
            else if (spins < 2_100)
            {
                spins++;
                Thread.yield();
            }
            else
            {
                waiter = Thread.currentThread();
                if (remaining.get() > 0)
                {
                    LockSupport.parkNanos(this, 100_000L);
                }
                waiter = null;
            }
        }
    }
}
