package io.tessera.internal.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tessera.memory.StoreStats;
import io.tessera.scheduler.SchedulerStats;
import io.tessera.transport.TransportCounters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The engine's metrics in this process's registry ({@link ProcessMetrics#registry()}), one data point per
 * running node (label {@code node}):
 * counters and gauges read from each node's {@link NodeMetrics} and its source when scraped, and the
 * latency histograms its invocations and pulls observe. The names are in {@code docs/API.md}.
 */
public final class SystemMetrics implements MultiCollector
{
    /** Buckets of the latency histograms: 10 µs to 100 s. */
    private static final double[] SECONDS = {1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 100};

    static final Histogram QUEUE_WAIT = latency("tessera_task_queue_wait_seconds",
        "Time from a task's submission on the node that runs it until it starts (waiting for arguments, resources, a worker).");
    static final Histogram RUN_TIME = latency("tessera_task_run_seconds", "Time a task attempt runs.");
    static final Histogram PULL = latency("tessera_transport_pull_seconds", "Time an object pull into this node's store takes.");
    private static final SystemMetrics INSTANCE = new SystemMetrics();

    static
    {
        final io.prometheus.metrics.model.registry.PrometheusRegistry registry = ProcessMetrics.registry();
        registry.register(INSTANCE);
        registry.register(QUEUE_WAIT);
        registry.register(RUN_TIME);
        registry.register(PULL);
    }

    private final List<NodeMetrics> nodes = new CopyOnWriteArrayList<>();

    private SystemMetrics()
    {
    }

    private static Histogram latency(String name, String help)
    {
        return Histogram.builder().name(name).help(help).unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
            .labelNames("node").classicOnly().classicUpperBounds(SECONDS).withoutExemplars().build();
    }

    /**
     * The metrics of node {@code nodeId}, exported from now until their {@link NodeMetrics#close()}.
     *
     * @param nodeId the node's id (the {@code node} label)
     * @param source what a scrape reads
     * @return the node's metrics
     */
    public static NodeMetrics register(String nodeId, NodeMetrics.Source source)
    {
        final NodeMetrics[] made = new NodeMetrics[1];
        made[0] = new NodeMetrics(nodeId, source, QUEUE_WAIT.labelValues(nodeId), RUN_TIME.labelValues(nodeId),
            PULL.labelValues(nodeId), () ->
            {
                INSTANCE.nodes.remove(made[0]);
                QUEUE_WAIT.remove(nodeId);
                RUN_TIME.remove(nodeId);
                PULL.remove(nodeId);
            });
        INSTANCE.nodes.add(made[0]);
        return made[0];
    }

    @Override
    public MetricSnapshots collect()
    {
        final Snapshots s = new Snapshots();
        for (NodeMetrics n : nodes)
        {
            final Labels node = Labels.of("node", n.nodeId);
            s.counter("tessera_tasks_submitted", "Tasks and actor calls submitted to run on this node (first attempts).", node,
                n.submitted.sum());
            s.counter("tessera_tasks_finished", "Task attempts that ran to a result on this node.", node, n.finished.sum());
            s.counter("tessera_tasks_failed", "Tasks that ended with an error on this node (after their retries).", node,
                n.failed.sum());
            s.counter("tessera_tasks_retried", "Failed task attempts run again on this node.", node, n.retried.sum());
            final SchedulerStats sched = n.source.scheduler();
            s.gauge("tessera_tasks_running", "Workers running a task or a batch of actor calls now.", node, sched.running());
            s.gauge("tessera_scheduler_queued_tasks", "Runnable tasks waiting for resources or a worker.", node, sched.queued());
            s.gauge("tessera_scheduler_waiting_tasks", "Tasks waiting for their arguments.", node, sched.waitingOnDependencies());
            s.gauge("tessera_scheduler_workers", "Live worker threads.", node, sched.workers());
            resources(s, n.nodeId, sched);
            s.gauge("tessera_actors_alive", "Actors alive on this node.", node, n.source.actorsAlive());
            final StoreStats st = n.source.store();
            s.gauge("tessera_object_store_used_bytes", "Bytes of the object store held by objects.", node, st.usedBytes());
            s.gauge("tessera_object_store_capacity_bytes", "The object store's capacity.", node, st.capacityBytes());
            s.gauge("tessera_object_store_objects", "Objects in the store's memory.", node, st.objects());
            s.gauge("tessera_object_store_spilled_objects", "Objects spilled to disk now.", node, st.spilled());
            s.counter("tessera_object_store_evicted_objects", "Objects evicted (secondary copies dropped, primaries spilled).", node,
                st.evicted());
            s.counter("tessera_object_store_restored_objects", "Spilled objects restored into memory.", node, st.restored());
            final TransportCounters t = n.source.transport();
            if (t != null)
            {
                s.counter("tessera_transport_received_bytes", "Bytes received from other processes.", node, t.bytesIn());
                s.counter("tessera_transport_sent_bytes", "Bytes sent to other processes.", node, t.bytesOut());
                s.counter("tessera_transport_pulled_objects", "Objects pulled from other nodes.", node, t.objectsPulled());
                s.counter("tessera_transport_served_objects", "Objects served to other nodes.", node, t.objectsServed());
            }
            for (long[] gpu : n.source.gpuMemory())
            {
                final Labels l = Labels.of("gpu", String.valueOf(gpu[0]), "node", n.nodeId);
                s.gauge("tessera_gpu_memory_used_bytes", "Memory in use on the GPU (by every process), as CUDA reports it.", l,
                    gpu[2] - gpu[1]);
                s.gauge("tessera_gpu_memory_total_bytes", "The GPU's memory.", l, gpu[2]);
                if (gpu.length > 3 && gpu[3] >= 0)
                {
                    s.gauge("tessera_gpu_utilization_ratio", "Fraction of NVML's last sample period a kernel ran on the GPU.", l,
                        gpu[3] / 100.0);
                }
            }
            final long[] liveness = n.source.nodeLiveness();
            if (liveness != null)
            {
                final String help = "Nodes of the cluster by state, as the head sees them.";
                s.gauge("tessera_cluster_nodes", help, Labels.of("node", n.nodeId, "state", "alive"), liveness[0]);
                s.gauge("tessera_cluster_nodes", help, Labels.of("node", n.nodeId, "state", "dead"), liveness[1]);
            }
        }
        return s.build();
    }

    private static void resources(Snapshots s, String nodeId, SchedulerStats sched)
    {
        final String totalHelp = "What the node offers, by resource (CPU, GPU, memory in bytes, custom).";
        final String usedHelp = "What is granted to tasks and actors now, by resource.";
        resource(s, nodeId, "CPU", sched.totalCpus(), sched.availableCpus(), totalHelp, usedHelp);
        resource(s, nodeId, "GPU", sched.totalGpus(), sched.availableGpus(), totalHelp, usedHelp);
        resource(s, nodeId, "memory", sched.totalMemoryBytes(), sched.availableMemoryBytes(), totalHelp, usedHelp);
        sched.totalCustom().forEach((name, total) ->
            resource(s, nodeId, name, total, sched.availableCustom().getOrDefault(name, total), totalHelp, usedHelp));
    }

    private static void resource(Snapshots s, String nodeId, String name, double total, double available, String totalHelp,
                                 String usedHelp)
    {
        final Labels l = Labels.of("node", nodeId, "resource", name);
        s.gauge("tessera_resources_total", totalHelp, l, total);
        s.gauge("tessera_resources_used", usedHelp, l, Math.max(0, total - available));
    }

    /** Data points gathered by metric name, in first-seen order, then built into snapshots. */
    private static final class Snapshots
    {
        private final Map<String, CounterSnapshot.Builder> counters = new LinkedHashMap<>();
        private final Map<String, GaugeSnapshot.Builder> gauges = new LinkedHashMap<>();

        void counter(String name, String help, Labels labels, double value)
        {
            counters.computeIfAbsent(name, k -> CounterSnapshot.builder().name(k).help(help))
                .dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(value).build());
        }

        void gauge(String name, String help, Labels labels, double value)
        {
            gauges.computeIfAbsent(name, k -> GaugeSnapshot.builder().name(k).help(help))
                .dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
        }

        MetricSnapshots build()
        {
            final MetricSnapshots.Builder b = MetricSnapshots.builder();
            counters.values().forEach(c -> b.metricSnapshot(c.build()));
            gauges.values().forEach(g -> b.metricSnapshot(g.build()));
            return b.build();
        }
    }
}
