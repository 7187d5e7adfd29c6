package io.tessera.internal.cluster;

import io.tessera.TesseraException;
import io.tessera.internal.NodeRecords;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The head's answer to a state query for the whole cluster: its own node's records read directly,
 * every other live node asked at once (STATE_QUERY for its own records), the answers merged.
 */
final class ClusterRecords
{
    /** How long the head waits for a node's records. */
    static final long TIMEOUT_MS = 5000;

    private ClusterRecords()
    {
    }

    /** Every live node's records, as member {@code m} (the head) sees the nodes. */
    static NodeRecords gather(MemberServices m)
    {
        final List<NodeView> view = m.view();
        final List<CompletableFuture<NodeRecords>> asked = new ArrayList<>(view.size());
        boolean self = false;
        for (NodeView n : view)
        {
            if (!n.alive())
            {
                continue;
            }
            if (n.address().equals(m.address()))
            {
                self = true;
                continue;
            }
            asked.add(m.connect(n.address()).thenCompose(c -> OwnerProxy.stateQuery(c, false))
                .orTimeout(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        }
        final List<NodeRecords> parts = new ArrayList<>(asked.size() + 1);
        if (self)
        {
            parts.add(m.runtime().localRecords());
        }
        for (CompletableFuture<NodeRecords> f : asked)
        {
            try
            {
                parts.add(f.join());
            }
            catch (CompletionException ex)
            {
                throw new TesseraException("a node did not answer the state query: " + ex.getCause(), ex.getCause());
            }
        }
        return NodeRecords.merge(parts);
    }
}
