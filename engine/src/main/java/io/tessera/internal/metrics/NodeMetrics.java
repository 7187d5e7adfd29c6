package io.tessera.internal.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.tessera.memory.StoreStats;
import io.tessera.scheduler.SchedulerStats;
import io.tessera.transport.TransportCounters;

import java.util.concurrent.atomic.LongAdder;

/**
 * One node's system metrics: the task counters and latencies its invocations record (a counter
 * increment, two clock reads and two histogram observations per task, no allocation), and a
 * {@link Source} the scrape reads the rest from (store, scheduler, transport, liveness). Exported by
 * {@link SystemMetrics} (which makes it) with the label {@code node}; {@link #close()} removes it from the export.
 */
public final class NodeMetrics implements AutoCloseable
{
    /**
     * Whether invocations count and time themselves: {@code -Dtessera.metrics.tasks=false} switches it
     * off (the baseline of the JMH comparison).
     */
    public static final boolean TASKS_ON = !"false".equals(System.getProperty("tessera.metrics.tasks"));

    /** What a scrape reads from the node at that moment. */
    public interface Source
    {
        /** The store's counters. */
        StoreStats store();

        /** The scheduler's queues and resources. */
        SchedulerStats scheduler();

        /** Actors alive on this node. */
        long actorsAlive();

        /** The transport's counters; null outside a cluster. */
        TransportCounters transport();

        /** On the head: nodes alive and dead as {@code {alive, dead}}; null elsewhere. */
        long[] nodeLiveness();

        /**
         * Each CUDA device of the node as {@code {ordinal, free bytes, total bytes, percent busy}} (busy: NVML's
         * utilisation, -1 without NVML); empty without one.
         */
        long[][] gpuMemory();
    }

    final String nodeId;
    final Source source;
    final LongAdder submitted = new LongAdder();
    final LongAdder finished = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder retried = new LongAdder();
    private final DistributionDataPoint queueWait;
    private final DistributionDataPoint runTime;
    private final DistributionDataPoint pull;
    private final Runnable onClose;

    NodeMetrics(String nodeId, Source source, DistributionDataPoint queueWait, DistributionDataPoint runTime,
                DistributionDataPoint pull, Runnable onClose)
    {
        this.nodeId = nodeId;
        this.source = source;
        this.queueWait = queueWait;
        this.runTime = runTime;
        this.pull = pull;
        this.onClose = onClose;
    }

    /** A task, actor creation or actor call was submitted to run here (its first attempt). */
    public void submitted()
    {
        submitted.increment();
    }

    /** An attempt ran to a result. */
    public void finished()
    {
        finished.increment();
    }

    /** A task ended with an error (its own, a failed dependency, a cancellation, or it could not run). */
    public void failed()
    {
        failed.increment();
    }

    /** A failed attempt is run again. */
    public void retried()
    {
        retried.increment();
    }

    /**
     * An attempt starts: records the time it waited since it was submitted.
     *
     * @param submittedNs {@link System#nanoTime()} at submission
     * @return the start, {@link System#nanoTime()}
     */
    public long started(long submittedNs)
    {
        final long now = System.nanoTime();
        queueWait.observe((now - submittedNs) * 1e-9);
        return now;
    }

    /**
     * An attempt is over: records how long it ran.
     *
     * @param startNs what {@link #started} returned
     */
    public void ran(long startNs)
    {
        runTime.observe((System.nanoTime() - startNs) * 1e-9);
    }

    /**
     * An object pull into this node's store completed.
     *
     * @param startNs {@link System#nanoTime()} when it began
     */
    public void pulled(long startNs)
    {
        pull.observe((System.nanoTime() - startNs) * 1e-9);
    }

    /** Stops exporting this node's metrics. */
    @Override
    public void close()
    {
        onClose.run();
    }
}
