package io.tessera.scheduler;

import org.agrona.concurrent.IdleStrategy;

/**
 * How the scheduler's threads wait (the dispatcher's default, and every worker's): after a cycle with
 * no work, busy-spin {@link SchedulerContext#idleSpins()} times, yield {@link SchedulerContext#idleYields()}
 * times, then run the owner's park, which sleeps until whoever hands it work wakes it
 * ({@link Dispatcher#park()}, {@link Worker}), so an idle node burns no CPU. Any work starts the count again.
 */
final class SpinYieldParkIdleStrategy implements IdleStrategy
{
    private final int spins;
    private final int yields;
    private final Runnable park;
    private int idleCycles;

    SpinYieldParkIdleStrategy(final int spins, final int yields, final Runnable park)
    {
        this.spins = spins;
        this.yields = yields;
        this.park = park;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            idleCycles = 0;
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        if (idleCycles < spins)
        {
            idleCycles++;
            Thread.onSpinWait();
        }
        else if (idleCycles < spins + yields)
        {
            idleCycles++;
            Thread.yield();
        }
        else
        {
            park.run();
        }
    }

    @Override
    public void reset()
    {
        idleCycles = 0;
    }

    @Override
    public String alias()
    {
        return "spin-yield-park";
    }
}
