package io.tessera.dashboard.api;

import io.tessera.internal.cluster.ClusterHome;
import io.tessera.state.NodeInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus service discovery: the metrics endpoints of the live nodes in the format of
 * {@code http_sd_config} (served) and {@code file_sd_config} (written), one target group per node
 * labelled with its id.
 */
public final class PrometheusSd
{
    private final Path file;
    private String written;

    /**
     * Writes to {@code file} (null: serves only).
     *
     * @param file the file_sd file, next to the head's state
     */
    public PrometheusSd(Path file)
    {
        this.file = file;
    }

    /**
     * The target groups of {@code nodes}: the live ones that serve metrics.
     *
     * @param nodes the cluster's nodes
     * @return a list of {@code {"targets": [HOST:PORT], "labels": {...}}}
     */
    public static List<Map<String, Object>> targets(List<NodeInfo> nodes)
    {
        final List<Map<String, Object>> groups = new ArrayList<>();
        for (NodeInfo n : nodes)
        {
            if (!n.alive() || n.metricsAddress() == null)
            {
                continue;
            }
            final Map<String, String> labels = new LinkedHashMap<>();
            labels.put("node", n.id());
            labels.put("tessera_head", String.valueOf(n.head()));
            groups.add(Map.of("targets", List.of(n.metricsAddress()), "labels", labels));
        }
        return groups;
    }

    /**
     * Rewrites the file when the targets changed (atomically, readable by this user only).
     *
     * @param nodes the cluster's nodes
     */
    public synchronized void write(List<NodeInfo> nodes)
    {
        if (file == null)
        {
            return;
        }
        final String json = Json.text(targets(nodes));
        if (!json.equals(written))
        {
            ClusterHome.writePrivate(file, json);
            written = json;
        }
    }

    /**
     * Where it writes.
     *
     * @return the file, or null
     */
    public Path file()
    {
        return file;
    }
}
