package io.tessera.internal;

import io.tessera.memory.ObjectStore;
import io.tessera.memory.StoreStats;
import io.tessera.scheduler.LocalScheduler;
import io.tessera.scheduler.SchedulerStats;
import io.tessera.state.NodeInfo;

import java.util.LinkedHashMap;
import java.util.Map;

/** This process's node as the state API shows it, read from its own scheduler and store. */
public final class LocalNodeInfo
{
    private LocalNodeInfo()
    {
    }

    /** This process's node, from its own scheduler and store. */
    public static NodeInfo of(String nodeId, ObjectStore store, LocalScheduler scheduler, Map<String, Double> total,
                              String address, boolean head, String metricsAddress)
    {
        final StoreStats s = store.stats();
        return new NodeInfo(nodeId, address, true, head, total, freeResources(scheduler.stats()), s.usedBytes(),
            s.capacityBytes(), metricsAddress);
    }

    /** What the scheduler has free, by resource name: CPU, GPU, memory first, then the custom ones. */
    public static Map<String, Double> freeResources(SchedulerStats s)
    {
        final Map<String, Double> m = new LinkedHashMap<>();
        m.put("CPU", s.availableCpus());
        m.put("GPU", s.availableGpus());
        m.put("memory", (double) s.availableMemoryBytes());
        m.putAll(s.availableCustom());
        return m;
    }
}
