package io.tessera.scheduler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.agrona.concurrent.IdleStrategy;

/**
 * How the scheduler's threads wait (the dispatcher's default, and every worker's): after a cycle with
 * no work, busy-spin {@link SchedulerContext#idleSpins()} times, yield {@link SchedulerContext#idleYields()}
 * times, then run the owner's park, which sleeps until whoever hands it work wakes it
 * ({@link Dispatcher#park()}, {@link Worker}), so an idle node burns no CPU. Any work starts the count again.
 * The yields are {@link Yielding}'s: where a compute-bound thread shares the core, it parks at once instead.
 * With {@link SchedulerContext#busySpin(boolean)} it spins and never parks (as Aeron's {@code BusySpinIdleStrategy},
 * but with one yield every {@value #SPINS_PER_YIELD} spins): the thread keeps its core and sees new work within
 * nanoseconds.
 *
 * <p>It counts its parks and idle cycles ({@link #parks()}, {@link #idleCycles()}): plain counters
 * written by the owning thread only, read racily by tests and statistics.
 */
final class SpinYieldParkIdleStrategy implements IdleStrategy
{
    private static final VarHandle PARKS;
    private static final VarHandle IDLE_TOTAL;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            PARKS = lookup.findVarHandle(SpinYieldParkIdleStrategy.class, "parks", long.class);
            IDLE_TOTAL = lookup.findVarHandle(SpinYieldParkIdleStrategy.class, "idleTotal", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** In the busy-spin mode, one {@code Thread.yield()} every this many idle cycles (a power of two). */
    static final int SPINS_PER_YIELD = 1024;
    private static final int SPINS_PER_YIELD_MASK = SPINS_PER_YIELD - 1;

    private final int spins;
    private final int yields;
    private final boolean spinOnly;
    private final Runnable park;
    private int idleCycles;
    @SuppressWarnings("unused")
    private long parks;
    @SuppressWarnings("unused")
    private long idleTotal;

    SpinYieldParkIdleStrategy(final int spins, final int yields, final Runnable park)
    {
        this(spins, yields, false, park);
    }

    SpinYieldParkIdleStrategy(final int spins, final int yields, final boolean spinOnly, final Runnable park)
    {
        this.spins = spins;
        this.yields = yields;
        this.spinOnly = spinOnly;
        this.park = park;
    }

    /** The strategy a context asks for: spin-only under {@link SchedulerContext#busySpin()}, else spin, yield, park. */
    static SpinYieldParkIdleStrategy of(final SchedulerContext ctx, final Runnable park)
    {
        return new SpinYieldParkIdleStrategy(ctx.idleSpins(), ctx.idleYields(), ctx.busySpin(), park);
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
        IDLE_TOTAL.setOpaque(this, (long)IDLE_TOTAL.getOpaque(this) + 1);
        if (spinOnly)
        {
            // a yield now and then: where spinning threads outnumber the cores, the one with work gets a core
            // within a yield instead of a whole time slice (milliseconds); on a core of its own it costs nothing
            if ((++idleCycles & SPINS_PER_YIELD_MASK) == 0)
            {
                Thread.yield();
            }
            else
            {
                Thread.onSpinWait();
            }
        }
        else if (idleCycles < spins)
        {
            idleCycles++;
            Thread.onSpinWait();
        }
        else if (idleCycles < spins + yields)
        {
            // a yield that took a time slice (a compute-bound neighbour): park from now on, to be woken at once
            idleCycles = Yielding.yieldOnce() ? idleCycles + 1 : spins + yields;
        }
        else
        {
            PARKS.setOpaque(this, (long)PARKS.getOpaque(this) + 1);
            park.run();
        }
    }

    @Override
    public void reset()
    {
        idleCycles = 0;
    }

    /** How often the owner parked (the last step); 0 forever when spinning only. */
    long parks()
    {
        return (long)PARKS.getOpaque(this);
    }

    /** Idle cycles since the start (spins, yields and parks). */
    long idleCycles()
    {
        return (long)IDLE_TOTAL.getOpaque(this);
    }

    @Override
    public String alias()
    {
        return spinOnly ? "busy-spin" : "spin-yield-park";
    }
}
