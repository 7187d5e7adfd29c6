package io.tessera.internal;

import io.tessera.GetTimeoutException;
import io.tessera.ObjectLostException;
import io.tessera.TaskCancelledException;
import io.tessera.gpu.GpuBuffer;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.ObjectView;
import io.tessera.scheduler.CancelOutcome;
import io.tessera.scheduler.LocalScheduler;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The objects this node owns or holds: results and puts, inline on the heap or in the store (large
 * raw values, and anything a reader wants as a segment), reads ({@code get}, {@code getSegment},
 * {@code wait}), frees, and the refs lent to and borrowed from other processes. A {@code get} of a
 * result whose task has not started yet runs that task on the caller's thread.
 */
final class ObjectDirectory
{
    /** Results of raw types above this size go into the store; everything else stays inline on the heap. */
    static final long INLINE_MAX_BYTES = 100 * 1024;

    private final long idPrefix;
    private final AtomicLong sequence;
    private final ObjectStore store;
    private final LocalScheduler scheduler;
    private final ValueCodec codec;
    private final Cleaner cleaner;
    private final GpuObjects gpuObjects;
    /** Cells whose refs were serialized in this process, so a ref read back here is the same ref. */
    private final Map<ObjectId, java.lang.ref.WeakReference<ObjectCell>> lent = new ConcurrentHashMap<>();
    private volatile RemoteExecutor remote;
    /** The low-latency mode: a driver thread's {@code get} spins on the cell instead of parking. */
    private final boolean spinInGet;

    ObjectDirectory(NodeResources node)
    {
        this.idPrefix = node.idPrefix;
        this.sequence = node.sequence;
        this.store = node.store;
        this.scheduler = node.scheduler;
        this.codec = node.codec;
        this.cleaner = node.cleaner;
        this.gpuObjects = node.gpuObjects;
        this.spinInGet = node.lowLatency;
    }

    /** Lends and borrows go through the cluster from now on. */
    void attach(RemoteExecutor executor)
    {
        remote = executor;
    }

    private ObjectId nextId()
    {
        return ObjectId.of(idPrefix, sequence.incrementAndGet());
    }

    /** Completes a result: large raw values go into the store, the rest stays inline. */
    void completeWithValue(ObjectCell cell, Object value)
    {
        if (value instanceof GpuBuffer buffer)
        {
            gpuObjects.complete(cell, buffer);
            return;
        }
        final long raw = codec.rawSize(value);
        if (raw > INLINE_MAX_BYTES && !cell.isDone())
        {
            final StoredObject s = storeValue(cell.id(), value);
            if (!cell.completeStored(s, ObjectCell.IN_STORE))
            {
                s.run();
            }
            return;
        }
        cell.complete(value);
    }

    private StoredObject storeValue(ObjectId id, Object value)
    {
        codec.put(store, id, value);
        return new StoredObject(store, id);
    }

    /**
     * Stores a value under the cell's id; the cells of the {@code ObjectRef}s serialized inside it are
     * then held by {@code cell}, so those objects live as long as this one (Ray's contained-in refs).
     * Values that cannot hold refs (raw, strings, boxed primitives) are stored as they are.
     */
    private StoredObject storeHoldingRefs(ObjectCell cell, Object value)
    {
        if (!codec.mayHoldRefs(value))
        {
            return storeValue(cell.id(), value);
        }
        final ContainedRefs refs = CONTAINED.get();
        final int mark = refs.begin();
        ObjectCell[] contained = null;
        try
        {
            final StoredObject s = storeValue(cell.id(), value);
            contained = refs.since(mark);
            return s;
        }
        finally
        {
            refs.end(mark);
            if (contained != null)
            {
                cell.contain(contained);
            }
        }
    }

    /**
     * Runs a serialization (of a message to another process) and tells whether it wrote any
     * {@code ObjectRef}: a value holding refs must be kept by its sender until its receiver is done.
     */
    static boolean writesRefs(Runnable serialization)
    {
        final ContainedRefs refs = CONTAINED.get();
        final int mark = refs.begin();
        try
        {
            serialization.run();
            return refs.size > mark;
        }
        finally
        {
            refs.end(mark);
        }
    }

    /** The cells of the refs {@link #lend} met on this thread while values were being stored; reused, nests. */
    private static final ThreadLocal<ContainedRefs> CONTAINED = ThreadLocal.withInitial(ContainedRefs::new);

    private static final class ContainedRefs
    {
        private int depth;
        private ObjectCell[] cells;
        private int size;

        int begin()
        {
            depth++;
            return size;
        }

        void add(ObjectCell cell)
        {
            if (cells == null)
            {
                cells = new ObjectCell[8];
            }
            else if (size == cells.length)
            {
                cells = java.util.Arrays.copyOf(cells, size * 2);
            }
            cells[size++] = cell;
        }

        /** The cells added since {@code mark}, or null when none were. */
        ObjectCell[] since(int mark)
        {
            return size == mark ? null : java.util.Arrays.copyOfRange(cells, mark, size);
        }

        void end(int mark)
        {
            depth--;
            if (size > mark)
            {
                java.util.Arrays.fill(cells, mark, size, null);
                size = mark;
            }
        }
    }

    /**
     * Called when an {@code ObjectRef} is serialized: remembers its cell (weakly), adds it to the
     * cells held by the value being stored on this thread, if any ({@link #storeHoldingRefs}), and,
     * when it is being sent to another node as a borrow, has the owner keep it alive until the
     * borrower releases it.
     *
     * @return the owner's address, or null outside a cluster
     */
    String lend(ObjectCell cell)
    {
        if (lent.size() > 65_536)
        {
            lent.values().removeIf(r -> r.get() == null);
        }
        lent.put(cell.id(), new java.lang.ref.WeakReference<>(cell));
        final ContainedRefs refs = CONTAINED.get();
        if (refs.depth > 0)
        {
            refs.add(cell);
        }
        final RemoteExecutor cluster = remote;
        return cluster == null ? null : cluster.lend(cell);
    }

    /** The cell of a ref this process serialized and still references, or null. */
    ObjectCell lentCell(ObjectId id)
    {
        final java.lang.ref.WeakReference<ObjectCell> r = lent.get(id);
        return r == null ? null : r.get();
    }

    /** Called when an {@code ObjectRef} is deserialized: this process's cell, or a borrow from its owner. */
    ObjectCell borrow(ObjectId id, String owner)
    {
        final java.lang.ref.WeakReference<ObjectCell> mine = lent.get(id);
        final ObjectCell cell = mine == null ? null : mine.get();
        if (cell != null)
        {
            return cell;
        }
        final RemoteExecutor cluster = remote;
        if (owner != null && cluster != null && !owner.equals(cluster.address()))
        {
            return cluster.borrow(id, owner);
        }
        final ObjectCell lost = new ObjectCell(id);
        lost.fail(new ObjectLostException("object " + id + " is no longer referenced by its owner"
            + (owner == null ? "" : " at " + owner)));
        return lost;
    }

    /** A new pending cell with a fresh id (for results completed by the cluster layer). */
    ObjectCell newCell()
    {
        return new ObjectCell(nextId());
    }

    /** A new pending cell for an object made elsewhere under {@code id}. */
    ObjectCell newCell(ObjectId id)
    {
        return new ObjectCell(id);
    }

    /** Serializes a ready inline value into this node's store under the cell's id (for large replies). */
    void storeInPlace(ObjectCell cell, Object value)
    {
        final StoredObject made = storeHoldingRefs(cell, value);
        if (cell.attachStored(made) == made)
        {
            cleaner.register(cell, made);
        }
        else
        {
            made.run();
        }
    }

    /** Puts a value into the object store. */
    ObjectCell put(Object value)
    {
        final ObjectId id = nextId();
        if (value instanceof GpuBuffer buffer)
        {
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
    Object get(ObjectCell cell, long timeoutNs)
    {
        if (!cell.isDone())
        {
            runInlineIfQueued(cell);
        }
        if (!cell.await(timeoutNs, spinInGet && !LocalScheduler.isWorkerThread()))
        {
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
    private void runInlineIfQueued(ObjectCell cell)
    {
        final Invocation parent = Invocation.current();
        if (parent == null || !(cell.producer() instanceof Invocation child) || !child.canRunInside(parent))
        {
            return;
        }
        if (scheduler.cancel(child) == CancelOutcome.REMOVED)
        {
            child.runInline(parent);
        }
    }

    /** The value of a completed cell. */
    Object valueOf(ObjectCell cell)
    {
        final Object v = cell.valueOrThrow();
        if (v != ObjectCell.IN_STORE)
        {
            // objects are immutable: a buffer or segment result is handed out read-only, as from the store
            if (v instanceof java.nio.ByteBuffer b && !b.isReadOnly())
            {
                return b.asReadOnlyBuffer();
            }
            if (v instanceof MemorySegment s && !s.isReadOnly())
            {
                return s.asReadOnly();
            }
            return v;
        }
        return cell.stored().read(codec);
    }

    /** A read-only zero-copy view of the object's bytes in the store (materialised there first if it was inline). */
    MemorySegment segment(ObjectCell cell, long timeoutNs)
    {
        if (!cell.await(timeoutNs))
        {
            throw new GetTimeoutException("object " + cell.id() + " not ready");
        }
        final Object v = cell.valueOrThrow();
        StoredObject s = cell.stored();
        if (s == null)
        {
            final ObjectId id = nextId();
            final StoredObject made = v instanceof GpuBuffer buffer ? gpuObjects.toStore(id, buffer) : storeValue(id, v);
            s = cell.attachStored(made);
            if (s == made)
            {
                cleaner.register(cell, made);
            }
            else
            {
                made.run();
            }
        }
        if (cell.isFreed())
        {
            throw new ObjectLostException("object " + cell.id() + " was freed");
        }
        final ObjectView view = s.pinnedView();
        return view.segment();
    }

    /** Frees an object now: later reads fail with {@link ObjectLostException}. */
    void free(ObjectCell cell)
    {
        final StoredObject s = cell.free();
        if (s != null)
        {
            s.run();
        }
        gpuObjects.free(cell.id());
    }

    /** Waits until every cell is done or any has failed; returns the first failed cell, or null. */
    ObjectCell awaitAllOrFirstFailure(List<ObjectCell> cells)
    {
        awaitCount(cells, cells.size(), true, -1);
        for (ObjectCell c : cells)
        {
            if (c.isFailed())
            {
                return c;
            }
        }
        return null;
    }

    /** Waits until {@code n} cells are done or the timeout passes; returns the done flags. */
    boolean[] waitFor(List<ObjectCell> cells, int n, long timeoutNs)
    {
        awaitCount(cells, n, false, Math.max(0, timeoutNs));
        final boolean[] done = new boolean[cells.size()];
        for (int i = 0; i < done.length; i++)
        {
            done[i] = cells.get(i).isDone();
        }
        return done;
    }

    /**
     * Parks until {@code target} of the cells are done (or, with {@code stopOnFailure}, one failed) or
     * the timeout passes (never when negative). Completions are counted by callbacks, so a wake-up
     * costs O(1), not a rescan. A worker thread gives its CPU back while parked.
     */
    private void awaitCount(List<ObjectCell> cells, int target, boolean stopOnFailure, long timeoutNs)
    {
        if (target <= 0)
        {
            return;
        }
        final Thread me = Thread.currentThread();
        final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        for (ObjectCell c : cells)
        {
            c.onDone(() ->
            {
                if (stopOnFailure && c.isFailed())
                {
                    failed.set(true);
                    LockSupport.unpark(me);
                }
                if (done.incrementAndGet() == target)
                {
                    LockSupport.unpark(me);
                }
            });
        }
        final long deadline = System.nanoTime() + timeoutNs;
        boolean blocking = false;
        try
        {
            while (done.get() < target && !failed.get())
            {
                if (!blocking && LocalScheduler.isWorkerThread())
                {
                    LocalScheduler.beginBlocking();
                    blocking = true;
                }
                if (timeoutNs < 0)
                {
                    LockSupport.park(this);
                }
                else
                {
                    final long left = deadline - System.nanoTime();
                    if (left <= 0)
                    {
                        return;
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (Thread.interrupted())
                {
                    me.interrupt();
                    throw new TaskCancelledException("interrupted while waiting for objects");
                }
            }
        }
        finally
        {
            if (blocking)
            {
                LocalScheduler.endBlocking();
            }
        }
    }
}
