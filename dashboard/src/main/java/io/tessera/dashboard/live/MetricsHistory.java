package io.tessera.dashboard.live;

import io.tessera.state.NodeInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last {@code capacity} samples of each node's use — CPU, GPU, memory (the {@code memory}
 * resource) and object store, each a share from 0 to 1 — for the dashboard's charts. A sample is
 * taken once a second by {@link io.tessera.dashboard.Dashboard}; the oldest is overwritten.
 */
public final class MetricsHistory
{
    /** The series of each node, in this order. */
    public static final List<String> SERIES = List.of("cpu", "gpu", "memory", "store");

    /**
     * One sample.
     *
     * @param timeMs when it was taken (epoch milliseconds)
     * @param nodes  by node id: the share in use of each of {@link #SERIES} (NaN where the node has none)
     */
    public record Sample(long timeMs, Map<String, double[]> nodes)
    {
    }

    private final Sample[] ring;
    private long taken;

    /**
     * Keeps {@code capacity} samples.
     *
     * @param capacity samples kept, at least 1
     */
    public MetricsHistory(int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        ring = new Sample[capacity];
    }

    /**
     * Records the nodes' use now.
     *
     * @param timeMs when (epoch milliseconds)
     * @param nodes  the cluster's nodes (dead ones are left out)
     * @return the sample
     */
    public synchronized Sample add(long timeMs, List<NodeInfo> nodes)
    {
        final Map<String, double[]> m = new LinkedHashMap<>();
        for (NodeInfo n : nodes)
        {
            if (n.alive())
            {
                m.put(n.id(), new double[] {share(n, "CPU"), share(n, "GPU"), share(n, "memory"),
                    n.storeBytesUsed() >= 0 && n.storeBytesTotal() > 0 ? (double) n.storeBytesUsed() / n.storeBytesTotal() : Double.NaN});
            }
        }
        final Sample s = new Sample(timeMs, m);
        ring[(int) (taken++ % ring.length)] = s;
        return s;
    }

    private static double share(NodeInfo n, String resource)
    {
        return n.resourcesTotal().getOrDefault(resource, 0.0) > 0 ? n.used(resource) : Double.NaN;
    }

    /**
     * The samples kept, oldest first.
     *
     * @return a copy
     */
    public synchronized List<Sample> samples()
    {
        final int n = (int) Math.min(taken, ring.length);
        final List<Sample> out = new ArrayList<>(n);
        for (long i = taken - n; i < taken; i++)
        {
            out.add(ring[(int) (i % ring.length)]);
        }
        return out;
    }

    /**
     * The samples as columns for uPlot: {@code {"t": [seconds…], "series": [...], "nodes": {id: {"cpu": [..], …}}}},
     * null where a node was not sampled or has none of a resource.
     *
     * @return a JSON-ready map
     */
    public Map<String, Object> columns()
    {
        final List<Sample> samples = samples();
        final List<Double> t = new ArrayList<>(samples.size());
        final Map<String, Map<String, List<Double>>> nodes = new LinkedHashMap<>();
        for (int i = 0; i < samples.size(); i++)
        {
            final Sample s = samples.get(i);
            t.add(s.timeMs() / 1000.0);
            for (Map.Entry<String, double[]> e : s.nodes().entrySet())
            {
                final Map<String, List<Double>> columns = nodes.computeIfAbsent(e.getKey(), k -> newColumns(samples.size()));
                for (int j = 0; j < SERIES.size(); j++)
                {
                    final double v = e.getValue()[j];
                    columns.get(SERIES.get(j)).set(i, Double.isNaN(v) ? null : v);
                }
            }
        }
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("t", t);
        out.put("series", SERIES);
        out.put("nodes", nodes);
        return out;
    }

    private static Map<String, List<Double>> newColumns(int size)
    {
        final Map<String, List<Double>> m = new LinkedHashMap<>();
        for (String s : SERIES)
        {
            m.put(s, new ArrayList<>(java.util.Collections.nCopies(size, null)));
        }
        return m;
    }
}
