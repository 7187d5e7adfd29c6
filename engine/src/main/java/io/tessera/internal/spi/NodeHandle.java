package io.tessera.internal.spi;

import io.tessera.internal.cluster.HeadJobs;
import io.tessera.internal.cluster.LogLines;
import io.tessera.internal.cluster.LogQuery;
import io.tessera.state.ClusterState;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * What a {@link NodeExtension} gets from the node process that starts it.
 *
 * @param nodeId   the node's id
 * @param head     true on the head
 * @param host     the interface the node listens on (extensions bind there too)
 * @param address  the node's transport address, {@code HOST:PORT}
 * @param token    the cluster token (what a non-loopback client must present)
 * @param home     the directory of this user's node state ({@code TESSERA_HOME})
 * @param settings extension settings from the command line, e.g. {@code dashboard.port}
 * @param state    the state API of the cluster as this node sees it
 * @param logs     the head's logs API (what {@code tessera logs} reads): task output by job or actor, a node's log;
 *                 null on other nodes
 * @param jobs     the head's hooks for the jobs API; null on other nodes
 */
public record NodeHandle(String nodeId, boolean head, String host, String address, String token, Path home,
                         Map<String, String> settings, ClusterState state, Function<LogQuery, LogLines> logs,
                         HeadJobs jobs)
{
    /** Copies the settings. */
    public NodeHandle
    {
        settings = Map.copyOf(settings);
    }

    /** A handle without the logs API and the jobs API's hooks. */
    public NodeHandle(String nodeId, boolean head, String host, String address, String token, Path home,
                      Map<String, String> settings, ClusterState state)
    {
        this(nodeId, head, host, address, token, home, settings, state, null, null);
    }

    /** The head's transport port (the number in its files under {@link #home()}). */
    public int port()
    {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
