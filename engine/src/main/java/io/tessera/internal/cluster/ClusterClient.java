package io.tessera.internal.cluster;

import io.tessera.TesseraException;
import io.tessera.transport.Connection;
import io.tessera.transport.TransportContext;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Questions to a cluster asked as a short-lived client, from a process that is no member ({@code tessera status},
 * {@code logs}, {@code list}, tests): each opens a connection to the head (or a node), declares the status role,
 * asks, and closes.
 */
public final class ClusterClient
{
    private ClusterClient()
    {
    }

    /** A node's numbers, asked as a short-lived client (see {@link NodeStats}); throws TesseraException when unreachable. */
    public static Map<String, Long> nodeStats(String nodeAddress, String token, boolean gcFirst)
    {
        return NodeStats.query(nodeAddress, token, gcFirst);
    }

    /**
     * Asks the head at {@code headAddress} for its report, as a short-lived client.
     *
     * @throws TesseraException when the head cannot be reached or refuses the token
     */
    public static String status(String headAddress, String token)
    {
        return askHead(headAddress, token, c -> HeadProxy.status(c).orTimeout(10, TimeUnit.SECONDS).join());
    }

    /**
     * The cluster's task records, actors, objects and jobs, asked of the head as a short-lived status client (the head asks its nodes).
     *
     * @throws TesseraException when the head cannot be reached, refuses the token or a node does not answer
     */
    public static io.tessera.internal.NodeRecords stateRecords(String headAddress, String token)
    {
        return askHead(headAddress, token, c -> OwnerProxy.stateQuery(c, true).orTimeout(ClusterRecords.TIMEOUT_MS * 2,
            TimeUnit.MILLISECONDS).join());
    }

    private static <T> T askHead(String headAddress, String token, java.util.function.Function<Connection, T> ask)
    {
        final String t = token != null ? token : ClusterHome.resolve().readToken(Advertise.portOf(headAddress));
        if (t == null)
        {
            throw new TesseraException("no cluster token for " + headAddress + ": set TESSERA_TOKEN");
        }
        final TransportContext ctx = ClusterTls.apply(new TransportContext().token(t).nodeId("status-" + ProcessHandle.current().pid()));
        try (Connection c = io.tessera.transport.TransportClient.connect(ctx, Advertise.hostOf(headAddress), Advertise.portOf(headAddress)))
        {
            OwnerProxy.role(c, "status");
            return ask.apply(c);
        }
        catch (RuntimeException ex)
        {
            throw new TesseraException("cannot reach the head at " + headAddress + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Where each live node of the cluster at {@code headAddress} serves {@code /metrics} ({@code tessera status}).
     *
     * @return {@code HOST:PORT} (or "none", or "unreachable") by node id, in the head's order
     * @throws TesseraException when the head cannot be reached or refuses the token
     */
    public static Map<String, String> metricsAddresses(String headAddress, String token)
    {
        final Map<String, String> out = new java.util.LinkedHashMap<>();
        for (io.tessera.state.NodeInfo n : nodes(headAddress, token))
        {
            if (n.alive())
            {
                out.put(n.id(), n.metricsAddress() != null ? n.metricsAddress() : n.storeBytesTotal() < 0 ? "unreachable" : "none");
            }
        }
        return out;
    }

    /**
     * The cluster's nodes for the state API ({@code tessera list nodes}): the head's view, each live node asked for
     * its store use and metrics port as a short-lived client (-1 and no metrics address when it does not answer).
     *
     * @return the nodes, dead ones included, in the head's order
     * @throws TesseraException when the head cannot be reached or refuses the token
     */
    public static List<io.tessera.state.NodeInfo> nodes(String headAddress, String token)
    {
        final String t = token != null ? token : ClusterHome.resolve().readToken(Advertise.portOf(headAddress));
        final List<NodeView> view = askHead(headAddress, t, c -> HeadProxy.view(c).orTimeout(10, TimeUnit.SECONDS).join());
        final List<io.tessera.state.NodeInfo> out = new java.util.ArrayList<>(view.size());
        for (NodeView n : view)
        {
            Map<String, Long> stats = Map.of();
            if (n.alive())
            {
                try
                {
                    stats = NodeStats.query(n.address(), t, false);
                }
                catch (TesseraException unreachable)
                {
                    // listed without its numbers
                }
            }
            final long port = stats.getOrDefault(NodeStats.METRICS_PORT, -1L);
            out.add(new io.tessera.state.NodeInfo(n.nodeId(), n.address(), n.alive(), n.address().equals(headAddress), n.total(),
                n.free(), stats.getOrDefault("storeUsedBytes", -1L), stats.getOrDefault("storeCapacityBytes", -1L),
                port < 0 ? null : Advertise.hostOf(n.address()) + ":" + port));
        }
        return out;
    }

    /**
     * Asks the head at {@code headAddress} for logs, as a short-lived client ({@code tessera logs}).
     *
     * @throws TesseraException when the head cannot be reached
     * @throws IllegalArgumentException when the head refuses the query (an unknown job, actor or node: the message says which)
     */
    public static LogLines logs(String headAddress, String token, LogQuery query)
    {
        final java.util.concurrent.atomic.AtomicReference<String> refused = new java.util.concurrent.atomic.AtomicReference<>();
        final LogLines lines = askHead(headAddress, token, c ->
        {
            try
            {
                return LogProxy.logs(c, query).orTimeout(30, TimeUnit.SECONDS).join();
            }
            catch (java.util.concurrent.CompletionException ex)
            {
                if (ex.getCause() instanceof io.tessera.transport.RemoteException r)
                {
                    final String m = r.getMessage();
                    refused.set(m.substring(m.indexOf(" with an error: ") + " with an error: ".length()));
                    return null;
                }
                throw ex;
            }
        });
        if (refused.get() != null)
        {
            throw new IllegalArgumentException(refused.get());
        }
        return lines;
    }
}
