package io.tessera.internal.cluster;

import io.tessera.internal.LocalNodeInfo;
import io.tessera.state.NodeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The nodes of the state API ({@link io.tessera.state.ClusterState#nodes()}): the head's view as
 * this member last refreshed it, with each node's store use asked over the member's own connections
 * (NODE_STATS, all nodes at once; -1 when a node does not answer within a second).
 */
public final class ClusterNodes
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNodes.class);
    private static final long STATS_TIMEOUT_MS = 1000;

    private ClusterNodes()
    {
    }

    /** The nodes {@code m} knows, its own numbers read directly; the others are asked all at once. */
    public static List<NodeInfo> of(MemberServices m, String headAddress)
    {
        final List<NodeView> view = m.view();
        final List<CompletableFuture<byte[]>> asked = new ArrayList<>(view.size());
        for (NodeView n : view)
        {
            asked.add(n.alive() && !n.address().equals(m.address()) ? m.connect(n.address()).thenCompose(c -> c.request(Msg.NODE_STATS,
                new Wire.Out().bool(false).toBytes())).orTimeout(STATS_TIMEOUT_MS, TimeUnit.MILLISECONDS) : null);
        }
        final List<NodeInfo> out = new ArrayList<>(view.size());
        for (int i = 0; i < view.size(); i++)
        {
            final NodeView n = view.get(i);
            final boolean head = n.address().equals(headAddress);
            if (n.address().equals(m.address()) && n.alive())
            {
                out.add(LocalNodeInfo.of(m.runtime().nodeId(), m.runtime().store(), m.runtime().scheduler(), m.runtime().totalResources(),
                    n.address(), head));
                continue;
            }
            final long[] store = {-1, -1};
            if (asked.get(i) != null)
            {
                try
                {
                    final Wire.In in = new Wire.In(asked.get(i).join());
                    final int count = in.i32();
                    for (int k = 0; k < count; k++)
                    {
                        final String key = in.str();
                        final long value = in.i64();
                        if (key.equals("storeUsedBytes"))
                        {
                            store[0] = value;
                        }
                        else if (key.equals("storeCapacityBytes"))
                        {
                            store[1] = value;
                        }
                    }
                }
                catch (RuntimeException unreachable)
                {
                    LOG.debug("no store numbers from {}: {}", n.address(), unreachable.getMessage());
                }
            }
            out.add(new NodeInfo(n.nodeId(), n.address(), n.alive(), head, n.total(), n.free(), store[0], store[1], null));
        }
        return out;
    }
}
