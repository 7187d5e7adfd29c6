package io.tessera.internal;

import io.tessera.ActorDiedException;
import io.tessera.TesseraConfig;
import io.tessera.internal.metrics.MetricsServer;
import io.tessera.internal.metrics.NodeMetrics;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.StoreStats;
import io.tessera.scheduler.LocalScheduler;
import io.tessera.scheduler.SchedulerStats;
import io.tessera.transport.TransportCounters;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded node: its {@link NodeResources} (store, scheduler, GPUs), the {@link TaskSubmitter},
 * the {@link ObjectDirectory} and the {@link ActorDirectory}, wired together and behind one face.
 * The public API reaches it as a {@link Node} through {@link CurrentNode}; the invocations it runs,
 * as their {@link InvocationHost}; the cluster layer, by its methods here. {@code NodeLauncher}
 * makes it and attaches the cluster member, if any.
 */
public final class LocalRuntime implements Node, InvocationHost
{
    private final NodeResources resources;
    private final TaskSubmitter tasks;
    private final ObjectDirectory objects;
    private final ActorDirectory actors;
    private final NodeMetrics metrics;
    private volatile MetricsServer metricsServer;
    private volatile boolean closed;
    private volatile RemoteExecutor remote;

    /**
     * A node with this process's resources; a {@code driver} offers none (every task goes to the
     * cluster it joins).
     */
    public LocalRuntime(TesseraConfig config, boolean driver)
    {
        this.resources = new NodeResources(config, driver);
        this.tasks = new TaskSubmitter(resources, this);
        this.objects = new ObjectDirectory(resources);
        this.actors = new ActorDirectory(resources, this);
        this.metrics = io.tessera.internal.metrics.SystemMetrics.register(resources.nodeId, new MetricsSource());
        if (config.metricsPort() >= 0)
        {
            try
            {
                serveMetrics("127.0.0.1", config.metricsPort());
            }
            catch (RuntimeException ex)
            {
                close();
                throw ex;
            }
        }
    }

    /**
     * Serves this process's metrics at {@code http://host:port/metrics} until the node closes.
     *
     * @param host the interface to bind
     * @param port the port, 0 for a free one
     * @throws IllegalStateException when it serves them already
     * @throws java.io.UncheckedIOException when the port cannot be bound
     */
    public synchronized void serveMetrics(String host, int port)
    {
        if (metricsServer != null)
        {
            throw new IllegalStateException("node " + nodeId() + " serves metrics already, at " + metricsServer.address());
        }
        metricsServer = MetricsServer.start(host, port);
    }

    /** The port of this node's {@code /metrics}; -1 when it serves none. */
    public int metricsPort()
    {
        final MetricsServer m = metricsServer;
        return m == null ? -1 : m.port();
    }

    /** Where this node serves {@code /metrics}, {@code HOST:PORT}; null when it serves none. */
    public String metricsAddress()
    {
        final MetricsServer m = metricsServer;
        return m == null ? null : m.address();
    }

    @Override
    public NodeMetrics metrics()
    {
        return metrics;
    }

    /**
     * The running node as the runtime it is, for code that reads its store or scheduler (tests,
     * tools); the API goes through {@link Node}.
     *
     * @throws IllegalStateException when no node runs
     */
    public static LocalRuntime current()
    {
        return (LocalRuntime) CurrentNode.require();
    }

    /** Connects this node or driver to a cluster. */
    public void attachCluster(RemoteExecutor executor)
    {
        remote = executor;
        tasks.attach(executor);
        objects.attach(executor);
        actors.attach(executor);
    }

    @Override
    public String nodeId()
    {
        return resources.nodeId;
    }

    @Override
    public io.tessera.state.ClusterState state()
    {
        checkOpen();
        final RemoteExecutor cluster = remote;
        if (cluster != null)
        {
            return NodeState.of(cluster::nodes, cluster::records);
        }
        final io.tessera.state.JobInfo job = NodeState.embeddedJob(resources.jobId, nodeId(), resources.startedAtMs, closed);
        return new NodeState(() -> java.util.List.of(LocalNodeInfo.of(nodeId(), store(), scheduler(), totalResources(), null, true,
            metricsAddress())), this::localRecords, () -> java.util.List.of(job));
    }

    /** This node's own records for the state API, embedded (every object is this node's job's). */
    public NodeRecords localRecords()
    {
        return localRecords(id -> null);
    }

    /**
     * This node's own records for the state API (what a cluster member answers when the head asks): its
     * task records and actors, and the objects its store holds now (walked here, on demand).
     *
     * @param jobOfHeld the job of an object held here for an owner elsewhere, or null when not known
     * @return the records
     */
    public NodeRecords localRecords(java.util.function.Function<io.tessera.memory.ObjectId, String> jobOfHeld)
    {
        final RemoteExecutor cluster = remote;
        // a driver's or an embedded node's own objects are its job's; a worker node's own puts are some task's
        final String ownJob = cluster == null ? resources.jobId : cluster.jobId();
        final long nowMs = System.currentTimeMillis();
        final long nowNs = System.nanoTime();
        final java.util.List<ObjectCopy> copies = new java.util.ArrayList<>();
        for (io.tessera.memory.StoreEntry e : store().entries())
        {
            final String held = jobOfHeld.apply(e.id());
            copies.add(new ObjectCopy(e.id().toString(), e.sizeBytes(), nodeId(),
                held != null ? held : e.id().hi() == resources.idPrefix ? ownJob : null, e.pins(), e.spilled(), e.secondary(),
                nowMs - (nowNs - e.lastUsedNanos()) / 1_000_000L));
        }
        return new NodeRecords(resources.taskRecords.snapshot(nodeId()), actors.infos(nodeId()), resources.taskRecords.dropped(),
            copies, java.util.Map.of(resources.idPrefix, nodeId()), java.util.List.of());
    }

    @Override
    public TaskRecords taskRecords()
    {
        return resources.taskRecords;
    }

    @Override
    public String jobId()
    {
        final RemoteExecutor cluster = remote;
        final String clusterJob = cluster == null ? null : cluster.jobId();
        return clusterJob != null ? clusterJob : resources.jobId;
    }

    @Override
    public String address()
    {
        final RemoteExecutor r = remote;
        return r == null ? null : r.address();
    }

    @Override
    public long idPrefix()
    {
        return resources.idPrefix;
    }

    public ValueCodec codec()
    {
        return resources.codec;
    }

    public Cleaner cleaner()
    {
        return resources.cleaner;
    }

    public ObjectStore store()
    {
        return resources.store;
    }

    @Override
    public LocalScheduler scheduler()
    {
        return resources.scheduler;
    }

    /** Total resources of this node by name (CPU, GPU, memory, custom). */
    public Map<String, Double> totalResources()
    {
        return resources.totals;
    }

    @Override
    public GpuObjects gpuObjects()
    {
        return resources.gpuObjects;
    }

    // ---------------------------------------------------------------- tasks

    @Override
    public ObjectCell submitTask(Object fn, Object[] args, CallSpec spec)
    {
        checkOpen();
        return tasks.submitTask(fn, args, spec);
    }

    /** Runs a task sent here by its owner on another node; the result keeps the owner's object id. */
    public ObjectCell submitForOwner(Object fn, Object[] args, CallSpec spec, ObjectId id, String jobId)
    {
        checkOpen();
        return tasks.submitForOwner(fn, args, spec, id, jobId);
    }

    @Override
    public void cancel(ObjectCell cell)
    {
        tasks.cancel(cell);
    }

    // ---------------------------------------------------------------- objects

    @Override
    public ObjectCell put(Object value)
    {
        checkOpen();
        return objects.put(value);
    }

    @Override
    public Object get(ObjectCell cell, long timeoutNs)
    {
        return objects.get(cell, timeoutNs);
    }

    @Override
    public MemorySegment segment(ObjectCell cell, long timeoutNs)
    {
        return objects.segment(cell, timeoutNs);
    }

    @Override
    public void complete(ObjectCell result, Object value)
    {
        objects.completeWithValue(result, value);
    }

    @Override
    public Object valueOf(ObjectCell cell)
    {
        return objects.valueOf(cell);
    }

    @Override
    public void free(ObjectCell cell)
    {
        objects.free(cell);
    }

    @Override
    public ObjectCell awaitAllOrFirstFailure(List<ObjectCell> cells)
    {
        return objects.awaitAllOrFirstFailure(cells);
    }

    @Override
    public boolean[] waitFor(List<ObjectCell> cells, int n, long timeoutNs)
    {
        return objects.waitFor(cells, n, timeoutNs);
    }

    @Override
    public String lend(ObjectCell cell)
    {
        return objects.lend(cell);
    }

    @Override
    public ObjectCell borrow(ObjectId id, String owner)
    {
        return objects.borrow(id, owner);
    }

    /** The cell of a ref this process serialized and still references, or null. */
    public ObjectCell lentCell(ObjectId id)
    {
        return objects.lentCell(id);
    }

    /** A new pending cell with a fresh id (for results completed by the cluster layer). */
    public ObjectCell newCell()
    {
        return objects.newCell();
    }

    /** A new pending cell for an object made elsewhere under {@code id}. */
    public ObjectCell newCell(ObjectId id)
    {
        return objects.newCell(id);
    }

    /** Serializes a ready inline value into this node's store under the cell's id (for large replies). */
    public void storeInPlace(ObjectCell cell, Object value)
    {
        objects.storeInPlace(cell, value);
    }

    /**
     * Runs a serialization (of a message to another process) and tells whether it wrote any
     * {@code ObjectRef}: a value holding refs must be kept by its sender until its receiver is done.
     */
    public static boolean writesRefs(Runnable serialization)
    {
        return ObjectDirectory.writesRefs(serialization);
    }

    // ---------------------------------------------------------------- actors

    @Override
    public ActorRef createActor(Object constructor, Object[] args, CallSpec spec)
    {
        return actors.createActor(constructor, args, spec);
    }

    /** Creates an actor on this node. */
    public ActorRef createActorHere(Object constructor, Object[] args, CallSpec spec)
    {
        return actors.createActorHere(constructor, args, spec);
    }

    @Override
    public Optional<ActorRef> namedActor(String namespace, String name)
    {
        return actors.namedActor(namespace, name);
    }

    @Override
    public String namespace()
    {
        final RemoteExecutor cluster = remote;
        if (cluster != null && RunningTask.get() instanceof Invocation inv)
        {
            final String ns = cluster.namespaceOf(inv.jobId());
            if (ns != null)
            {
                return ns;
            }
        }
        return resources.namespace;
    }

    @Override
    public ActorRef actorById(String id, String name, String nodeAddress)
    {
        return actors.actorById(id, name, nodeAddress);
    }

    @Override
    public void actorDied(ActorRecord actor, ActorDiedException cause)
    {
        actors.actorDied(actor, cause);
    }

    @Override
    public void actorCrashed(ActorRecord actor, Throwable failure)
    {
        actors.actorCrashed(actor, failure);
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public boolean isClosed()
    {
        return closed;
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("Tessera was shut down: call Tessera.init() to start a new node");
        }
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final RemoteExecutor cluster = remote;
        if (cluster != null)
        {
            cluster.close();
        }
        final MetricsServer m = metricsServer;
        if (m != null)
        {
            m.close();
        }
        metrics.close();
        actors.close();
        resources.close();
    }

    /** What a scrape reads from this node. */
    private final class MetricsSource implements NodeMetrics.Source
    {
        @Override
        public StoreStats store()
        {
            return resources.store.stats();
        }

        @Override
        public SchedulerStats scheduler()
        {
            return resources.scheduler.stats();
        }

        @Override
        public long actorsAlive()
        {
            return actors.liveCount();
        }

        @Override
        public TransportCounters transport()
        {
            final RemoteExecutor r = remote;
            return r == null ? null : r.transportCounters();
        }

        @Override
        public long[] nodeLiveness()
        {
            final RemoteExecutor r = remote;
            return r == null ? null : r.nodeLiveness();
        }

        @Override
        public long[][] gpuMemory()
        {
            final List<io.tessera.gpu.GpuDevice> devices = resources.gpuDevices;
            final long[][] out = new long[devices.size()][];
            int n = 0;
            for (io.tessera.gpu.GpuDevice d : devices)
            {
                try
                {
                    final long[] freeTotal = io.tessera.gpu.Cuda.memoryInfo(d.ordinal());
                    out[n++] = new long[] {d.ordinal(), freeTotal[0], freeTotal[1], busyPercent(d.ordinal())};
                }
                catch (io.tessera.gpu.GpuException unavailable)
                {
                    // not reported this time: the scrape goes on without it
                }
            }
            return java.util.Arrays.copyOf(out, n);
        }

        /** The percent of NVML's last sample period a kernel ran on device {@code ordinal}, or -1 when unknown. */
        private static long busyPercent(int ordinal)
        {
            if (!io.tessera.gpu.Nvml.isAvailable())
            {
                return -1;
            }
            try
            {
                return io.tessera.gpu.Nvml.utilization(ordinal)[0];
            }
            catch (io.tessera.gpu.GpuException unavailable)
            {
                return -1;
            }
        }
    }
}
