package io.tessera.scheduler;

import org.slf4j.LoggerFactory;

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
    private Consumer<Throwable> errorHandler =
        t -> LoggerFactory.getLogger(LocalScheduler.class).error("a task or scheduler thread failed", t);
    private IdleStrategy dispatcherIdleStrategy;
    private boolean busySpin;
    private ThreadPinning threadPinning;

    /**
     * Creates a context with the defaults: this machine's CPUs, no GPUs, unlimited memory, no custom
     * resources, and the tuning values each setter names.
     */
    public SchedulerContext()
    {
    }

    /**
     * CPUs of the node; default {@code availableProcessors()}.
     *
     * @param total CPUs, 0 or more; fractions allowed.
     * @return this.
     */
    public SchedulerContext cpus(final double total)
    {
        if (!(total >= 0) || Double.isInfinite(total))
        {
            throw new SchedulerException("cpus must be a finite amount >= 0, got " + total);
        }
        this.cpus = total;
        return this;
    }

    /**
     * CPUs the scheduler hands out.
     *
     * @return the total set with {@link #cpus(double)}.
     */
    public double cpus()
    {
        return cpus;
    }

    /**
     * The node's GPU device ordinals; the GPU total is their number, each device has capacity 1.
     *
     * @param deviceOrdinals the driver ordinals of the node's GPUs, distinct; none for a node without GPUs.
     * @return this.
     */
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

    /**
     * The node's GPU device ordinals.
     *
     * @return a copy of the ordinals; empty without GPUs.
     */
    public int[] gpuIds()
    {
        return gpuIds.clone();
    }

    /**
     * Memory the scheduler may hand out to tasks, in bytes; default unlimited.
     *
     * @param total bytes, 0 or more.
     * @return this.
     */
    public SchedulerContext memoryBytes(final long total)
    {
        if (total < 0)
        {
            throw new SchedulerException("memoryBytes must be >= 0, got " + total);
        }
        this.memoryBytes = total;
        return this;
    }

    /**
     * Memory the scheduler may hand out to tasks.
     *
     * @return bytes; {@code Long.MAX_VALUE} when unlimited.
     */
    public long memoryBytes()
    {
        return memoryBytes;
    }

    /**
     * A custom resource total, such as {@code resource("accelerator:H100", 1)}.
     *
     * @param name  the resource's name, not blank.
     * @param total the amount, 0 or more.
     * @return this.
     */
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

    /**
     * The custom resource totals.
     *
     * @return name to total, unmodifiable.
     */
    public Map<String, Double> resources()
    {
        return Collections.unmodifiableMap(new LinkedHashMap<>(resources));
    }

    /**
     * Sets what makes a worker thread use the GPUs a task was granted; without one, GPU grants are only
     * bookkeeping.
     *
     * @param binder the binder, or null for none.
     * @return this.
     */
    public SchedulerContext gpuBinder(final GpuBinder binder)
    {
        this.gpuBinder = binder;
        return this;
    }

    /**
     * What binds worker threads to granted GPUs.
     *
     * @return the binder, or null when none was set.
     */
    public GpuBinder gpuBinder()
    {
        return gpuBinder;
    }

    /**
     * Entries in the multi-producer submission ring; a power of two, default 65 536.
     *
     * @param size the number of entries, a power of two.
     * @return this.
     */
    public SchedulerContext submissionRingSize(final int size)
    {
        if (size < 16 || Integer.bitCount(size) != 1)
        {
            throw new SchedulerException("submissionRingSize must be a power of two >= 16, got " + size);
        }
        this.submissionRingSize = size;
        return this;
    }

    /**
     * Entries in the submission ring (how many submissions may wait for the dispatcher).
     *
     * @return the size, a power of two.
     */
    public int submissionRingSize()
    {
        return submissionRingSize;
    }

    /**
     * Cap on worker threads, default 256.
     *
     * @param max the most worker threads, at least 1.
     * @return this.
     */
    public SchedulerContext maxWorkers(final int max)
    {
        if (max < 1)
        {
            throw new SchedulerException("maxWorkers must be >= 1, got " + max);
        }
        this.maxWorkers = max;
        return this;
    }

    /**
     * Cap on worker threads.
     *
     * @return the cap.
     */
    public int maxWorkers()
    {
        return maxWorkers;
    }

    /**
     * Busy-spins an idle thread does before yielding (latency vs. burnt CPU). Default 100, or 0 on
     * machines with fewer than 4 CPUs: there the caller, dispatcher and worker of one round trip
     * outnumber the cores, and a spinning thread only delays the one it waits for.
     *
     * @param spins the spins; negative counts as 0.
     * @return this.
     */
    public SchedulerContext idleSpins(final int spins)
    {
        this.idleSpins = Math.max(0, spins);
        return this;
    }

    /**
     * Busy-spins an idle thread does before yielding.
     *
     * @return the spins, 0 or more.
     */
    public int idleSpins()
    {
        return idleSpins;
    }

    /**
     * {@code Thread.yield()}s an idle thread does after spinning and before parking; default 1 000. Yielding
     * rather than spinning keeps handoffs quick when threads outnumber cores.
     *
     * @param yields the yields; negative counts as 0.
     * @return this.
     */
    public SchedulerContext idleYields(final int yields)
    {
        this.idleYields = Math.max(0, yields);
        return this;
    }

    /**
     * {@code Thread.yield()}s an idle thread does after spinning and before parking.
     *
     * @return the yields, 0 or more.
     */
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
     *
     * @param strategy the strategy, or null for the default.
     * @return this.
     */
    public SchedulerContext dispatcherIdleStrategy(final IdleStrategy strategy)
    {
        this.dispatcherIdleStrategy = strategy;
        return this;
    }

    /**
     * The dispatcher's idle strategy, if one was configured.
     *
     * @return the dispatcher's idle strategy, or null for the default spin-yield-park.
     */
    public IdleStrategy dispatcherIdleStrategy()
    {
        return dispatcherIdleStrategy;
    }

    /**
     * The low-latency mode: the dispatcher and every worker busy-spin when idle and never park (as Aeron's {@code
     * BusySpinIdleStrategy}, with a yield every 1 024 spins for when they outnumber the cores), so a hand-off costs
     * a cache line's trip between cores instead of a wake-up. Each of them then burns a whole core for as long as
     * the scheduler runs, so it pays only when the node has a core for each (plus one for the caller); default
     * false: spin, yield, then park ({@link #idleSpins(int)}, {@link #idleYields(int)}), an idle node costs no CPU.
     * A {@link #dispatcherIdleStrategy(IdleStrategy)} set as well wins for the dispatcher.
     *
     * @param enabled true to busy-spin.
     * @return this.
     */
    public SchedulerContext busySpin(final boolean enabled)
    {
        this.busySpin = enabled;
        return this;
    }

    /**
     * Whether the dispatcher and workers busy-spin when idle.
     *
     * @return true in the low-latency mode.
     */
    public boolean busySpin()
    {
        return busySpin;
    }

    /**
     * Pins the dispatcher and worker threads as they start (for example to cores of their own with
     * OpenHFT affinity); by default none is pinned.
     *
     * @param pinning called on each scheduler thread as it starts, or null for none.
     * @return this.
     */
    public SchedulerContext threadPinning(final ThreadPinning pinning)
    {
        this.threadPinning = pinning;
        return this;
    }

    /**
     * What pins the scheduler's threads as they start.
     *
     * @return the pinning, or null when threads are not pinned.
     */
    public ThreadPinning threadPinning()
    {
        return threadPinning;
    }

    /**
     * Calls a worker runs from one mailbox before giving the worker back; default 256.
     *
     * @param calls the calls, at least 1.
     * @return this.
     */
    public SchedulerContext mailboxBatch(final int calls)
    {
        if (calls < 1)
        {
            throw new SchedulerException("mailboxBatch must be >= 1, got " + calls);
        }
        this.mailboxBatch = calls;
        return this;
    }

    /**
     * Calls a worker runs from one mailbox before giving the worker back.
     *
     * @return the calls, at least 1.
     */
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
     *
     * @param tasks the most tasks per hand-off, at least 1.
     * @return this.
     * @throws SchedulerException when {@code tasks} is below 1
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

    /**
     * Most tasks one worker is handed at once.
     *
     * @return the batch size, at least 1.
     */
    public int workerBatch()
    {
        return workerBatch;
    }

    /**
     * How long work that holds no CPU (actor calls, zero-CPU tasks) may find every worker busy, with
     * none finishing, before one more worker is started; default 2 ms.
     *
     * @param nanos the stall in nanoseconds; negative counts as 0.
     * @return this.
     */
    public SchedulerContext workerStallNs(final long nanos)
    {
        this.workerStallNs = Math.max(0, nanos);
        return this;
    }

    /**
     * How long zero-CPU work may find every worker busy before another worker starts.
     *
     * @return the stall in nanoseconds.
     */
    public long workerStallNs()
    {
        return workerStallNs;
    }

    /**
     * Receives what escapes a task's {@code run} and errors of the scheduler's own threads; by default they are
     * logged (SLF4J, logger {@code io.tessera.scheduler.LocalScheduler}, level ERROR). {@code null} drops them.
     *
     * @param handler receives each error, on the thread that caught it; null drops them.
     * @return this.
     */
    public SchedulerContext errorHandler(final Consumer<Throwable> handler)
    {
        this.errorHandler = handler == null ? t -> { } : handler;
        return this;
    }

    /**
     * What receives escaped task errors and the scheduler threads' own errors.
     *
     * @return the handler; never null.
     */
    public Consumer<Throwable> errorHandler()
    {
        return errorHandler;
    }
}
