package io.tessera.internal.cluster;

import io.tessera.TesseraException;
import io.tessera.internal.NodeRecords;
import io.tessera.transport.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The head's answer to a state query for the whole cluster: its own node's records read directly,
 * every other live node and every connected driver asked at once (STATE_QUERY for its own records; of a
 * driver only its store's objects are taken: it runs no tasks or actors), the answers merged, with the
 * head's job table.
 */
final class ClusterRecords
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRecords.class);
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
        final List<CompletableFuture<NodeRecords>> drivers = new ArrayList<>();
        for (Connection d : m.driverConnections())
        {
            drivers.add(OwnerProxy.stateQuery(d, false).thenApply(NodeRecords::objectsOnly).orTimeout(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        }
        final List<NodeRecords> parts = new ArrayList<>(asked.size() + 1);
        if (self)
        {
            parts.add(m.localRecords());
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
        for (CompletableFuture<NodeRecords> f : drivers)
        {
            try
            {
                parts.add(f.join());
            }
            catch (CompletionException ex)
            {
                // a driver ending now: its objects go with it
                LOG.debug("a driver did not answer the state query: {}", ex.getCause().toString());
            }
        }
        return NodeRecords.merge(parts).withJobs(m.jobTable());
    }
}
