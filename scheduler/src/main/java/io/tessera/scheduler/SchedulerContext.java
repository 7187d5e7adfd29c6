package io.tessera.scheduler;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.agrona.concurrent.IdleStrategy;

/**
 * Configuration of a {@link LocalScheduler}: the node's resource totals and the threading knobs.
 * Fluent setters and getters share a name (no get/set prefixes).
 */
public final class SchedulerContext
{
    private double cpus = Runtime.getRuntime().availableProcessors();
    private int[] gpuIds = Grant.NO_GPUS;
    private long memoryBytes = Long.MAX_VALUE;
    private final LinkedHashMap<String, Double> resources = new LinkedHashMap<>();
    private GpuBinder gpuBinder;
    private int submissionRingSize = 1 << 16;
    private int maxWorkers = 256;
    private int idleSpins = Runtime.getRuntime().availableProcessors() < 4 ? 0 : 100;
    private int idleYields = 1_000;
    private int mailboxBatch = 256;
    private int workerBatch = 32;
    private long workerStallNs = 2_000_000L;
    private Consumer<Throwable> errorHandler = t -> t.printStackTrace();
    private IdleStrategy dispatcherIdleStrategy;

    /** CPUs of the node; default {@code availableProcessors()}. */
    public SchedulerContext cpus(final double total)
    {
        if (!(total >= 0) || Double.isInfinite(total))
        {
            throw new SchedulerException("cpus must be a finite amount >= 0, got " + total);
        }
        this.cpus = total;
        return this;
    }

    public double cpus()
    {
        return cpus;
    }

    /** The node's GPU device ordinals; the GPU total is their number, each device has capacity 1. */
    public SchedulerContext gpuIds(final int... deviceOrdinals)
    {
        final int[] ids = deviceOrdinals == null ? Grant.NO_GPUS : deviceOrdinals.clone();
        for (int i = 0; i < ids.length; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (ids[i] == ids[j])
                {
                    throw new SchedulerException("duplicate GPU id " + ids[i] + " in " + Arrays.toString(ids));
                }
            }
        }
        this.gpuIds = ids;
        return this;
    }

    public int[] gpuIds()
    {
        return gpuIds.clone();
    }

    /** Memory the scheduler may hand out to tasks, in bytes; default unlimited. */
    public SchedulerContext memoryBytes(final long total)
    {
        if (total < 0)
        {
            throw new SchedulerException("memoryBytes must be >= 0, got " + total);
        }
        this.memoryBytes = total;
        return this;
    }

    public long memoryBytes()
    {
        return memoryBytes;
    }

    /** A custom resource total, such as {@code resource("accelerator:H100", 1)}. */
    public SchedulerContext resource(final String name, final double total)
    {
        if (name == null || name.isEmpty())
        {
            throw new SchedulerException("custom resource name must be non-empty");
        }
        if (!(total >= 0) || Double.isInfinite(total))
        {
            throw new SchedulerException("custom resource '" + name + "' must be a finite amount >= 0, got " + total);
        }
        resources.put(name, total);
        return this;
    }

    public Map<String, Double> resources()
    {
        return Collections.unmodifiableMap(new LinkedHashMap<>(resources));
    }

    public SchedulerContext gpuBinder(final GpuBinder binder)
    {
        this.gpuBinder = binder;
        return this;
    }

    public GpuBinder gpuBinder()
    {
        return gpuBinder;
    }

    /** Entries in the multi-producer submission ring; a power of two, default 65 536. */
    public SchedulerContext submissionRingSize(final int size)
    {
        if (size < 16 || Integer.bitCount(size) != 1)
        {
            throw new SchedulerException("submissionRingSize must be a power of two >= 16, got " + size);
        }
        this.submissionRingSize = size;
        return this;
    }

    public int submissionRingSize()
    {
        return submissionRingSize;
    }

    /** Cap on worker threads, default 256. */
    public SchedulerContext maxWorkers(final int max)
    {
        if (max < 1)
        {
            throw new SchedulerException("maxWorkers must be >= 1, got " + max);
        }
        this.maxWorkers = max;
        return this;
    }

    public int maxWorkers()
    {
        return maxWorkers;
    }

    /**
     * Busy-spins an idle thread does before yielding (latency vs. burnt CPU). Default 100, or 0 on
     * machines with fewer than 4 CPUs: there the caller, dispatcher and worker of one round trip
     * outnumber the cores, and a spinning thread only delays the one it waits for.
     */
    public SchedulerContext idleSpins(final int spins)
    {
        this.idleSpins = Math.max(0, spins);
        return this;
    }

    public int idleSpins()
    {
        return idleSpins;
    }

    /** {@code Thread.yield()}s an idle thread does after spinning and before parking; default 1 000. Yielding
     * rather than spinning keeps handoffs quick when threads outnumber cores. */
    public SchedulerContext idleYields(final int yields)
    {
        this.idleYields = Math.max(0, yields);
        return this;
    }

    public int idleYields()
    {
        return idleYields;
    }

    /**
     * What the dispatcher thread does after a duty cycle that found no work. Default (null): spin
     * {@link #idleSpins()} times, yield {@link #idleYields()} times, then park until work is submitted,
     * so an idle node burns no CPU. Any Agrona strategy may be given instead (one per scheduler: they
     * hold state); it is not woken by submissions, so it must end each idle on its own, as
     * {@code BackoffIdleStrategy}, {@code SleepingIdleStrategy} and the spinning ones do.
     */
    public SchedulerContext dispatcherIdleStrategy(final IdleStrategy strategy)
    {
        this.dispatcherIdleStrategy = strategy;
        return this;
    }

    /**
     * @return the dispatcher's idle strategy, or null for the default spin-yield-park.
     */
    public IdleStrategy dispatcherIdleStrategy()
    {
        return dispatcherIdleStrategy;
    }

    /** Calls a worker runs from one mailbox before giving the worker back; default 256. */
    public SchedulerContext mailboxBatch(final int calls)
    {
        if (calls < 1)
        {
            throw new SchedulerException("mailboxBatch must be >= 1, got " + calls);
        }
        this.mailboxBatch = calls;
        return this;
    }

    public int mailboxBatch()
    {
        return mailboxBatch;
    }

    /**
     * Most tasks one worker is handed at once. Only when the node is full (no idle worker and no
     * room for another copy of the request) does the dispatcher append the tasks queued right behind
     * one with the same request to that worker's batch; they run back to back under one lease,
     * which is what lets a full node run millions of short tasks a second. Until the worker starts
     * them they can still be taken back: whenever a CPU (or whatever the request needs) frees up, the
     * dispatcher moves the front half of the largest batch's unstarted tasks to another worker, so
     * batching never costs parallelism. Default 32; 1 disables.
     */
    public SchedulerContext workerBatch(final int tasks)
    {
        if (tasks < 1)
        {
            throw new SchedulerException("workerBatch must be >= 1, got " + tasks);
        }
        this.workerBatch = tasks;
        return this;
    }

    public int workerBatch()
    {
        return workerBatch;
    }

    /**
     * How long work that holds no CPU (actor calls, zero-CPU tasks) may find every worker busy, with
     * none finishing, before one more worker is started; default 2 ms.
     */
    public SchedulerContext workerStallNs(final long nanos)
    {
        this.workerStallNs = Math.max(0, nanos);
        return this;
    }

    public long workerStallNs()
    {
        return workerStallNs;
    }

    /** Receives what escapes a task's {@code run} and errors of the scheduler's own threads. */
    public SchedulerContext errorHandler(final Consumer<Throwable> handler)
    {
        this.errorHandler = handler == null ? t -> { } : handler;
        return this;
    }

    public Consumer<Throwable> errorHandler()
    {
        return errorHandler;
    }
}
