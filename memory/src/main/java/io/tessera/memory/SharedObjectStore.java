package io.tessera.memory;

import io.tessera.memory.internal.StoreLayout;
import io.tessera.memory.internal.TlsfAllocator;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static io.tessera.memory.internal.EntryLayout.*;
import static io.tessera.memory.internal.StoreLayout.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The shared-memory {@link ObjectStore}: one mapped file, layout in {@link StoreLayout}. This class
 * is the facade that runs each operation's state machine on an entry; the roles it delegates to:
 * <ul>
 * <li>{@link StoreFile}: creating, attaching to, checking and deleting the file;</li>
 * <li>{@link ObjectTable}: lookup, insert and free of entries, and the header counters;</li>
 * <li>{@link PinTable}: this instance's pins (one bit per client in each entry's state word, the
 * count in this process);</li>
 * <li>{@link StoreLock}: the cross-process lock guarding table (other than pins and seal) and
 * allocator mutations, and the recovery after its holder died;</li>
 * <li>{@link Evictor}: allocation, evicting LRU unpinned objects when full;</li>
 * <li>{@link SpillFiles}: spill and restore I/O;</li>
 * <li>{@link ClientRegistry}: this instance's client slot, and reaping dead clients;</li>
 * <li>{@link WriterGuards}: the arenas scoping writable segments until seal or abort.</li>
 * </ul>
 */
final class SharedObjectStore implements ObjectStore
{
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    /** The back-off of timed gets, one per thread, reset at each wait: no allocation per get. */
    private static final ThreadLocal<IdleStrategy> GET_IDLE = ThreadLocal.withInitial(() ->
        new BackoffIdleStrategy(64, 16, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1)));

    private final StoreFile file;
    private final Path path;
    private final boolean owner;
    private final MemorySegment segment;
    /** The whole mapping, read-only: views are sliced from it (one allocation per slice, not two). */
    private final MemorySegment readOnly;
    private final int maxObjects;
    private final TlsfAllocator allocator;
    private final ObjectTable table;
    private final SpillFiles spill;
    private final ClientRegistry clients;
    private final StoreLock lock;
    private final PinTable pins;
    private final Evictor evictor;
    private final int clientIndex;
    private final WriterGuards writers = new WriterGuards();
    private volatile boolean closed;

    private SharedObjectStore(final StoreFile file)
    {
        this.file = file;
        this.path = file.path;
        this.owner = file.owner;
        this.segment = file.segment;
        this.readOnly = segment.asReadOnly();
        this.maxObjects = segment.get(JAVA_INT, MAX_OBJECTS_OFFSET);
        this.allocator = new TlsfAllocator(segment, segment.get(JAVA_LONG, DATA_OFFSET_OFFSET),
            segment.get(JAVA_LONG, DATA_LENGTH_OFFSET));
        this.table = new ObjectTable(segment, allocator, path);
        this.spill = new SpillFiles(file.spillDir());
        this.clients = new ClientRegistry(segment, table, path);
        this.lock = new StoreLock(segment, table, allocator, spill, clients);
        this.clientIndex = clients.claim(lock);
        this.lock.bind(clientIndex);
        this.pins = new PinTable(table, lock, clientIndex);
        this.evictor = new Evictor(table, allocator, spill, clients);
    }

    static ObjectStore create(final StoreContext ctx)
    {
        return StoreFile.create(ctx, SharedObjectStore::new);
    }

    static ObjectStore attach(final Path path)
    {
        return StoreFile.attach(path, file ->
        {
            final SharedObjectStore store = new SharedObjectStore(file);
            store.reapDeadClients();
            return store;
        });
    }

    static int deleteOrphans(final Path directory, final Path spillRoot)
    {
        return StoreFile.deleteOrphans(directory, spillRoot);
    }

    // ------------------------------------------------------------------------------------------
    // create / seal / abort / put

    @Override
    public MemorySegment create(final ObjectId id, final long sizeBytes, final int kind)
    {
        writers.closeOrphaned();
        final long payload = allocateObject(id, sizeBytes, kind);
        return writers.open(id, segment.asSlice(payload, sizeBytes), false);
    }

    @Override
    public MemorySegment createShared(final ObjectId id, final long sizeBytes, final int kind)
    {
        writers.closeOrphaned();
        final long payload = allocateObject(id, sizeBytes, kind);
        return writers.open(id, segment.asSlice(payload, sizeBytes), true);
    }

    @Override
    public void put(final ObjectId id, final MemorySegment source, final int kind)
    {
        final long size = source.byteSize();
        final long payload = allocateObject(id, size, kind);
        try
        {
            MemorySegment.copy(source, 0, segment, payload, size);
        }
        catch (final RuntimeException ex)
        {
            abort(id);
            throw ex;
        }
        seal(id);
    }

    @Override
    public void seal(final ObjectId id)
    {
        ensureOpen();
        final long slot = table.lookup(id.hi(), id.lo());
        if (slot < 0)
        {
            throw new UnknownObjectException("cannot seal " + id + ": no such object (never created, aborted, or " +
                "created in a store that died)");
        }
        final long entry = table.entry(slot);
        while (true)
        {
            final long word = (long)LONG.getVolatile(segment, entry);
            if (state(word) != CREATING)
            {
                throw new ObjectStateException("cannot seal " + id + ": it is " + stateName(state(word)) +
                    ", only a created, unsealed object can be sealed");
            }
            writers.retire(id);
            if (LONG.compareAndSet(segment, entry, word, (word & ~STATE_MASK) | SEALED))
            {
                return;
            }
        }
    }

    @Override
    public void abort(final ObjectId id)
    {
        lock();
        try
        {
            final long slot = table.lookup(id.hi(), id.lo());
            if (slot < 0)
            {
                throw new UnknownObjectException("cannot abort " + id + ": no such object");
            }
            final long entry = table.entry(slot);
            final long word = (long)LONG.getVolatile(segment, entry);
            if (state(word) != CREATING)
            {
                throw new ObjectStateException("cannot abort " + id + ": it is " + stateName(state(word)) +
                    ", only an unsealed object can be aborted (use delete)");
            }
            writers.retire(id);
            table.freeEntry(slot, true);
        }
        finally
        {
            unlock();
        }
    }

    private long allocateObject(final ObjectId id, final long size, final int kind)
    {
        ensureOpen();
        Objects.requireNonNull(id, "id");
        if (size < 0)
        {
            throw new IllegalArgumentException("object size must be >= 0, got " + size + " for " + id);
        }
        if (size > allocator.maxPayload())
        {
            throw new ObjectTooLargeException("object " + id + " of " + size + " bytes exceeds the store's data " +
                "capacity: at most " + allocator.maxPayload() + " bytes fit in " + path);
        }
        lock();
        try
        {
            final long existing = table.lookup(id.hi(), id.lo());
            if (existing >= 0)
            {
                final long word = (long)LONG.getVolatile(segment, table.entry(existing));
                throw new ObjectExistsException("object " + id + " already exists (" + stateName(state(word)) + ")");
            }
            if (segment.get(JAVA_LONG, LIVE_ENTRIES_OFFSET) >= maxObjects)
            {
                clients.reapDead();
                if (segment.get(JAVA_LONG, LIVE_ENTRIES_OFFSET) >= maxObjects)
                {
                    throw new StoreFullException("object table full: " + maxObjects + " objects (sealed, unsealed " +
                        "or spilled) already live in " + path + "; delete some or raise StoreContext.maxObjects");
                }
            }
            final long payload = evictor.allocateWithEviction(id, size);
            table.insert(table.insertSlot(id.hi(), id.lo()), id, payload, size, kind, clientIndex);
            return payload;
        }
        finally
        {
            unlock();
        }
    }

    private void restore(final long slot, final ObjectId id)
    {
        lock();
        try
        {
            final long entry = table.entry(slot);
            if (!table.idMatches(entry, id.hi(), id.lo()) ||
                !LONG.compareAndSet(segment, entry, (long)SPILLED, (long)RESTORING))
            {
                return;
            }
            final long size = segment.get(JAVA_LONG, entry + SIZE_OFFSET);
            final long payload;
            try
            {
                payload = evictor.allocateWithEviction(id, size);
            }
            catch (final RuntimeException ex)
            {
                LONG.setRelease(segment, entry, (long)SPILLED);
                throw ex;
            }
            allocator.setSlot(payload, slot);
            segment.set(JAVA_LONG, entry + PAYLOAD_OFFSET, payload);
            final Path file = spill.file(id.hi(), id.lo());
            try
            {
                spill.read(file, segment, payload, size);
            }
            catch (final IOException ex)
            {
                segment.set(JAVA_LONG, entry + PAYLOAD_OFFSET, 0L);
                LONG.setRelease(segment, entry, (long)SPILLED);
                table.addCounter(USED_BYTES_OFFSET, -allocator.free(payload));
                throw new ObjectStateException("cannot restore spilled object " + id + " from " + file + ": " + ex, ex);
            }
            segment.set(JAVA_LONG, entry + LRU_OFFSET, System.nanoTime());
            LONG.setRelease(segment, entry, (long)SEALED);
            SpillFiles.deleteQuietly(file);
            table.addCounter(OBJECTS_OFFSET, 1);
            table.addCounter(SPILLED_OFFSET, -1);
            table.addCounter(RESTORED_OFFSET, 1);
        }
        finally
        {
            unlock();
        }
    }

    // ------------------------------------------------------------------------------------------
    // get / release: lock-free

    @Override
    public ObjectView get(final ObjectId id, final long timeoutNs)
    {
        final ObjectView view = new ObjectView();
        return get(id, timeoutNs, view) ? view : null;
    }

    @Override
    public boolean get(final ObjectId id, final long timeoutNs, final ObjectView view)
    {
        Objects.requireNonNull(view, "view");
        ensureOpen();
        if (tryGet(id, view))
        {
            return true;
        }
        if (timeoutNs <= 0)
        {
            return false;
        }
        final long deadline = System.nanoTime() + timeoutNs;
        final IdleStrategy idle = GET_IDLE.get();
        idle.reset();
        while (true)
        {
            idle.idle();
            if (tryGet(id, view))
            {
                return true;
            }
            ensureOpen();
            if (System.nanoTime() - deadline >= 0)
            {
                return false;
            }
        }
    }

    /**
     * Pins {@code id} and wraps {@code view} over it.
     *
     * @return false, leaving {@code view} as it was, when the object is not sealed here.
     */
    private boolean tryGet(final ObjectId id, final ObjectView view)
    {
        final long hi = id.hi();
        final long lo = id.lo();
        while (true)
        {
            final long slot = table.lookup(hi, lo);
            if (slot < 0)
            {
                return false;
            }
            final long entry = table.entry(slot);
            final int state = state((long)LONG.getAcquire(segment, entry));
            if (state == SPILLED)
            {
                restore(slot, id);
                continue;
            }
            if (state == EVICTING || state == RESTORING)
            {
                lock();
                unlock();
                continue;
            }
            if (state != SEALED)
            {
                return false;
            }
            final int pinned = pins.pin(slot, entry, hi, lo);
            if (pinned < 0)
            {
                return false;
            }
            if (pinned == 0)
            {
                continue;
            }
            LONG.setOpaque(segment, entry + LRU_OFFSET, System.nanoTime());
            view.wrap(id, readOnly, segment.get(JAVA_LONG, entry + PAYLOAD_OFFSET),
                segment.get(JAVA_LONG, entry + SIZE_OFFSET), segment.get(JAVA_INT, entry + KIND_OFFSET));
            return true;
        }
    }

    @Override
    public void release(final ObjectId id)
    {
        ensureOpen();
        final long slot = table.lookup(id.hi(), id.lo());
        if (slot < 0)
        {
            throw new UnknownObjectException("cannot release " + id + ": no such object");
        }
        if (!pins.unpin((int)slot, table.entry(slot)))
        {
            throw new ObjectStateException("cannot release " + id + ": this process holds no pin on it");
        }
    }

    // ------------------------------------------------------------------------------------------
    // delete / contains / markSecondary

    @Override
    public boolean delete(final ObjectId id)
    {
        ensureOpen();
        lock();
        try
        {
            final long slot = table.lookup(id.hi(), id.lo());
            if (slot < 0)
            {
                throw new UnknownObjectException("cannot delete " + id + ": no such object");
            }
            final long entry = table.entry(slot);
            while (true)
            {
                final long word = (long)LONG.getVolatile(segment, entry);
                switch (state(word))
                {
                    case SEALED ->
                    {
                        if (pins(word) == 0)
                        {
                            if (LONG.compareAndSet(segment, entry, word, (long)DELETE_PENDING))
                            {
                                table.freeEntry(slot, true);
                                return true;
                            }
                        }
                        else if (LONG.compareAndSet(segment, entry, word, (word & ~STATE_MASK) | DELETE_PENDING))
                        {
                            return false;
                        }
                    }
                    case SPILLED ->
                    {
                        SpillFiles.deleteQuietly(spill.file(id.hi(), id.lo()));
                        table.freeEntry(slot, false);
                        table.addCounter(SPILLED_OFFSET, -1);
                        return true;
                    }
                    case DELETE_PENDING ->
                        throw new UnknownObjectException("cannot delete " + id + ": already deleted, " +
                            "waiting for its last pin to be released");
                    default -> throw new ObjectStateException("cannot delete " + id + ": it is " +
                        stateName(state(word)) + ", only sealed objects can be deleted (abort an unsealed one)");
                }
            }
        }
        finally
        {
            unlock();
        }
    }

    @Override
    public boolean contains(final ObjectId id)
    {
        ensureOpen();
        final long slot = table.lookup(id.hi(), id.lo());
        if (slot < 0)
        {
            return false;
        }
        final int state = state((long)LONG.getAcquire(segment, table.entry(slot)));
        return state == SEALED || state == SPILLED || state == EVICTING || state == RESTORING;
    }

    @Override
    public void markSecondary(final ObjectId id)
    {
        ensureOpen();
        lock();
        try
        {
            final long slot = table.lookup(id.hi(), id.lo());
            if (slot < 0)
            {
                throw new UnknownObjectException("cannot mark " + id + " secondary: no such object");
            }
            final long entry = table.entry(slot);
            segment.set(JAVA_INT, entry + FLAGS_OFFSET, segment.get(JAVA_INT, entry + FLAGS_OFFSET) | FLAG_SECONDARY);
        }
        finally
        {
            unlock();
        }
    }

    @Override
    public int reapDeadClients()
    {
        ensureOpen();
        lock();
        try
        {
            return clients.reapDead();
        }
        finally
        {
            unlock();
        }
    }

    // ------------------------------------------------------------------------------------------
    // stats, health, close

    @Override
    public StoreStats stats()
    {
        ensureOpen();
        final long pinned = table.pinnedSlots();
        final int attached = clients.attached();
        return new StoreStats(
            segment.get(JAVA_LONG, DATA_LENGTH_OFFSET),
            table.counter(USED_BYTES_OFFSET),
            table.counter(OBJECTS_OFFSET),
            pinned,
            table.counter(SPILLED_OFFSET),
            table.counter(EVICTED_OFFSET),
            table.counter(RESTORED_OFFSET),
            attached,
            maxObjects,
            table.counter(LOCK_RECOVERIES_OFFSET));
    }

    @Override
    public java.util.List<StoreEntry> entries()
    {
        ensureOpen();
        return table.entries();
    }

    @Override
    public void checkHealth()
    {
        ensureOpen();
        file.checkHealth();
    }

    @Override
    public Path path()
    {
        return path;
    }

    @Override
    public boolean isOwner()
    {
        return owner;
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        lock();
        try
        {
            if (closed)
            {
                return;
            }
            closed = true;
            writers.retireAll();
            if (owner)
            {
                file.markClosed();
            }
            else
            {
                clients.leave();
            }
        }
        finally
        {
            unlock();
        }
        // With another thread still holding a writable segment of an unsealed object, unmapping now
        // would let its next write crash the JVM: the mapping is left to process exit.
        file.close(writers.allClosed());
        if (owner)
        {
            SpillFiles.deleteQuietly(path);
            spill.deleteAll();
        }
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("object store " + path + " is closed");
        }
    }

    private void lock()
    {
        lock.lock();
    }

    private void unlock()
    {
        lock.unlock();
    }

    @Override
    public String toString()
    {
        return "SharedObjectStore{path=" + path + ", owner=" + owner + ", client=" + clientIndex + '}';
    }
}
