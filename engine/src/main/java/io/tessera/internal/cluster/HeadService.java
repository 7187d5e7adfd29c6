package io.tessera.internal.cluster;

import io.tessera.transport.Connection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The head node's duties: the cluster tables ({@link HeadState}), journaled to Chronicle Queue
 * before each change is acknowledged, node liveness from heartbeats (a node missing them for two
 * timeouts is declared dead and every connected member is told), and lookups of named actors.
 */
final class HeadService implements AutoCloseable, HeadAdapter.Handler
{
    private static final Logger LOG = LoggerFactory.getLogger(HeadService.class);

    private final HeadState state = new HeadState();
    private final HeadAdapter adapter = new HeadAdapter(this);
    private final HeadJournal journal;
    private final long heartbeatTimeoutMs;
    private final Set<Connection> members = ConcurrentHashMap.newKeySet();
    /** The node running in this process (its NODE_DOWN is journaled on a graceful stop), or null. */
    private final String ownNodeId;
    private final HeadJournal.Replay recovery;
    private volatile boolean closing;
    /** Jobs whose driver is connected to this head now: jobId → the driver's connection. */
    private final Map<String, Connection> jobDrivers = new ConcurrentHashMap<>();
    /** How long a job outlives its driver's connection to the head ({@code tessera.jobGraceMs}): a driver reconnects within it. */
    private final long jobGraceMs = Long.getLong("tessera.jobGraceMs", 30_000);
    /** Told (jobId, driver nodeId or "") when a job ends, for the node in this process. */
    private volatile java.util.function.BiConsumer<String, String> jobGone = (job, driver) -> { };
    private final ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor(r ->
    {
        final Thread t = new Thread(r, "tessera-head-monitor");
        t.setDaemon(true);
        return t;
    });

    HeadService(Path journalDir, long heartbeatTimeoutMs)
    {
        this.heartbeatTimeoutMs = heartbeatTimeoutMs;
        this.journal = new HeadJournal(journalDir);
        final io.tessera.internal.Node node = io.tessera.internal.CurrentNode.orNull();
        this.ownNodeId = node == null ? null : node.nodeId();
        recovery = journal.replay(c -> c.apply(state));
        final long now = System.currentTimeMillis();
        state.nodes.values().forEach(n ->
        {
            n.lastHeartbeatMs = now;
            n.confirmed = !n.alive;
        });
        if (recovery.entries() > 0)
        {
            LOG.info("head recovered {} journal entries: {} nodes (unconfirmed until they "
                + "reconnect), {} named actors, {} jobs", recovery.entries(), state.liveNodes().size(),
                state.namedActors.size(), state.jobs.size());
        }
        monitor.scheduleAtFixedRate(this::checkLiveness, heartbeatTimeoutMs / 2, heartbeatTimeoutMs / 2, TimeUnit.MILLISECONDS);
        monitor.execute(this::probeUnconfirmed);
        if (!state.jobs.isEmpty())
        {
            monitor.schedule(this::endOrphanJobs, jobGraceMs, TimeUnit.MILLISECONDS);
        }
    }

    void onJobGone(java.util.function.BiConsumer<String, String> listener)
    {
        jobGone = listener;
    }

    /** Jobs from the journal whose driver did not come back within the grace period after a restart have ended. */
    private void endOrphanJobs()
    {
        for (String job : state.jobs.keySet())
        {
            if (!jobDrivers.containsKey(job))
            {
                endJob(job, "", "its driver did not reconnect within " + jobGraceMs + " ms of the head's restart");
            }
        }
    }

    /** A job ended: journal it, tell every member (nodes free what they hold for it) and the node in this process. */
    private void endJob(String jobId, String driverNodeId, String why)
    {
        jobDrivers.remove(jobId);
        if (!state.jobs.containsKey(jobId))
        {
            return;
        }
        LOG.info("job {} ended: {}", jobId, why);
        change(new HeadState.JobEnded(jobId));
        OwnerProxy.jobGone(members, jobId, driverNodeId);
        jobGone.accept(jobId, driverNodeId);
    }

    /**
     * Nodes from the journal that no longer listen at their address (killed while the head was
     * away) are dead now, not after two heartbeat timeouts.
     */
    private void probeUnconfirmed()
    {
        for (HeadState.NodeInfo n : state.nodes.values())
        {
            if (!n.alive || n.confirmed)
            {
                continue;
            }
            final int colon = n.address.lastIndexOf(':');
            try (java.net.Socket s = new java.net.Socket())
            {
                s.connect(new java.net.InetSocketAddress(n.address.substring(0, colon),
                    Integer.parseInt(n.address.substring(colon + 1))), 500);
            }
            catch (java.io.IOException | RuntimeException unreachable)
            {
                if (state.nodes.get(n.nodeId) == n && n.alive && !n.confirmed)
                {
                    declareDead(n, "it no longer answers at " + n.address + " after the head restarted");
                }
            }
        }
    }

    HeadState state()
    {
        return state;
    }

    private void change(HeadState.Change c)
    {
        journal.append(c);
        c.apply(state);
    }

    /** Handles a head message; false when {@code type} is not one. */
    boolean onMessage(Connection c, int type, long correlationId, MemorySegment payload)
    {
        return adapter.onMessage(c, type, correlationId, payload);
    }

    @Override
    public void onRegister(Connection c, long correlationId, String nodeId, String address, String host, String store,
                           Map<String, Double> total)
    {
        members.add(c);
        c.attach(nodeId);
        // a node known at the same address is an earlier process that held this port: gone
        for (HeadState.NodeInfo earlier : state.nodes.values())
        {
            if (earlier.alive && earlier.address.equals(address) && !earlier.nodeId.equals(nodeId))
            {
                declareDead(earlier, "node " + nodeId + " now listens at its address");
            }
        }
        change(new HeadState.NodeUp(nodeId, address, host, store, total));
        state.nodes.get(nodeId).lastHeartbeatMs = System.currentTimeMillis();
        LOG.info("node {} registered at {} with {}", nodeId, address, total);
        HeadProxy.registered(c, correlationId);
    }

    @Override
    public void onHeartbeat(Connection c, String nodeId, Map<String, Double> free, long tasksCompleted, long taskErrors)
    {
        final HeadState.NodeInfo n = state.nodes.get(nodeId);
        if (n != null)
        {
            n.free = free;
            n.tasksCompleted = tasksCompleted;
            n.taskErrors = taskErrors;
            n.lastHeartbeatMs = System.currentTimeMillis();
            n.confirmed = true;
            if (!n.alive && c.isOpen())
            {
                LOG.warn("node {} heartbeats again after being declared dead: alive again", n.nodeId);
                change(new HeadState.NodeUp(n.nodeId, n.address, n.host, n.storePath, n.total));
                // the revived entry is a new one: without this heartbeat it would be declared dead again at once
                final HeadState.NodeInfo revived = state.nodes.get(n.nodeId);
                revived.free = free;
                revived.tasksCompleted = tasksCompleted;
                revived.taskErrors = taskErrors;
                revived.lastHeartbeatMs = n.lastHeartbeatMs;
            }
        }
    }

    @Override
    public void onView(Connection c, long correlationId)
    {
        members.add(c);
        // an unconfirmed node is reported alive (saying dead would make members give up its
        // work) but with nothing free, so placement prefers confirmed ones
        HeadProxy.replyView(c, correlationId, state.nodes.values().stream().map(n -> new NodeView(n.nodeId,
            n.address, n.host, n.storePath, n.alive, n.total, n.confirmed ? n.free : nothingFree(n.total))).toList());
    }

    @Override
    public void onStatus(Connection c, long correlationId)
    {
        HeadProxy.replyStatus(c, correlationId, report());
    }

    @Override
    public void onNameActor(Connection c, long correlationId, HeadState.ActorInfo a)
    {
        final HeadState.ActorInfo prior = state.namedActors.get(a.key());
        final HeadState.NodeInfo priorNode = prior == null ? null : state.nodes.get(prior.nodeId());
        if (prior != null && priorNode != null && priorNode.alive && !prior.actorId().equals(a.actorId()))
        {
            HeadProxy.replyNameActor(c, correlationId, "actor " + prior.actorId() + " on node " + prior.nodeId());
        }
        else
        {
            change(new HeadState.ActorNamed(a));
            HeadProxy.replyNameActor(c, correlationId, null);
        }
    }

    @Override
    public void onLookupActor(Connection c, long correlationId, String namespace, String name)
    {
        final HeadState.ActorInfo a = state.namedActors.get(HeadState.key(namespace, name));
        final HeadState.NodeInfo n = a == null ? null : state.nodes.get(a.nodeId());
        HeadProxy.replyLookupActor(c, correlationId, a != null && n != null && n.alive ? a : null);
    }

    @Override
    public void onObjectAt(Connection c, String objectId, String nodeId)
    {
        change(new HeadState.ObjectAt(objectId, nodeId));
    }

    @Override
    public void onActorUp(Connection c, HeadState.ActorInfo actor)
    {
        change(new HeadState.ActorUp(actor));
    }

    @Override
    public void onActorDown(Connection c, String actorId)
    {
        change(new HeadState.ActorDown(actorId));
        // a name dies with its actor (a node killing the actors of an ended job does not know their names)
        state.namedActors.values().stream().filter(a -> a.actorId().equals(actorId)).toList()
            .forEach(a -> change(new HeadState.ActorGone(a.namespace(), a.name(), actorId)));
    }

    @Override
    public void onObjectGone(Connection c, String objectId)
    {
        change(new HeadState.ObjectGone(objectId));
    }

    @Override
    public void onUnnameActor(Connection c, String namespace, String name, String actorId)
    {
        change(new HeadState.ActorGone(namespace, name, actorId));
    }

    @Override
    public void onJob(Connection c, String jobId, String driver)
    {
        members.add(c);
        jobDrivers.put(jobId, c);
        if (!driver.equals(state.jobs.get(jobId)))
        {
            change(new HeadState.JobStarted(jobId, driver));
        }
    }

    @Override
    public void onJobEnd(Connection c, long correlationId, String jobId)
    {
        if (jobDrivers.get(jobId) != c)
        {
            c.replyError(correlationId, "job " + jobId + " is not this connection's job; only its driver ends it");
        }
        else
        {
            endJob(jobId, c.peerNodeId(), "its driver finished");
            HeadProxy.jobEnded(c, correlationId);
        }
    }

    /** The jobs the head knows, with their times, for the state API. */
    List<io.tessera.state.JobInfo> jobInfos()
    {
        return state.jobInfos();
    }

    /** The connections of the drivers connected now (the state API asks them for their stores' objects). */
    List<Connection> driverConnections()
    {
        return List.copyOf(jobDrivers.values());
    }

    /** The jobs API's hooks on this head (issue #16): its submission records in the journal, ending a job now. */
    HeadJobs jobsApi()
    {
        return new HeadJobs()
        {
            @Override
            public Map<String, String> records()
            {
                return Map.copyOf(state.submissions);
            }

            @Override
            public void record(String submissionId, String record)
            {
                change(new HeadState.Submission(submissionId, record));
            }

            @Override
            public void endJob(String jobId, String why)
            {
                final Connection driver = jobDrivers.get(jobId);
                HeadService.this.endJob(jobId, driver == null ? "" : driver.peerNodeId(), why);
            }
        };
    }

    /** The connection of job {@code jobId}'s driver while it is connected, else null. */
    Connection driverOf(String jobId)
    {
        return jobDrivers.get(jobId);
    }

    /** The live actor with id or name {@code idOrName} (in any namespace), or null. */
    HeadState.ActorInfo actor(String idOrName)
    {
        final HeadState.ActorInfo byId = state.actors.get(idOrName);
        return byId != null ? byId
            : state.namedActors.values().stream().filter(a -> a.name().equals(idOrName)).findFirst().orElse(null);
    }

    void onClose(Connection c)
    {
        members.remove(c);
        jobDrivers.forEach((job, driver) ->
        {
            if (driver == c && !closing)
            {
                monitor.schedule(() ->
                {
                    if (jobDrivers.remove(job, c))
                    {
                        endJob(job, c.peerNodeId(), "its driver's connection to the head closed " + jobGraceMs + " ms ago");
                    }
                }, jobGraceMs, TimeUnit.MILLISECONDS);
            }
        });
        if (!closing && c.attachment() instanceof String nodeId)
        {
            final HeadState.NodeInfo n = state.nodes.get(nodeId);
            if (n != null && n.alive)
            {
                declareDead(n, "its connection to the head closed");
            }
        }
    }

    private void declareDead(HeadState.NodeInfo n, String why)
    {
        LOG.warn("node {} at {} declared dead: {}", n.nodeId, n.address, why);
        change(new HeadState.NodeDown(n.nodeId));
        OwnerProxy.nodeDead(members, n.nodeId, n.address);
    }

    private static Map<String, Double> nothingFree(Map<String, Double> total)
    {
        final Map<String, Double> m = new java.util.LinkedHashMap<>();
        total.keySet().forEach(k -> m.put(k, 0.0));
        return m;
    }

    private void checkLiveness()
    {
        final long now = System.currentTimeMillis();
        for (HeadState.NodeInfo n : state.nodes.values())
        {
            if (n.alive && now - n.lastHeartbeatMs > 2 * heartbeatTimeoutMs)
            {
                declareDead(n, "no heartbeat for " + (now - n.lastHeartbeatMs) + " ms");
            }
        }
    }

    /** What {@code tessera status} prints. */
    String report()
    {
        final StringBuilder b = new StringBuilder();
        final Map<String, HeadState.NodeInfo> live = state.liveNodes();
        final long unconfirmed = live.values().stream().filter(n -> !n.confirmed).count();
        b.append("nodes: ").append(live.size() - unconfirmed).append(" alive, ");
        if (unconfirmed > 0)
        {
            b.append(unconfirmed).append(" unconfirmed (known from the journal, not reconnected since the head restarted), ");
        }
        b.append(state.nodes.size() - live.size()).append(" dead\n");
        state.nodes.values().stream().sorted((x, y) -> x.nodeId.compareTo(y.nodeId)).forEach(n ->
            b.append("  ").append(!n.alive ? "dead  " : n.confirmed ? "alive "
                : "unconfirmed ").append(n.nodeId).append(" ").append(n.address)
                .append("  total ").append(ResourceAmounts.format(n.total)).append("  free ").append(ResourceAmounts.format(n.free))
                .append("  tasks run ").append(n.tasksCompleted).append(", scheduler errors ").append(n.taskErrors).append('\n'));
        b.append("actors: ").append(state.actors.size()).append(" alive\n");
        b.append("named actors: ").append(state.namedActors.size()).append('\n');
        state.namedActors.values().stream().sorted((x, y) -> x.key().compareTo(y.key()))
            .forEach(a -> b.append("  ").append(a.name()).append(" (namespace ").append(a.namespace()).append(") -> ").append(a.className())
            .append(" on ").append(a.nodeId()).append('\n'));
        b.append("jobs: ").append(state.jobs.size()).append('\n');
        b.append("objects with known locations: ").append(state.objectLocations.size()).append('\n');
        if (recovery.damage() != null)
        {
            b.append("journal: damaged at the last start (").append(recovery.damage()).append("); recovered ")
                .append(recovery.entries()).append(" entries, damaged files moved to ").append(recovery.movedTo()).append('\n');
        }
        return b.toString();
    }

    /** The head is going away: connections closing now say nothing about the nodes. */
    void closing()
    {
        closing = true;
        monitor.shutdownNow();
    }

    @Override
    public void close()
    {
        closing();
        // The head's own node goes down with it: say so, or a restarted head would wait for it.
        final HeadState.NodeInfo own = ownNodeId == null ? null : state.nodes.get(ownNodeId);
        if (own != null && own.alive)
        {
            try
            {
                change(new HeadState.NodeDown(ownNodeId));
            }
            catch (RuntimeException journalGone)
            {
                LOG.warn("cannot journal that node {} stopped: {}", ownNodeId, journalGone.getMessage());
            }
        }
        journal.close();
    }
}
