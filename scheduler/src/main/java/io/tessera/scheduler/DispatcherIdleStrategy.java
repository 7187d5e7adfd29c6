package io.tessera.scheduler;

import org.agrona.concurrent.IdleStrategy;

/**
 * The dispatcher's default idle strategy: after a cycle with no work it busy-spins
 * {@link SchedulerContext#idleSpins()} times, yields {@link SchedulerContext#idleYields()} times, then
 * parks until a publisher wakes it ({@link Dispatcher#park()}), so an idle node burns no CPU. Any work
 * starts the count again.
 */
final class DispatcherIdleStrategy implements IdleStrategy
{
    private final Dispatcher dispatcher;
    private final int spins;
    private final int yields;
    private int idleCycles;

    DispatcherIdleStrategy(final Dispatcher dispatcher, final int spins, final int yields)
    {
        this.dispatcher = dispatcher;
        this.spins = spins;
        this.yields = yields;
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
            dispatcher.park();
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
        return "dispatcher-spin-yield-park";
    }
}
