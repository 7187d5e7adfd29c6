package io.tessera.internal.cluster;

import io.tessera.TesseraException;
import io.tessera.internal.ActorRef;
import io.tessera.internal.CallSpec;
import io.tessera.internal.LocalRuntime;
import io.tessera.internal.ObjectCell;
import io.tessera.internal.RemoteExecutor;
import io.tessera.scheduler.ResourceRequest;
import io.tessera.transport.Connection;
import io.tessera.transport.MessageHandler;
import io.tessera.transport.TransportContext;
import io.tessera.transport.TransportServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * This process's place in a cluster: its transport endpoint (one server, whose outgoing
 * connections share its event loops and handler), its link to the head ({@link HeadLink}), the head's view of
 * the nodes, and the three duties a process may have: owner of tasks and objects ({@link Owner}),
 * worker node ({@link NodeService}), head ({@link HeadService}).
 */
public final class ClusterMember implements RemoteExecutor, MessageHandler, MemberServices
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);

    final LocalRuntime runtime;
    final Role role;
    final String jobId;
    final TransportServer server;
    final String address;
    final String headAddress;
    final Owner owner;
    final NodeService node;
    final HeadService head;
    final JobClasspath.Cache cache;
    /** Borrows other processes registered here, by peer (given back when the peer is gone for good). */
    final Borrowers borrowers = new Borrowers();
    /** What each peer may send here, by its declared role. */
    final PeerRoles roles = new PeerRoles();
    private final OwnerAdapter ownerMessages;
    /** Connections to the other members, the dead addresses, pulls in progress, stores mapped from this host. */
    private final PeerLinks links;
    /** Task output: captured on a node, forwarded by the head, printed by a driver (see {@link TaskLogs}). */
    final TaskLogs logs;
    private final ClusterHome home;
    /** The connection to the head, the tick (heartbeat, view refresh, reconnect) and the head's view of the nodes. */
    private final HeadLink headLink;
    final java.util.concurrent.ExecutorService recovery = Executors.newSingleThreadExecutor(r ->
    {
        final Thread t = new Thread(r, "tessera-cluster-recovery");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    private ClusterMember(LocalRuntime runtime, Role role, String host, int port, String headAddress, String token,
                          ClusterHome home, long heartbeatTimeoutMs, String advertiseHost, boolean logToDriver)
    {
        this.runtime = runtime;
        this.home = home;
        this.role = role;
        this.jobId = role == Role.DRIVER ? givenJobId() : null;
        this.cache = new JobClasspath.Cache(home.cacheDir());
        this.head = role == Role.HEAD ? new HeadService(home.journalDir(port), heartbeatTimeoutMs) : null;
        // the parts keep this member and ask it for its address only once it is bound; they exist before
        // the server does, so that no message (a node re-dialling a fixed port) finds them missing
        this.owner = new Owner(this);
        this.node = role == Role.DRIVER ? null : new NodeService(this);
        this.ownerMessages = new OwnerAdapter(new MemberHandler(this, owner, node, borrowers, roles));
        final TransportContext ctx = ClusterTls.apply(new TransportContext().host(host).port(port).token(token)
            .nodeId(runtime.nodeId()).store(runtime.store()));
        TransportServer s = null;
        try
        {
            s = TransportServer.bind(ctx, this);
        }
        finally
        {
            if (s == null && head != null)
            {
                head.close();
            }
        }
        this.server = s;
        this.address = Advertise.host(host, advertiseHost) + ":" + server.port();
        this.headAddress = role == Role.HEAD ? address : headAddress;
        this.links = new PeerLinks(server, roles, role == Role.DRIVER ? "driver" : "node", runtime.store(),
            Advertise.hostOf(address));
        this.logs = new TaskLogs(this, head, logToDriver);
        if (head != null)
        {
            head.onJobGone(this::jobGone);
        }
        this.headLink = new HeadLink(this, links, this.headAddress, node != null);
    }

    /**
     * Joins the cluster at {@code headAddress} as a driver: tasks and actors run on the nodes.
     *
     * @throws TesseraException when the head cannot be reached or refuses the token
     */
    public static ClusterMember joinAsDriver(LocalRuntime runtime, String headAddress, String token)
    {
        return joinAsDriver(runtime, headAddress, token, true);
    }

    /**
     * The same; {@code logToDriver}: print what the job's tasks print on the nodes here, prefixed by where it ran.
     *
     * @throws TesseraException when the head cannot be reached or refuses the token
     */
    public static ClusterMember joinAsDriver(LocalRuntime runtime, String headAddress, String token, boolean logToDriver)
    {
        final ClusterHome home = ClusterHome.resolve();
        final String t = token != null ? token : home.readToken(Advertise.portOf(headAddress));
        if (t == null)
        {
            throw new TesseraException("no cluster token for " + headAddress + ": set TESSERA_TOKEN (or tessera.token), "
                + "or run on the head's host as the user who started it (its token is in "
                + home.tokenFile(Advertise.portOf(headAddress)) + ")");
        }
        final ClusterMember m = new ClusterMember(runtime, Role.DRIVER, localHost(headAddress), 0, headAddress, t, home, 500, null,
            logToDriver);
        m.start();
        return m;
    }

    /** Starts a node: the head (with its tables) when {@code headAddress} is null, else a worker joining it. */
    public static ClusterMember startNode(LocalRuntime runtime, String host, int port, String headAddress, String token,
                                          long heartbeatTimeoutMs)
    {
        return startNode(runtime, host, port, headAddress, token, heartbeatTimeoutMs, null);
    }

    /**
     * The same, announcing {@code advertiseHost} to the others (null: {@code host}, or this machine's
     * address when {@code host} is a wildcard such as 0.0.0.0).
     */
    public static ClusterMember startNode(LocalRuntime runtime, String host, int port, String headAddress, String token,
                                          long heartbeatTimeoutMs, String advertiseHost)
    {
        final ClusterHome home = ClusterHome.resolve();
        home.pruneLogs();
        Advertise.warnIfExposed(host);
        final ClusterMember m = new ClusterMember(runtime, headAddress == null ? Role.HEAD : Role.WORKER, host, port,
            headAddress, token, home, heartbeatTimeoutMs, advertiseHost, false);
        m.start();
        return m;
    }

    private void start()
    {
        try
        {
            headLink.connectHead();
        }
        catch (RuntimeException ex)
        {
            close();
            throw new TesseraException("cannot join the cluster at " + headAddress + ": " + ex.getMessage(), ex);
        }
        if (node != null)
        {
            logs.startCapture(home);
        }
        headLink.startTicking();
        LOG.info("{} {} at {} joined the cluster of head {} ({})",
            role, runtime.nodeId(), address, headAddress, server.kind());
    }

    /** Asks the head for the nodes now (a node that just joined is usable at once); quiet if the head is away. */
    @Override
    public void refreshViewNow()
    {
        headLink.refreshViewNow();
    }

    @Override
    public List<NodeView> view()
    {
        return headLink.view();
    }

    @Override
    public io.tessera.transport.TransportCounters transportCounters()
    {
        return server.counters();
    }

    @Override
    public long[] nodeLiveness()
    {
        if (role != Role.HEAD)
        {
            return null;
        }
        long alive = 0;
        long dead = 0;
        for (NodeView n : headLink.view())
        {
            if (n.alive())
            {
                alive++;
            }
            else
            {
                dead++;
            }
        }
        return new long[] {alive, dead};
    }

    @Override
    public Connection headConnection()
    {
        return headLink.connection();
    }







    /** A connection to {@code address}, opened once and shared. */
    @Override
    public CompletableFuture<Connection> connect(String peerAddress)
    {
        return links.connect(peerAddress);
    }

    @Override
    public io.tessera.memory.ObjectStore sharedStoreOf(String nodeId)
    {
        return links.sharedStoreOf(nodeId, headLink.view());
    }

    @Override
    public boolean isDead(String peerAddress)
    {
        return links.isDead(peerAddress);
    }

    /** Marks a node dead; what it hosted is dealt with off the I/O threads (restarts block on requests). */
    @Override
    public void markDead(String peerAddress)
    {
        // the head's connection is left to the head link's tick, which re-establishes it (a restarted head keeps its address)
        if (links.markDead(peerAddress, !peerAddress.equals(headAddress)))
        {
            recovery.execute(() -> owner.nodeDied(peerAddress));
        }
    }

    @Override
    public CompletableFuture<io.tessera.transport.PulledObject> pull(io.tessera.memory.ObjectId id, List<String> holders)
    {
        final long startNs = System.nanoTime();
        final CompletableFuture<io.tessera.transport.PulledObject> pulled = links.pull(id, holders);
        if (!pulled.isDone())
        {
            pulled.thenRun(() -> runtime.metrics().pulled(startNs));  // as long as this reader waited for it
        }
        return pulled;
    }

    @Override
    public void onMessage(Connection c, int type, long correlationId, MemorySegment payload)
    {
        try
        {
            if (type != Msg.ROLE)
            {
                final String refused = roles.refusal(c, type, headLink != null && headLink.isHeadConnection(c));
                if (refused != null)
                {
                    LOG.warn("refused message type {} from {}: {}", type, c.peerNodeId(), refused);
                    if (correlationId != 0)
                    {
                        c.replyError(correlationId, "refused: " + refused);
                    }
                    return;
                }
                if (head != null && head.onMessage(c, type, correlationId, payload))
                {
                    return;
                }
            }
            // null only while the constructor runs: a message that early is not a log message anyone waits for
            if (logs != null && logs.onMessage(c, type, correlationId, payload))
            {
                return;
            }
            if (!ownerMessages.onMessage(c, type, correlationId, payload)
                && (node == null || !node.onMessage(c, type, correlationId, payload)))
            {
                LOG.warn("unexpected message type {} from {}", type, c.peerNodeId());
                if (correlationId != 0)
                {
                    c.replyError(correlationId, "message type " + type + " is not served by " + role + " " + runtime.nodeId());
                }
            }
        }
        catch (RuntimeException ex)
        {
            // one line per bad message (a peer sending garbage must not fill the disk with stack traces)
            LOG.warn("failed to handle message type {} from {}: {}", type, c.peerNodeId(), ex.toString());
            LOG.debug("failed to handle message type " + type + " from " + c.peerNodeId(), ex);
            if (correlationId != 0)
            {
                c.replyError(correlationId, ex.toString());
            }
        }
    }

    /** A job ended: the node here frees what it held for it; the borrows its driver registered here are given back. */
    @Override
    public void jobGone(String job, String driverNodeId)
    {
        if (node != null)
        {
            recovery.execute(() -> node.jobGone(job));
            logs.jobGone(job);
        }
        owner.jobs.forgetJob(job);
        if (!driverNodeId.isEmpty())
        {
            borrowers.gone(driverNodeId, owner.borrows::releaseBorrow);
        }
    }

    /** Declares what this process is to the peer at the other end of {@code c}: driver, node or status (the first message on it). */
    public static void declareRole(Connection c, String role)
    {
        OwnerProxy.role(c, role);
    }


    @Override
    public void onClose(Connection c, Throwable cause)
    {
        roles.closed(c);
        if (head != null)
        {
            head.onClose(c);
        }
    }

    // ------------------------------------------------------------------ RemoteExecutor

    @Override
    public java.util.List<io.tessera.state.NodeInfo> nodes()
    {
        return ClusterNodes.of(this, headAddress);
    }

    @Override
    public LocalRuntime runtime()
    {
        return runtime;
    }

    @Override
    public Role role()
    {
        return role;
    }

    @Override
    public String jobId()
    {
        return jobId;
    }

    @Override
    public JobClasspath.Cache cache()
    {
        return cache;
    }

    @Override
    public java.util.concurrent.ExecutorService recovery()
    {
        return recovery;
    }

    @Override
    public io.tessera.internal.NodeRecords records()
    {
        if (head != null)
        {
            return ClusterRecords.gather(this);
        }
        try
        {
            return OwnerProxy.stateQuery(headConnection(), true).orTimeout(ClusterRecords.TIMEOUT_MS * 2, TimeUnit.MILLISECONDS).join();
        }
        catch (java.util.concurrent.CompletionException ex)
        {
            throw new TesseraException("the head " + headAddress + " did not answer the state query: " + ex.getCause(), ex.getCause());
        }
    }

    @Override
    public io.tessera.internal.NodeRecords localRecords()
    {
        return runtime.localRecords(node != null ? node::jobOfHeld : id -> null);
    }

    @Override
    public java.util.List<io.tessera.state.JobInfo> jobTable()
    {
        return head != null ? head.jobInfos() : java.util.List.of();
    }

    @Override
    public java.util.List<Connection> driverConnections()
    {
        return head != null ? head.driverConnections() : java.util.List.of();
    }

    @Override
    public String address()
    {
        return address;
    }

    @Override
    public boolean runsEverythingRemotely()
    {
        return role == Role.DRIVER;
    }

    @Override
    public void submitTask(Object fn, Object[] args, CallSpec spec, ResourceRequest request, String name, ObjectCell result)
    {
        owner.submitTask(fn, args, spec, request, name, result);
    }

    @Override
    public boolean hasFreerNode(ResourceRequest request)
    {
        for (NodeView n : headLink.view())
        {
            if (n.alive() && !n.address().equals(address) && !isDead(n.address())
                && n.free().getOrDefault("CPU", 0.0) >= request.cpus())
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public ActorRef createActor(Object constructor, Object[] args, CallSpec spec, ResourceRequest request, String name)
    {
        return owner.createActor(constructor, args, spec, request, name);
    }

    @Override
    public Optional<ActorRef> namedActor(String namespace, String name)
    {
        return owner.lookupActor(namespace, name);
    }

    @Override
    public String namespaceOf(String jobId)
    {
        final NodeService n = node;
        return n == null || jobId == null ? null : n.namespaceOf(jobId);
    }

    @Override
    public ActorRef actorAt(String id, String name, String nodeAddress)
    {
        return owner.actorAt(id, name, nodeAddress);
    }




    @Override
    public String lend(ObjectCell cell)
    {
        return address;
    }

    @Override
    public ObjectCell borrow(io.tessera.memory.ObjectId id, String ownerAddress)
    {
        return owner.borrows.borrow(id, ownerAddress);
    }

    @Override
    public void cancel(ObjectCell cell)
    {
        owner.cancel(cell);
    }


    /**
     * Reads captured task output or a node's log, on the head (what {@code tessera logs} and the dashboard's logs
     * page show): asks the node(s) concerned.
     *
     * @throws IllegalStateException when this process is not the head
     * @throws IllegalArgumentException naming an unknown job, actor or node
     */
    public LogLines logs(LogQuery query)
    {
        if (head == null)
        {
            throw new IllegalStateException(role + " " + runtime.nodeId() + " is not the head; ask the head for logs");
        }
        try
        {
            return logs.query(query).orTimeout(30, TimeUnit.SECONDS).join();
        }
        catch (java.util.concurrent.CompletionException ex)
        {
            throw ex.getCause() instanceof RuntimeException r ? r : ex;
        }
    }


    /** The head's human-readable report (what {@code tessera status} prints). */
    public String status()
    {
        return HeadProxy.status(headConnection()).orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        headLink.close();
        recovery.shutdownNow();
        logs.close();
        if (head != null)
        {
            head.closing();
        }
        server.close();
        links.close();
        if (head != null)
        {
            head.close();
        }
    }

    /**
     * A driver's job id: {@code TESSERA_JOB_ID} when set (the head's job supervisor names the jobs of
     * the drivers it starts, issue #16), else a random one.
     */
    private static String givenJobId()
    {
        final String given = System.getenv("TESSERA_JOB_ID");
        if (given == null || given.isBlank())
        {
            return UUID.randomUUID().toString().substring(0, 8);
        }
        if (!given.matches("[A-Za-z0-9_-]{1,64}"))
        {
            throw new IllegalArgumentException("TESSERA_JOB_ID must be 1 to 64 letters, digits, '_' or '-', got '" + given + "'");
        }
        return given;
    }

    /**
     * The head's hooks for the jobs API, on the head only.
     *
     * @return them, or null when this member is not the head
     */
    public HeadJobs headJobs()
    {
        return head == null ? null : head.jobsApi();
    }

    /** The host this process should listen on to be reachable from the head's side. */
    private static String localHost(String headAddress)
    {
        final String h = Advertise.hostOf(headAddress);
        try
        {
            return InetAddress.getByName(h).isLoopbackAddress() ? "127.0.0.1" : InetAddress.getLocalHost().getHostAddress();
        }
        catch (java.io.IOException ex)
        {
            return "127.0.0.1";
        }
    }
}
