package io.tessera.internal;

import io.tessera.ActorDiedException;
import io.tessera.GetTimeoutException;
import io.tessera.InfeasibleTaskException;
import io.tessera.ObjectLostException;
import io.tessera.Resources;
import io.tessera.TaskCancelledException;
import io.tessera.TesseraConfig;
import io.tessera.gpu.Cuda;
import io.tessera.gpu.GpuBuffer;
import io.tessera.gpu.GpuDevice;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.OwnerOnly;
import io.tessera.memory.ObjectView;
import io.tessera.memory.StoreContext;
import io.tessera.scheduler.CancelOutcome;
import io.tessera.scheduler.LocalScheduler;
import io.tessera.scheduler.Mailbox;
import io.tessera.scheduler.ResourceRequest;
import io.tessera.scheduler.SchedulerContext;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The embedded node: one object store, one local scheduler, the GPUs found, and the tables of the
 * objects and actors this process owns. {@code io.tessera.Tessera} is a thin static front over the
 * one instance {@link #start(TesseraConfig)} makes.
 */
public final class LocalRuntime implements AutoCloseable {
    /** Results of raw types above this size go into the store; everything else stays inline on the heap. */
    static final long INLINE_MAX_BYTES = 100 * 1024;

    private static final ResourceRequest DEFAULT_TASK = ResourceRequest.builder().cpus(1).build();
    private static volatile LocalRuntime current;

    private final TesseraConfig config;
    private final String nodeId;
    private final long idPrefix;
    private final AtomicLong sequence = new AtomicLong();
    private final ObjectStore store;
    private final LocalScheduler scheduler;
    private final ValueCodec codec;
    /** One per process (its thread outlives nodes): releases store objects whose refs became unreachable. */
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        final Thread t = new Thread(r, "tessera-cleaner");
        t.setDaemon(true);
        return t;
    });
    private final Cleaner cleaner = CLEANER;
    private final Map<String, ActorRecord> namedActors = new ConcurrentHashMap<>();
    private final Map<String, ActorRecord> liveActors = new ConcurrentHashMap<>();
    private final List<GpuDevice> gpus;
    private final Map<String, Double> totals;
    private final GpuObjects gpuObjects;
    private volatile boolean closed;
    private volatile RemoteExecutor remote;
    /** On a cluster node: CPUs of the local tasks submitted and not yet finished (the scheduler's own view lags its ring). */
    private final java.util.concurrent.atomic.DoubleAdder clusterCpusInFlight = new java.util.concurrent.atomic.DoubleAdder();

    private LocalRuntime(TesseraConfig config, boolean driver) {
        this.config = config;
        this.idPrefix = ThreadLocalRandom.current().nextLong();
        this.nodeId = String.format("node-%d-%08x", ProcessHandle.current().pid(), (int) idPrefix);
        this.codec = new ValueCodec(config.registeredClasses());
        this.gpus = Cuda.isAvailable() ? Cuda.devices() : List.of();
        if (gpus.isEmpty() && Double.isNaN(config.gpus())) {
            System.err.println("tessera: node starts with GPU = 0: " + Cuda.unavailabilityCause());
        }
        final SchedulerContext sc = new SchedulerContext();
        final double cpus = driver ? 0 : Double.isNaN(config.cpus()) ? Runtime.getRuntime().availableProcessors() : config.cpus();
        final int gpuCount = driver ? 0 : Double.isNaN(config.gpus()) ? gpus.size() : (int) config.gpus();
        final int[] gpuIds = new int[gpuCount];
        for (int i = 0; i < gpuCount; i++) {
            gpuIds[i] = i;
        }
        final long memory = (long) (physicalMemory() * 0.7);
        sc.cpus(cpus).gpuIds(gpuIds).memoryBytes(memory);
        final Map<String, Double> custom = new LinkedHashMap<>();
        for (GpuDevice d : gpus.subList(0, Math.min(gpus.size(), gpuCount))) {
            custom.merge(d.acceleratorResource(), 1.0, Double::sum);
        }
        custom.putAll(config.resources());
        custom.forEach(sc::resource);
        if (!gpus.isEmpty()) {
            sc.gpuBinder(new CudaBinder());
        }
        final Map<String, Double> t = new LinkedHashMap<>();
        t.put("CPU", cpus);
        t.put("GPU", (double) gpuCount);
        t.put("memory", (double) memory);
        t.putAll(custom);
        this.totals = Map.copyOf(t);

        final StoreContext ctx = new StoreContext().capacityBytes(config.objectStoreBytes());
        final String file = "tessera-" + ProcessHandle.current().pid() + "-" + Long.toHexString(idPrefix) + ".store";
        // Store files and spill directories live in this user's own 0700 directory inside the
        // (usually world-writable) configured ones: /dev/shm/tessera-<uid>, <tmp>/tessera-<uid>.
        final Path storeDir;
        final Path spillRoot;
        try {
            storeDir = OwnerOnly.userDirectory(config.storeDirectory() != null ? config.storeDirectory()
                : StoreContext.defaultStoreDirectory().getParent());
            spillRoot = OwnerOnly.userDirectory(config.spillDirectory() != null ? config.spillDirectory()
                : StoreContext.defaultSpillRoot().getParent());
        } catch (java.io.IOException ex) {
            throw new io.tessera.TesseraException("cannot prepare the object store's directory: " + ex.getMessage(), ex);
        }
        ctx.path(storeDir.resolve(file)).spillDir(StoreContext.spillDirFor(spillRoot, storeDir.resolve(file)));
        final int orphans = ObjectStore.deleteOrphans(storeDir, spillRoot);
        if (orphans > 0) {
            System.err.println("tessera: deleted " + orphans + " store file(s) left in " + ctx.path().getParent() + " by dead processes");
        }
        this.store = ObjectStore.create(ctx);
        LocalScheduler s = null;
        try {
            s = new LocalScheduler(sc);
        } finally {
            if (s == null) {
                store.close();
            }
        }
        this.scheduler = s;
        this.gpuObjects = new GpuObjects(store, cleaner);
    }

    /** Starts the process's node; {@link IllegalStateException} when one is running. */
    public static synchronized LocalRuntime start(TesseraConfig config) {
        if (current != null) {
            throw new IllegalStateException("Tessera is already initialized (node " + current.nodeId
                + "); call Tessera.shutdown() before init() again");
        }
        JvmFlags.check();
        if (config.address() != null) {
            final LocalRuntime driver = new LocalRuntime(config, true);
            try {
                driver.attachCluster(io.tessera.internal.cluster.ClusterMember.joinAsDriver(driver, config.address(), config.token()));
            } catch (RuntimeException ex) {
                driver.close();
                throw ex;
            }
            current = driver;
            return driver;
        }
        current = new LocalRuntime(config, false);
        return current;
    }

    /** The running node; {@link IllegalStateException} when there is none. */
    public static LocalRuntime require() {
        final LocalRuntime rt = current;
        if (rt == null) {
            throw new IllegalStateException("Tessera is not initialized: call Tessera.init() first (or again after shutdown())");
        }
        return rt;
    }

    public static LocalRuntime currentOrNull() {
        return current;
    }

    /** Stops the running node, if any; idempotent. */
    public static synchronized void stop() {
        final LocalRuntime rt = current;
        current = null;
        if (rt != null) {
            rt.close();
        }
    }

    public String nodeId() {
        return nodeId;
    }

    /** Connects this node or driver to a cluster. */
    public void attachCluster(RemoteExecutor executor) {
        remote = executor;
    }

    public RemoteExecutor cluster() {
        return remote;
    }

    /**
     * The state API of this node, or of its cluster when it is part of one. Nodes only so far: the
     * rest throws {@link UnsupportedOperationException} until issue #14's task records land.
     */
    public io.tessera.state.ClusterState state() {
        checkOpen();
        return new NodesOnlyState(this);
    }

    /** The transport address of the running node, or null when it is not part of a cluster. */
    public static String localAddress() {
        final LocalRuntime rt = current;
        final RemoteExecutor r = rt == null ? null : rt.remote;
        return r == null ? null : r.address();
    }

    public ValueCodec codec() {
        return codec;
    }

    public Cleaner cleaner() {
        return cleaner;
    }

    long idPrefix() {
        return idPrefix;
    }

    public ObjectStore store() {
        return store;
    }

    public LocalScheduler scheduler() {
        return scheduler;
    }

    /** Total resources of this node by name (CPU, GPU, memory, custom). */
    public Map<String, Double> totalResources() {
        return totals;
    }

    private ObjectId nextId() {
        return ObjectId.of(idPrefix, sequence.incrementAndGet());
    }

    // ---------------------------------------------------------------- tasks

    /** Submits a task; the returned cell completes with its result. */
    public ObjectCell submitTask(Object fn, Object[] args, CallSpec spec) {
        checkOpen();
        final FnInfo info = FnInfo.of(fn);
        checkArity(fn, args.length, info);
        final ResourceRequest request = spec == null ? info.taskRequest(this) : request(spec, info.methodResources, 1);
        final String infeasible = scheduler.infeasibleReason(request);
        final RemoteExecutor cluster = remote;
        if (cluster != null && (infeasible != null || cluster.runsEverythingRemotely() || busyHere(request))) {
            codec.checkArguments(args, info.name);
            final ObjectCell cell = new ObjectCell(nextId());
            cluster.submitTask(fn, args, spec, request, name(spec, info), cell);
            return cell;
        }
        if (infeasible != null) {
            throw new InfeasibleTaskException("task " + name(spec, info) + " can never run on this cluster: " + infeasible);
        }
        codec.checkArguments(args, info.name);
        return submitLocal(fn, args, spec, request, info, ObjectId.of(idPrefix, sequence.incrementAndGet()));
    }

    /**
     * Spillback on a cluster node: a task whose CPUs are not free here right now goes to a node that
     * has them (the cluster layer picks it; it runs here anyway when no other node is freer).
     */
    private boolean busyHere(ResourceRequest request) {
        if (request.cpus() <= 0) {
            return false;
        }
        return totals.get("CPU") - clusterCpusInFlight.sum() < request.cpus() && remote.hasFreerNode(request);
    }

    /** Runs a task sent here by its owner on another node; the result keeps the owner's object id. */
    public ObjectCell submitForOwner(Object fn, Object[] args, CallSpec spec, ObjectId id) {
        checkOpen();
        final FnInfo info = FnInfo.of(fn);
        checkArity(fn, args.length, info);
        final ResourceRequest request = spec == null ? info.taskRequest(this) : request(spec, info.methodResources, 1);
        final String infeasible = scheduler.infeasibleReason(request);
        if (infeasible != null) {
            throw new InfeasibleTaskException("task " + name(spec, info) + " can never run on node " + nodeId + ": " + infeasible);
        }
        return submitLocal(fn, args, spec, request, info, id);
    }

    private ObjectCell submitLocal(Object fn, Object[] args, CallSpec spec, ResourceRequest request, FnInfo info, ObjectId id) {
        final long seq = id.lo();
        final ObjectCell cell = new ObjectCell(id);
        if (remote != null && request.cpus() > 0) {
            final double cpus = request.cpus();
            clusterCpusInFlight.add(cpus);
            cell.onDone(() -> clusterCpusInFlight.add(-cpus));
        }
        final int maxRetries = spec == null || spec.maxRetries < 0 ? 3 : spec.maxRetries;
        final long pending = pendingDependencies(args);
        final Invocation inv = new Invocation(this, Invocation.Kind.TASK, fn, info, args, cell, null, request,
            Long.bitCount(pending), seq, 0, maxRetries, spec != null && spec.retryExceptions);
        cell.producer(inv);
        scheduler.submit(inv);
        watchDependencies(inv, args, pending);
        return cell;
    }

    /** Re-runs a failed attempt as a fresh invocation with the same result cell. */
    void retry(Invocation failed) {
        if (closed) {
            failed.result.fail(new ObjectLostException("node shut down before task " + failed.info.name + " could be retried"));
            return;
        }
        final Invocation again = new Invocation(this, failed.kind, failed.fn, failed.info, failed.args, failed.result,
            failed.actor, failed.request(), 0, failed.taskSeq, failed.attempt + 1, failed.maxRetries,
            failed.retryExceptions);
        failed.result.producer(again);
        scheduler.submit(again);
    }

    private static void checkArity(Object fn, int given, FnInfo info) {
        final int arity = Invoker.arity(fn);
        if (arity < 0) {
            throw new IllegalArgumentException(fn.getClass().getName() + " is not a Tessera function (Fn0..Fn6, VoidFn0..VoidFn6)");
        }
        if (arity != given) {
            throw new IllegalArgumentException(info.name + " takes " + arity + " arguments, got " + given);
        }
    }

    /**
     * The arguments not ready yet, as a bit per position (functions take at most a handful). The
     * invocation waits for exactly these: {@link #watchDependencies} watches the same set, so an
     * argument that completes in between still counts down (read twice, it could be counted as
     * pending and then not watched, and the task would wait forever).
     */
    private static long pendingDependencies(Object[] args) {
        if (args.length > Long.SIZE) {
            throw new IllegalArgumentException("a task takes at most " + Long.SIZE + " arguments, got " + args.length);
        }
        long pending = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof ObjectCell c && !c.isDone()) {
                pending |= 1L << i;
            }
        }
        return pending;
    }

    /** Counts down {@code inv}'s dependencies as the arguments in {@code pending} complete (at once for those done already). */
    private void watchDependencies(Invocation inv, Object[] args, long pending) {
        for (long bits = pending; bits != 0; bits &= bits - 1) {
            ((ObjectCell) args[Long.numberOfTrailingZeros(bits)]).onDone(() -> scheduler.dependencyResolved(inv));
        }
    }

    ResourceRequest defaultTaskRequest(Resources annotation) {
        return annotation == null ? DEFAULT_TASK : request(new CallSpec(), annotation, 1);
    }

    static ResourceRequest request(CallSpec spec, Resources ann, double defaultCpus) {
        final ResourceRequest.Builder b = ResourceRequest.builder();
        b.cpus(!Double.isNaN(spec.cpus) ? spec.cpus : ann != null && ann.cpus() >= 0 ? ann.cpus() : defaultCpus);
        b.gpus(!Double.isNaN(spec.gpus) ? spec.gpus : ann != null && ann.gpus() >= 0 ? ann.gpus() : 0);
        b.memoryBytes(spec.memoryBytes >= 0 ? spec.memoryBytes : ann != null && ann.memoryBytes() >= 0 ? ann.memoryBytes() : 0);
        final Map<String, Double> custom = new LinkedHashMap<>();
        if (ann != null) {
            for (String r : ann.resources()) {
                final int eq = r.lastIndexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("@Resources(resources) entries are \"name=amount\", got \"" + r + "\"");
                }
                custom.put(r.substring(0, eq).trim(), Double.parseDouble(r.substring(eq + 1).trim()));
            }
        }
        custom.putAll(spec.custom);
        custom.forEach(b::resource);
        return b.build();
    }

    private static String name(CallSpec spec, FnInfo info) {
        return spec != null && spec.name != null ? spec.name : info.name;
    }

    /** Completes a result: large raw values go into the store, the rest stays inline. */
    void completeWithValue(ObjectCell cell, Object value) {
        if (value instanceof GpuBuffer buffer) {
            gpuObjects.complete(cell, buffer);
            return;
        }
        final long raw = codec.rawSize(value);
        if (raw > INLINE_MAX_BYTES && !cell.isDone()) {
            final StoredObject s = storeValue(cell.id(), value);
            if (!cell.completeStored(s, ObjectCell.IN_STORE)) {
                s.run();
            }
            return;
        }
        cell.complete(value);
    }

    private StoredObject storeValue(ObjectId id, Object value) {
        codec.put(store, id, value);
        return new StoredObject(store, id);
    }

    /**
     * Stores a value under the cell's id; the cells of the {@code ObjectRef}s serialized inside it are
     * then held by {@code cell}, so those objects live as long as this one (Ray's contained-in refs).
     * Values that cannot hold refs (raw, strings, boxed primitives) are stored as they are.
     */
    private StoredObject storeHoldingRefs(ObjectCell cell, Object value) {
        if (!codec.mayHoldRefs(value)) {
            return storeValue(cell.id(), value);
        }
        final ContainedRefs refs = CONTAINED.get();
        final int mark = refs.begin();
        ObjectCell[] contained = null;
        try {
            final StoredObject s = storeValue(cell.id(), value);
            contained = refs.since(mark);
            return s;
        } finally {
            refs.end(mark);
            if (contained != null) {
                cell.contain(contained);
            }
        }
    }

    /**
     * Runs a serialization (of a message to another process) and tells whether it wrote any
     * {@code ObjectRef}: a value holding refs must be kept by its sender until its receiver is done.
     */
    public static boolean writesRefs(Runnable serialization) {
        final ContainedRefs refs = CONTAINED.get();
        final int mark = refs.begin();
        try {
            serialization.run();
            return refs.size > mark;
        } finally {
            refs.end(mark);
        }
    }

    /** The cells of the refs {@link #lend} met on this thread while values were being stored; reused, nests. */
    private static final ThreadLocal<ContainedRefs> CONTAINED = ThreadLocal.withInitial(ContainedRefs::new);

    private static final class ContainedRefs {
        private int depth;
        private ObjectCell[] cells;
        private int size;

        int begin() {
            depth++;
            return size;
        }

        void add(ObjectCell cell) {
            if (cells == null) {
                cells = new ObjectCell[8];
            } else if (size == cells.length) {
                cells = java.util.Arrays.copyOf(cells, size * 2);
            }
            cells[size++] = cell;
        }

        /** The cells added since {@code mark}, or null when none were. */
        ObjectCell[] since(int mark) {
            return size == mark ? null : java.util.Arrays.copyOfRange(cells, mark, size);
        }

        void end(int mark) {
            depth--;
            if (size > mark) {
                java.util.Arrays.fill(cells, mark, size, null);
                size = mark;
            }
        }
    }

    // ---------------------------------------------------------------- objects

    /** Cells whose refs were serialized in this process, so a ref read back here is the same ref. */
    private final Map<ObjectId, java.lang.ref.WeakReference<ObjectCell>> lent = new ConcurrentHashMap<>();

    /**
     * Called when an {@code ObjectRef} is serialized: remembers its cell (weakly), adds it to the
     * cells held by the value being stored on this thread, if any ({@link #storeHoldingRefs}), and,
     * when it is being sent to another node as a borrow, has the owner keep it alive until the
     * borrower releases it.
     *
     * @return the owner's address, or null outside a cluster
     */
    public static String lend(ObjectCell cell) {
        final LocalRuntime rt = current;
        if (rt == null) {
            return null;
        }
        if (rt.lent.size() > 65_536) {
            rt.lent.values().removeIf(r -> r.get() == null);
        }
        rt.lent.put(cell.id(), new java.lang.ref.WeakReference<>(cell));
        final ContainedRefs refs = CONTAINED.get();
        if (refs.depth > 0) {
            refs.add(cell);
        }
        final RemoteExecutor cluster = rt.remote;
        return cluster == null ? null : cluster.lend(cell);
    }

    /** The cell of a ref this process serialized and still references, or null. */
    public ObjectCell lentCell(ObjectId id) {
        final java.lang.ref.WeakReference<ObjectCell> r = lent.get(id);
        return r == null ? null : r.get();
    }

    /** Called when an {@code ObjectRef} is deserialized: this process's cell, or a borrow from its owner. */
    public static ObjectCell borrow(ObjectId id, String owner) {
        final LocalRuntime rt = require();
        final java.lang.ref.WeakReference<ObjectCell> mine = rt.lent.get(id);
        final ObjectCell cell = mine == null ? null : mine.get();
        if (cell != null) {
            return cell;
        }
        final RemoteExecutor cluster = rt.remote;
        if (owner != null && cluster != null && !owner.equals(cluster.address())) {
            return cluster.borrow(id, owner);
        }
        final ObjectCell lost = new ObjectCell(id);
        lost.fail(new ObjectLostException("object " + id + " is no longer referenced by its owner"
            + (owner == null ? "" : " at " + owner)));
        return lost;
    }

    /** A new pending cell with a fresh id (for results completed by the cluster layer). */
    public ObjectCell newCell() {
        return new ObjectCell(nextId());
    }

    /** A new pending cell for an object made elsewhere under {@code id}. */
    public ObjectCell newCell(ObjectId id) {
        return new ObjectCell(id);
    }

    /** Serializes a ready inline value into this node's store under the cell's id (for large replies). */
    public void storeInPlace(ObjectCell cell, Object value) {
        final StoredObject made = storeHoldingRefs(cell, value);
        if (cell.attachStored(made) == made) {
            cleaner.register(cell, made);
        } else {
            made.run();
        }
    }

    /** Puts a value into the object store. */
    public ObjectCell put(Object value) {
        checkOpen();
        final ObjectId id = nextId();
        if (value instanceof GpuBuffer buffer) {
            final ObjectCell cell = new ObjectCell(id);
            gpuObjects.complete(cell, buffer);
            return cell;
        }
        final ObjectCell cell = new ObjectCell(id);
        final StoredObject s = storeHoldingRefs(cell, value);
        cell.completeStored(s, ObjectCell.IN_STORE);
        cleaner.register(cell, s);
        return cell;
    }

    /** Waits (forever when timeoutNs < 0) and returns the value, or throws the failure. */
    public Object get(ObjectCell cell, long timeoutNs) {
        if (!cell.isDone()) {
            runInlineIfQueued(cell);
        }
        if (!cell.await(timeoutNs)) {
            throw new GetTimeoutException("object " + cell.id() + " not ready after " + timeoutNs / 1_000_000 + " ms");
        }
        return valueOf(cell);
    }

    /**
     * A task about to block on a child that has not started yet runs the child itself, on its own
     * thread and under its own grant (as ForkJoin's join does), instead of parking and handing the
     * child to another worker: the child is taken out of the scheduler first, so it runs exactly once.
     * Only for plain CPU tasks whose arguments are all ready and whose request the parent's grant covers.
     */
    private void runInlineIfQueued(ObjectCell cell) {
        final Invocation parent = Invocation.current();
        final Invocation child = cell.producer();
        if (parent == null || child == null || !child.canRunInside(parent)) {
            return;
        }
        if (scheduler.cancel(child) == CancelOutcome.REMOVED) {
            child.runInline(parent);
        }
    }

    /** The value of a completed cell. */
    Object valueOf(ObjectCell cell) {
        final Object v = cell.valueOrThrow();
        if (v != ObjectCell.IN_STORE) {
            // objects are immutable: a buffer or segment result is handed out read-only, as from the store
            if (v instanceof java.nio.ByteBuffer b && !b.isReadOnly()) {
                return b.asReadOnlyBuffer();
            }
            if (v instanceof MemorySegment s && !s.isReadOnly()) {
                return s.asReadOnly();
            }
            return v;
        }
        return cell.stored().read(codec);
    }

    /** A read-only zero-copy view of the object's bytes in the store (materialised there first if it was inline). */
    public MemorySegment segment(ObjectCell cell, long timeoutNs) {
        if (!cell.await(timeoutNs)) {
            throw new GetTimeoutException("object " + cell.id() + " not ready");
        }
        final Object v = cell.valueOrThrow();
        StoredObject s = cell.stored();
        if (s == null) {
            final ObjectId id = ObjectId.of(idPrefix, sequence.incrementAndGet());
            final StoredObject made = v instanceof GpuBuffer buffer ? gpuObjects.toStore(id, buffer) : storeValue(id, v);
            s = cell.attachStored(made);
            if (s == made) {
                cleaner.register(cell, made);
            } else {
                made.run();
            }
        }
        if (cell.isFreed()) {
            throw new ObjectLostException("object " + cell.id() + " was freed");
        }
        final ObjectView view = s.pinnedView();
        return view.segment();
    }

    /** Frees an object now: later reads fail with {@link ObjectLostException}. */
    public void free(ObjectCell cell) {
        final StoredObject s = cell.free();
        if (s != null) {
            s.run();
        }
        gpuObjects.free(cell.id());
    }

    GpuObjects gpuObjects() {
        return gpuObjects;
    }

    /** Cancels the task that produces {@code cell}; nothing happens when it has finished. */
    public void cancel(ObjectCell cell) {
        final Invocation inv = cell.producer();
        if (inv == null && !cell.isDone() && remote != null) {
            remote.cancel(cell);
            return;
        }
        if (inv == null || cell.isDone()) {
            return;
        }
        inv.cancel();
        final CancelOutcome outcome = scheduler.cancel(inv);
        if (outcome != CancelOutcome.NOT_FOUND || !cell.isDone()) {
            cell.fail(new TaskCancelledException("task " + inv.info.name + " was cancelled"));
        }
    }

    /** Waits until every cell is done or any has failed; returns the first failed cell, or null. */
    public ObjectCell awaitAllOrFirstFailure(List<ObjectCell> cells) {
        awaitCount(cells, cells.size(), true, -1);
        for (ObjectCell c : cells) {
            if (c.isFailed()) {
                return c;
            }
        }
        return null;
    }

    /** Waits until {@code n} cells are done or the timeout passes; returns the done flags. */
    public boolean[] waitFor(List<ObjectCell> cells, int n, long timeoutNs) {
        awaitCount(cells, n, false, Math.max(0, timeoutNs));
        final boolean[] done = new boolean[cells.size()];
        for (int i = 0; i < done.length; i++) {
            done[i] = cells.get(i).isDone();
        }
        return done;
    }

    /**
     * Parks until {@code target} of the cells are done (or, with {@code stopOnFailure}, one failed) or
     * the timeout passes (never when negative). Completions are counted by callbacks, so a wake-up
     * costs O(1), not a rescan. A worker thread gives its CPU back while parked.
     */
    private void awaitCount(List<ObjectCell> cells, int target, boolean stopOnFailure, long timeoutNs) {
        if (target <= 0) {
            return;
        }
        final Thread me = Thread.currentThread();
        final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        for (ObjectCell c : cells) {
            c.onDone(() -> {
                if (stopOnFailure && c.isFailed()) {
                    failed.set(true);
                    LockSupport.unpark(me);
                }
                if (done.incrementAndGet() == target) {
                    LockSupport.unpark(me);
                }
            });
        }
        final long deadline = System.nanoTime() + timeoutNs;
        boolean blocking = false;
        try {
            while (done.get() < target && !failed.get()) {
                if (!blocking && LocalScheduler.isWorkerThread()) {
                    LocalScheduler.beginBlocking();
                    blocking = true;
                }
                if (timeoutNs < 0) {
                    LockSupport.park(this);
                } else {
                    final long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (Thread.interrupted()) {
                    me.interrupt();
                    throw new TaskCancelledException("interrupted while waiting for objects");
                }
            }
        } finally {
            if (blocking) {
                LocalScheduler.endBlocking();
            }
        }
    }

    // ---------------------------------------------------------------- actors

    /** Creates an actor (on another node when this is a driver or it cannot fit here); its constructor runs first in its mailbox. */
    public ActorRef createActor(Object constructor, Object[] args, CallSpec spec) {
        checkOpen();
        final FnInfo info = FnInfo.of(constructor);
        checkArity(constructor, args.length, info);
        codec.checkArguments(args, info.name);
        final ResourceRequest request = request(spec, info.classResources(), 0);
        final RemoteExecutor cluster = remote;
        if (cluster != null && (cluster.runsEverythingRemotely() || scheduler.infeasibleReason(request) != null)) {
            return cluster.createActor(constructor, args, spec, request, info.name);
        }
        return createActorHere(constructor, args, spec);
    }

    /** Creates an actor on this node. */
    public ActorRef createActorHere(Object constructor, Object[] args, CallSpec spec) {
        checkOpen();
        final FnInfo info = FnInfo.of(constructor);
        checkArity(constructor, args.length, info);
        final ResourceRequest request = request(spec, info.classResources(), 0);
        final ActorRecord actor = new ActorRecord(idPrefix, sequence.incrementAndGet(), spec.name, info.returnClass,
            constructor, args, info, spec.maxRestarts);
        if (spec.name != null) {
            final ActorRecord prior = namedActors.putIfAbsent(spec.name, actor);
            if (prior != null && prior.isAlive()) {
                throw new IllegalArgumentException("actor name '" + spec.name + "' is already taken by a live actor "
                    + prior.describe() + "; pick another name or kill that actor first");
            }
            if (prior != null) {
                namedActors.put(spec.name, actor);
            }
        }
        final String infeasible = scheduler.infeasibleReason(request);
        if (infeasible != null) {
            actorDied(actor, new ActorDiedException("actor " + actor.describe() + " can never be placed",
                new InfeasibleTaskException("actor " + actor.describe() + " can never run on this cluster: " + infeasible)));
            return new LocalActorRef(this, actor);
        }
        liveActors.put(actor.idString(), actor);
        actor.mailbox = scheduler.createMailbox(request);
        final long seq = sequence.incrementAndGet();
        final ObjectCell ready = new ObjectCell(ObjectId.of(idPrefix, seq));
        final long pending = pendingDependencies(args);
        final Invocation ctor = new Invocation(this, Invocation.Kind.CONSTRUCTOR, constructor, info, args, ready,
            actor, ResourceRequest.NONE, Long.bitCount(pending), seq, 0, 0, false);
        scheduler.submit(actor.mailbox, ctor);
        watchDependencies(ctor, args, pending);
        return new LocalActorRef(this, actor);
    }

    /** Calls a method of the actor: runs after every call submitted before it. {@code id} is the result's, or null for a new one. */
    ObjectCell callActor(ActorRecord actor, Object method, Object[] args, ObjectId id) {
        checkOpen();
        final FnInfo info = FnInfo.of(method);
        checkArity(method, args.length + 1, info);
        final long seq = sequence.incrementAndGet();
        final ObjectCell cell = new ObjectCell(id != null ? id : ObjectId.of(idPrefix, seq));
        final ActorDiedException death = actor.death();
        if (death != null) {
            cell.fail(death);
            return cell;
        }
        codec.checkArguments(args, info.name);
        final long pending = pendingDependencies(args);
        final Invocation inv = new Invocation(this, Invocation.Kind.METHOD, method, info, args, cell, actor,
            ResourceRequest.NONE, Long.bitCount(pending), seq, 0, 0, false);
        cell.producer(inv);
        scheduler.submit(actor.mailbox, inv);
        watchDependencies(inv, args, pending);
        return cell;
    }

    /** Kills the actor for good: fails the call in flight and those queued behind it. */
    void kill(ActorRecord actor) {
        actorDied(actor, new ActorDiedException("actor " + actor.describe() + " was killed"));
    }

    void actorDied(ActorRecord actor, ActorDiedException cause) {
        if (!actor.die(cause)) {
            return;
        }
        liveActors.remove(actor.idString());
        if (actor.name != null) {
            namedActors.remove(actor.name, actor);
        }
        final Invocation running = actor.running;
        if (running != null) {
            running.result.fail(cause);
        }
        final Mailbox m = actor.mailbox;
        if (m != null) {
            scheduler.closeMailbox(m, cause);
        }
    }

    /** A method hit a system failure: restart the actor in place (within its mailbox order) or let it die. */
    void actorCrashed(ActorRecord actor, Throwable failure) {
        if (actor.restarts >= actor.maxRestarts) {
            actorDied(actor, new ActorDiedException("actor " + actor.describe() + " crashed with " + failure
                + " and has no restarts left (maxRestarts=" + actor.maxRestarts + ")", failure));
            return;
        }
        actor.restarts++;
        try {
            final Object[] resolved = actor.constructorArgs.clone();
            for (int i = 0; i < resolved.length; i++) {
                if (resolved[i] instanceof ObjectCell c) {
                    resolved[i] = valueOf(c);
                }
            }
            actor.started(Invoker.invoke(actor.constructor, resolved));
        } catch (Throwable t) {
            actorDied(actor, new ActorDiedException("actor " + actor.describe() + " failed to restart: " + t, t));
        }
    }

    public Optional<ActorRef> namedActor(String name) {
        final ActorRecord a = namedActors.get(name);
        if (a != null && a.isAlive()) {
            return Optional.of(new LocalActorRef(this, a));
        }
        final RemoteExecutor cluster = remote;
        return cluster == null ? Optional.empty() : cluster.namedActor(name);
    }

    /** Whether a live actor of this node already holds {@code name}. */
    public boolean hasLiveNamedActor(String name) {
        final ActorRecord a = namedActors.get(name);
        return a != null && a.isAlive();
    }

    /** A live actor of this node by id, or null. */
    public ActorRef actorById(String id) {
        final ActorRecord a = liveActors.get(id);
        return a == null ? null : new LocalActorRef(this, a);
    }

    /** An actor by id: this node's, or a handle to the node that hosts it. */
    public ActorRef actorById(String id, String name, String nodeAddress) {
        final ActorRef local = actorById(id);
        if (local != null) {
            return local;
        }
        final RemoteExecutor cluster = remote;
        return cluster == null || nodeAddress == null ? null : cluster.actorAt(id, name, nodeAddress);
    }

    // ---------------------------------------------------------------- lifecycle

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Tessera was shut down: call Tessera.init() to start a new node");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        final RemoteExecutor cluster = remote;
        if (cluster != null) {
            cluster.close();
        }
        for (ActorRecord a : new ArrayList<>(liveActors.values())) {
            actorDied(a, new ActorDiedException("actor " + a.describe() + " stopped: node shut down"));
        }
        try {
            scheduler.close();
        } finally {
            try {
                gpuObjects.close();
            } finally {
                store.close();
            }
        }
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }
}
