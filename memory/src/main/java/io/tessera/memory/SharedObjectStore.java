package io.tessera.memory;

import io.tessera.memory.internal.ClientLayout;
import io.tessera.memory.internal.StoreLayout;
import io.tessera.memory.internal.TlsfAllocator;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import static io.tessera.memory.internal.EntryLayout.*;
import static io.tessera.memory.internal.StoreLayout.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The shared-memory {@link ObjectStore}: one mapped file, layout in {@link StoreLayout}.
 * <p>
 * Pins: each instance (client) owns one bit of every entry's state word, set while it holds at
 * least one pin; the count of its pins per slot lives in this process ({@link #localPins}). A dead
 * client's pins are therefore exactly its bit, cleared by {@link #reapDeadClients()}. Within the
 * process the 0 -> 1 and 1 -> 0 transitions of the local count are guarded by a transient -1.
 * <p>
 * Mutations of the table (other than pins and seal) and of the allocator take the store lock: a
 * process-local {@link ReentrantLock} plus a word in the header CAS'd to this client's pid and
 * index. A waiter that finds the holder dead steals the word and rebuilds the allocator index and
 * counters from the table ({@link #recover()}).
 */
final class SharedObjectStore implements ObjectStore
{
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final VarHandle LOCAL = MethodHandles.arrayElementVarHandle(int[].class);
    private static final long HOLDER_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SPILL_CHUNK = 1L << 30;
    /** Eviction candidates sort as (age in us << SLOT_KEY_BITS | slot); 2^26 > the most table slots. */
    private static final int SLOT_KEY_BITS = 26;
    private static final long SLOT_KEY_MASK = (1L << SLOT_KEY_BITS) - 1;

    private final Path path;
    private final boolean owner;
    private final FileChannel channel;
    private final Arena arena;
    private final MemorySegment segment;
    private final Object fileKey;
    private final long tableOffset;
    private final int tableSlots;
    private final long mask;
    private final int maxObjects;
    private final long clientsOffset;
    private final long dataOffset;
    private final long dataLength;
    private final TlsfAllocator allocator;
    private final Path spillDir;
    private final int clientIndex;
    private final long pinBit;
    private final long lockWord;
    private final long startMs;
    private final int[] localPins;
    private final ReentrantLock localLock = new ReentrantLock();
    private final Map<ObjectId, Writer> writers = new ConcurrentHashMap<>();
    private final Queue<Writer> orphanedWriters = new ConcurrentLinkedQueue<>();
    /** Eviction candidates, oldest first; guarded by the store lock. */
    private long[] lruKeys = new long[0];
    private int lruCursor;
    private long lruMinStamp;

    /**
     * The guard of a segment returned by {@link #create}: a confined arena (closing a shared one costs
     * a handshake with every thread, tens of microseconds), owned by the creating thread.
     */
    private record Writer(Arena arena, Thread owner)
    {
        /**
         * Closes the guard when the calling thread owns it (any thread may close a shared one).
         *
         * @return false when another thread owns it and must close it.
         */
        boolean closeIfOwner()
        {
            if (owner == null || owner == Thread.currentThread())
            {
                arena.close();
                return true;
            }
            return false;
        }
    }
    private volatile boolean closed;

    private SharedObjectStore(
        final Path path,
        final boolean owner,
        final FileChannel channel,
        final Arena arena,
        final MemorySegment segment,
        final Object fileKey)
    {
        this.path = path;
        this.owner = owner;
        this.channel = channel;
        this.arena = arena;
        this.segment = segment;
        this.fileKey = fileKey;
        this.tableOffset = segment.get(JAVA_LONG, TABLE_OFFSET_OFFSET);
        this.tableSlots = segment.get(JAVA_INT, TABLE_SLOTS_OFFSET);
        this.mask = tableSlots - 1;
        this.maxObjects = segment.get(JAVA_INT, MAX_OBJECTS_OFFSET);
        this.clientsOffset = segment.get(JAVA_LONG, CLIENTS_OFFSET_OFFSET);
        this.dataOffset = segment.get(JAVA_LONG, DATA_OFFSET_OFFSET);
        this.dataLength = segment.get(JAVA_LONG, DATA_LENGTH_OFFSET);
        this.allocator = new TlsfAllocator(segment, dataOffset, dataLength);
        final int spillLength = segment.get(JAVA_INT, SPILL_DIR_LENGTH_OFFSET);
        final byte[] spillBytes = new byte[spillLength];
        MemorySegment.copy(segment, SPILL_DIR_BYTES_OFFSET, MemorySegment.ofArray(spillBytes), 0, spillLength);
        this.spillDir = Path.of(new String(spillBytes, StandardCharsets.UTF_8));
        this.localPins = new int[tableSlots];
        this.startMs = processStartMs(ProcessHandle.current());
        this.clientIndex = claimClientSlot();
        this.pinBit = pinBit(clientIndex);
        this.lockWord = (ProcessHandle.current().pid() << 8) | (clientIndex + 1);
    }

    static ObjectStore create(final StoreContext ctx)
    {
        final Path path = ctx.path();
        final long capacity = ctx.capacityBytes();
        final int maxObjects = ctx.maxObjects();
        final int slots = tableSlots(maxObjects);
        final long dataOffset = dataOffset(slots);
        final long dataLength = (capacity - dataOffset) & -64L;
        if (dataLength < 1L << 16)
        {
            throw new IllegalArgumentException("capacityBytes " + capacity + " leaves no data region after the " +
                dataOffset + " bytes of header and tables for maxObjects=" + maxObjects + "; give at least " +
                (dataOffset + (1L << 20)) + " bytes or fewer maxObjects");
        }
        final byte[] spill = ctx.spillDir().toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
        if (spill.length > SPILL_DIR_MAX_BYTES)
        {
            throw new IllegalArgumentException("spillDir path longer than " + SPILL_DIR_MAX_BYTES + " bytes: " +
                ctx.spillDir());
        }
        FileChannel channel = null;
        Arena arena = null;
        boolean spillCreated = false;
        try
        {
            final Path storeParent = path.toAbsolutePath().getParent();
            if (storeParent.equals(StoreContext.defaultStoreDirectory().toAbsolutePath()))
            {
                OwnerOnly.directory(storeParent);
            }
            final Path spillDir = ctx.spillDir().toAbsolutePath();
            if (spillDir.getParent().equals(StoreContext.defaultSpillRoot().toAbsolutePath()))
            {
                OwnerOnly.directory(spillDir.getParent());
            }
            channel = FileChannel.open(path, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OwnerOnly.fileAttribute());
            try
            {
                OwnerOnly.freshDirectory(spillDir);
                spillCreated = true;
            }
            catch (final java.nio.file.FileAlreadyExistsException ex)
            {
                throw new IncompatibleStoreException("spill directory " + spillDir + " exists already: a store " +
                    "spills only into a fresh directory it created (another user could have planted this one); " +
                    "remove it or choose another spillDir", ex);
            }
            arena = Arena.ofShared();
            final MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, capacity, arena);
            segment.set(JAVA_LONG, FILE_LENGTH_OFFSET, capacity);
            segment.set(JAVA_LONG, TABLE_OFFSET_OFFSET, TABLE_START);
            segment.set(JAVA_INT, TABLE_SLOTS_OFFSET, slots);
            segment.set(JAVA_INT, MAX_OBJECTS_OFFSET, maxObjects);
            segment.set(JAVA_LONG, CLIENTS_OFFSET_OFFSET, clientsOffset(slots));
            segment.set(JAVA_LONG, DATA_OFFSET_OFFSET, dataOffset);
            segment.set(JAVA_LONG, DATA_LENGTH_OFFSET, dataLength);
            segment.set(JAVA_LONG, OWNER_PID_OFFSET, ProcessHandle.current().pid());
            segment.set(JAVA_LONG, OWNER_START_OFFSET, processStartMs(ProcessHandle.current()));
            segment.set(JAVA_INT, SPILL_DIR_LENGTH_OFFSET, spill.length);
            MemorySegment.copy(MemorySegment.ofArray(spill), 0, segment, SPILL_DIR_BYTES_OFFSET, spill.length);
            new TlsfAllocator(segment, dataOffset, dataLength).format();
            segment.set(JAVA_INT, VERSION_OFFSET, VERSION);
            segment.set(JAVA_LONG, MAGIC_OFFSET, MAGIC);
            INT.setRelease(segment, STATUS_OFFSET, STATUS_OPEN);
            final Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return new SharedObjectStore(path, true, channel, arena, segment, key);
        }
        catch (final java.nio.file.FileAlreadyExistsException ex)
        {
            throw new IncompatibleStoreException("store file already exists: " + path +
                " (another store owns it; attach to it or choose another path)", ex);
        }
        catch (final IOException | RuntimeException ex)
        {
            final boolean ours = channel != null;
            closeQuietly(arena, channel);
            if (ours)
            {
                deleteQuietly(path);
            }
            if (spillCreated)
            {
                deleteTree(ctx.spillDir());
            }
            if (ex instanceof RuntimeException re && re instanceof io.tessera.TesseraException)
            {
                throw re;
            }
            throw new IncompatibleStoreException("cannot create store file " + path + " of " + capacity + " bytes: " +
                ex, ex);
        }
    }

    static ObjectStore attach(final Path path)
    {
        FileChannel channel = null;
        Arena arena = null;
        try
        {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            final long size = channel.size();
            if (size < TABLE_START)
            {
                throw new IncompatibleStoreException("not a Tessera store file (only " + size + " bytes): " + path);
            }
            arena = Arena.ofShared();
            final MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            final long magic = segment.get(JAVA_LONG, MAGIC_OFFSET);
            if (magic != MAGIC)
            {
                throw new IncompatibleStoreException("wrong magic 0x" + Long.toHexString(magic) + " in " + path +
                    ", expected 0x" + Long.toHexString(MAGIC) + " (not a Tessera store file)");
            }
            final int version = segment.get(JAVA_INT, VERSION_OFFSET);
            if (version != VERSION)
            {
                throw new IncompatibleStoreException("store file " + path + " has layout version " + version +
                    ", this build reads version " + VERSION);
            }
            final int status = (int)INT.getAcquire(segment, STATUS_OFFSET);
            if (status != STATUS_OPEN)
            {
                throw new IncompatibleStoreException("store file " + path + " is " +
                    (status == STATUS_CLOSED ? "closed by its owner" : "not initialised yet"));
            }
            if (segment.get(JAVA_LONG, FILE_LENGTH_OFFSET) != size)
            {
                throw new IncompatibleStoreException("store file " + path + " is " + size + " bytes, header says " +
                    segment.get(JAVA_LONG, FILE_LENGTH_OFFSET));
            }
            final Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            final SharedObjectStore store = new SharedObjectStore(path, false, channel, arena, segment, key);
            store.reapDeadClients();
            return store;
        }
        catch (final NoSuchFileException ex)
        {
            closeQuietly(arena, channel);
            throw new IncompatibleStoreException("no store file at " + path + " (never created, or deleted)", ex);
        }
        catch (final IOException ex)
        {
            closeQuietly(arena, channel);
            throw new IncompatibleStoreException("cannot open store file " + path + ": " + ex, ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(arena, channel);
            throw ex;
        }
    }

    static int deleteOrphans(final Path directory, final Path spillRoot)
    {
        int deleted = 0;
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path file : files.filter(f -> f.getFileName().toString().endsWith(".store")).toList())
            {
                // Only this user's own regular files: another user may plant anything in a shared directory.
                if (!OwnerOnly.isOwn(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                {
                    continue;
                }
                final ByteBuffer header = ByteBuffer.allocate((int)SPILL_DIR_BYTES_OFFSET)
                    .order(java.nio.ByteOrder.nativeOrder());
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
                {
                    while (header.hasRemaining() && channel.read(header) >= 0)
                    {
                        Thread.onSpinWait();
                    }
                }
                catch (final IOException ex)
                {
                    continue;
                }
                if (header.position() < header.capacity() || header.getLong((int)MAGIC_OFFSET) != MAGIC ||
                    header.getInt((int)VERSION_OFFSET) != VERSION)
                {
                    continue;
                }
                final long pid = header.getLong((int)OWNER_PID_OFFSET);
                if (isAlive(pid, header.getLong((int)OWNER_START_OFFSET)))
                {
                    continue;
                }
                // The spill directory is derived from the file's name, never read from the file.
                final Path spill = StoreContext.spillDirFor(spillRoot, file);
                if (OwnerOnly.isOwn(spill) && Files.isDirectory(spill, LinkOption.NOFOLLOW_LINKS))
                {
                    deleteTree(spill);
                }
                deleteQuietly(file);
                deleted++;
            }
        }
        catch (final IOException ex)
        {
            throw new IncompatibleStoreException("cannot list store directory " + directory + ": " + ex, ex);
        }
        return deleted;
    }

    // ------------------------------------------------------------------------------------------
    // create / seal / abort / put

    @Override
    public MemorySegment create(final ObjectId id, final long sizeBytes, final int kind)
    {
        closeOrphanedWriters();
        final long payload = allocateObject(id, sizeBytes, kind);
        final Arena writer = Arena.ofConfined();
        writers.put(id, new Writer(writer, Thread.currentThread()));
        return segment.asSlice(payload, sizeBytes).reinterpret(writer, null);
    }

    @Override
    public MemorySegment createShared(final ObjectId id, final long sizeBytes, final int kind)
    {
        closeOrphanedWriters();
        final long payload = allocateObject(id, sizeBytes, kind);
        final Arena writer = Arena.ofShared();
        writers.put(id, new Writer(writer, null));
        return segment.asSlice(payload, sizeBytes).reinterpret(writer, null);
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
        final long slot = lookup(id.hi(), id.lo());
        if (slot < 0)
        {
            throw new UnknownObjectException("cannot seal " + id + ": no such object (never created, aborted, or " +
                "created in a store that died)");
        }
        final long entry = entryOffset(tableOffset, slot);
        while (true)
        {
            final long word = (long)LONG.getVolatile(segment, entry);
            if (state(word) != CREATING)
            {
                throw new ObjectStateException("cannot seal " + id + ": it is " + stateName(state(word)) +
                    ", only a created, unsealed object can be sealed");
            }
            retireWriter(id);
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
            final long slot = lookup(id.hi(), id.lo());
            if (slot < 0)
            {
                throw new UnknownObjectException("cannot abort " + id + ": no such object");
            }
            final long entry = entryOffset(tableOffset, slot);
            final long word = (long)LONG.getVolatile(segment, entry);
            if (state(word) != CREATING)
            {
                throw new ObjectStateException("cannot abort " + id + ": it is " + stateName(state(word)) +
                    ", only an unsealed object can be aborted (use delete)");
            }
            retireWriter(id);
            freeEntry(slot, true);
        }
        finally
        {
            unlock();
        }
    }

    /**
     * Invalidates the writable segment of a sealed or aborted object. When another thread created it,
     * its confined guard can only be closed by that thread: it is queued and closed at that thread's
     * next create; until then that thread alone could still write to it.
     */
    private void retireWriter(final ObjectId id)
    {
        final Writer writer = writers.remove(id);
        if (writer != null && !writer.closeIfOwner())
        {
            orphanedWriters.add(writer);
        }
        closeOrphanedWriters();
    }

    private void closeOrphanedWriters()
    {
        if (!orphanedWriters.isEmpty())
        {
            orphanedWriters.removeIf(Writer::closeIfOwner);
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
            final long existing = lookup(id.hi(), id.lo());
            if (existing >= 0)
            {
                final long word = (long)LONG.getVolatile(segment, entryOffset(tableOffset, existing));
                throw new ObjectExistsException("object " + id + " already exists (" + stateName(state(word)) + ")");
            }
            if (segment.get(JAVA_LONG, LIVE_ENTRIES_OFFSET) >= maxObjects)
            {
                reapLocked();
                if (segment.get(JAVA_LONG, LIVE_ENTRIES_OFFSET) >= maxObjects)
                {
                    throw new StoreFullException("object table full: " + maxObjects + " objects (sealed, unsealed " +
                        "or spilled) already live in " + path + "; delete some or raise StoreContext.maxObjects");
                }
            }
            final long payload = allocateWithEviction(id, size);
            final long slot = insertSlot(id.hi(), id.lo());
            allocator.setSlot(payload, slot);
            final long entry = entryOffset(tableOffset, slot);
            segment.set(JAVA_LONG, entry + ID_HI_OFFSET, id.hi());
            segment.set(JAVA_LONG, entry + ID_LO_OFFSET, id.lo());
            segment.set(JAVA_LONG, entry + PAYLOAD_OFFSET, payload);
            segment.set(JAVA_LONG, entry + SIZE_OFFSET, size);
            segment.set(JAVA_INT, entry + KIND_OFFSET, kind);
            segment.set(JAVA_INT, entry + CREATOR_OFFSET, clientIndex);
            segment.set(JAVA_INT, entry + FLAGS_OFFSET, 0);
            segment.set(JAVA_LONG, entry + LRU_OFFSET, System.nanoTime());
            LONG.setRelease(segment, entry, (long)CREATING);
            addCounter(LIVE_ENTRIES_OFFSET, 1);
            addCounter(OBJECTS_OFFSET, 1);
            return payload;
        }
        finally
        {
            unlock();
        }
    }

    /**
     * Allocates, reaping dead clients and then evicting unpinned sealed objects in LRU order as needed.
     */
    private long allocateWithEviction(final ObjectId id, final long size)
    {
        long payload = allocate(size);
        if (payload >= 0)
        {
            return payload;
        }
        if (reapLocked() > 0 && (payload = allocate(size)) >= 0)
        {
            return payload;
        }
        IOException spillFailure = null;
        boolean rebuilt = false;
        while (true)
        {
            if (lruCursor >= lruKeys.length)
            {
                if (rebuilt)
                {
                    break;
                }
                rebuildEvictionCandidates();
                rebuilt = true;
                if (lruKeys.length == 0)
                {
                    break;
                }
            }
            final long key = lruKeys[lruCursor++];
            final long slot = key & SLOT_KEY_MASK;
            final long entry = entryOffset(tableOffset, slot);
            if (ageKey((long)LONG.getOpaque(segment, entry + LRU_OFFSET)) != key >>> SLOT_KEY_BITS)
            {
                continue;
            }
            final boolean secondary = (segment.get(JAVA_INT, entry + FLAGS_OFFSET) & FLAG_SECONDARY) != 0;
            if (!secondary && spillFailure != null)
            {
                continue;
            }
            try
            {
                if (!evict(slot))
                {
                    continue;
                }
            }
            catch (final IOException ex)
            {
                spillFailure = ex;
                continue;
            }
            if ((payload = allocate(size)) >= 0)
            {
                return payload;
            }
        }
        final String usage = " (" + segment.get(JAVA_LONG, USED_BYTES_OFFSET) + " of " + dataLength +
            " bytes used, largest free block " + allocator.largestFreePayload() + " bytes)";
        if (spillFailure != null)
        {
            throw new StoreFullException("no room for " + id + " of " + size + " bytes: spilling to " + spillDir +
                " failed: " + spillFailure + usage, spillFailure);
        }
        throw new StoreFullException("no room for " + id + " of " + size + " bytes: every object that could make " +
            "room is pinned or unsealed" + usage);
    }

    private long allocate(final long size)
    {
        final long payload = allocator.allocate(size, -1L);
        if (payload >= 0)
        {
            addCounter(USED_BYTES_OFFSET, allocator.blockBytes(payload));
        }
        return payload;
    }

    /**
     * Scans the table for unpinned sealed objects and sorts them oldest first into {@link #lruKeys}.
     * Later evictions consume that list (skipping entries touched or changed since) and scan again
     * only when it runs out, so a store under constant pressure does not scan per allocation.
     */
    private void rebuildEvictionCandidates()
    {
        long minStamp = Long.MAX_VALUE;
        int count = 0;
        for (long slot = 0; slot < tableSlots; slot++)
        {
            final long entry = entryOffset(tableOffset, slot);
            if ((long)LONG.getVolatile(segment, entry) == SEALED)
            {
                minStamp = Math.min(minStamp, (long)LONG.getOpaque(segment, entry + LRU_OFFSET));
                count++;
            }
        }
        lruMinStamp = minStamp;
        long[] keys = new long[count];
        int n = 0;
        for (long slot = 0; slot < tableSlots && n < count; slot++)
        {
            final long entry = entryOffset(tableOffset, slot);
            if ((long)LONG.getVolatile(segment, entry) == SEALED)
            {
                keys[n++] = (ageKey((long)LONG.getOpaque(segment, entry + LRU_OFFSET)) << SLOT_KEY_BITS) | slot;
            }
        }
        if (n < count)
        {
            keys = Arrays.copyOf(keys, n);
        }
        Arrays.sort(keys);
        lruKeys = keys;
        lruCursor = 0;
    }

    private long ageKey(final long stamp)
    {
        return Math.min((1L << (63 - SLOT_KEY_BITS)) - 1, Math.max(0, (stamp - lruMinStamp) / 1000));
    }

    /**
     * Evicts one unpinned sealed object: drops a secondary copy, spills a primary one.
     *
     * @return false when it got pinned or changed meanwhile.
     * @throws IOException when the spill write failed (the object stays in memory).
     */
    private boolean evict(final long slot) throws IOException
    {
        final long entry = entryOffset(tableOffset, slot);
        if (!LONG.compareAndSet(segment, entry, (long)SEALED, (long)EVICTING))
        {
            return false;
        }
        final boolean secondary = (segment.get(JAVA_INT, entry + FLAGS_OFFSET) & FLAG_SECONDARY) != 0;
        final long payload = segment.get(JAVA_LONG, entry + PAYLOAD_OFFSET);
        if (secondary)
        {
            addCounter(EVICTED_OFFSET, 1);
            freeEntry(slot, true);
            return true;
        }
        final long size = segment.get(JAVA_LONG, entry + SIZE_OFFSET);
        final Path file = spillFile(segment.get(JAVA_LONG, entry + ID_HI_OFFSET),
            segment.get(JAVA_LONG, entry + ID_LO_OFFSET));
        try
        {
            Files.deleteIfExists(file);
            try (FileChannel out = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OwnerOnly.fileAttribute()))
            {
                for (long pos = 0; pos < size; pos += SPILL_CHUNK)
                {
                    final ByteBuffer chunk = segment.asSlice(payload + pos, Math.min(SPILL_CHUNK, size - pos))
                        .asByteBuffer();
                    while (chunk.hasRemaining())
                    {
                        out.write(chunk);
                    }
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            deleteQuietly(file);
            LONG.setRelease(segment, entry, (long)SEALED);
            throw ex instanceof IOException io ? io : new IOException(ex);
        }
        segment.set(JAVA_LONG, entry + PAYLOAD_OFFSET, 0L);
        LONG.setRelease(segment, entry, (long)SPILLED);
        addCounter(USED_BYTES_OFFSET, -allocator.free(payload));
        addCounter(OBJECTS_OFFSET, -1);
        addCounter(SPILLED_OFFSET, 1);
        addCounter(EVICTED_OFFSET, 1);
        return true;
    }

    private void restore(final long slot, final ObjectId id)
    {
        lock();
        try
        {
            final long entry = entryOffset(tableOffset, slot);
            if (!idMatches(entry, id.hi(), id.lo()) ||
                !LONG.compareAndSet(segment, entry, (long)SPILLED, (long)RESTORING))
            {
                return;
            }
            final long size = segment.get(JAVA_LONG, entry + SIZE_OFFSET);
            final long payload;
            try
            {
                payload = allocateWithEviction(id, size);
            }
            catch (final RuntimeException ex)
            {
                LONG.setRelease(segment, entry, (long)SPILLED);
                throw ex;
            }
            allocator.setSlot(payload, slot);
            segment.set(JAVA_LONG, entry + PAYLOAD_OFFSET, payload);
            final Path file = spillFile(id.hi(), id.lo());
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
            {
                for (long pos = 0; pos < size; pos += SPILL_CHUNK)
                {
                    final ByteBuffer chunk = segment.asSlice(payload + pos, Math.min(SPILL_CHUNK, size - pos))
                        .asByteBuffer();
                    while (chunk.hasRemaining())
                    {
                        if (in.read(chunk, pos + chunk.position()) < 0)
                        {
                            throw new IOException("spill file truncated at " + (pos + chunk.position()) + " of " +
                                size + " bytes");
                        }
                    }
                }
            }
            catch (final IOException ex)
            {
                segment.set(JAVA_LONG, entry + PAYLOAD_OFFSET, 0L);
                LONG.setRelease(segment, entry, (long)SPILLED);
                addCounter(USED_BYTES_OFFSET, -allocator.free(payload));
                throw new ObjectStateException("cannot restore spilled object " + id + " from " + file + ": " + ex, ex);
            }
            segment.set(JAVA_LONG, entry + LRU_OFFSET, System.nanoTime());
            LONG.setRelease(segment, entry, (long)SEALED);
            deleteQuietly(file);
            addCounter(OBJECTS_OFFSET, 1);
            addCounter(SPILLED_OFFSET, -1);
            addCounter(RESTORED_OFFSET, 1);
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
        ensureOpen();
        ObjectView view = tryGet(id);
        if (view != null || timeoutNs <= 0)
        {
            return view;
        }
        final long deadline = System.nanoTime() + timeoutNs;
        final IdleStrategy idle = new BackoffIdleStrategy(64, 16, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MILLISECONDS.toNanos(1));
        while (true)
        {
            idle.idle();
            if ((view = tryGet(id)) != null)
            {
                return view;
            }
            ensureOpen();
            if (System.nanoTime() - deadline >= 0)
            {
                return null;
            }
        }
    }

    private ObjectView tryGet(final ObjectId id)
    {
        final long hi = id.hi();
        final long lo = id.lo();
        while (true)
        {
            final long slot = lookup(hi, lo);
            if (slot < 0)
            {
                return null;
            }
            final long entry = entryOffset(tableOffset, slot);
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
                return null;
            }
            final int pinned = pin(slot, entry, hi, lo);
            if (pinned < 0)
            {
                return null;
            }
            if (pinned == 0)
            {
                continue;
            }
            LONG.setOpaque(segment, entry + LRU_OFFSET, System.nanoTime());
            final long payload = segment.get(JAVA_LONG, entry + PAYLOAD_OFFSET);
            final long size = segment.get(JAVA_LONG, entry + SIZE_OFFSET);
            return new ObjectView(id, segment.asSlice(payload, size).asReadOnly(),
                segment.get(JAVA_INT, entry + KIND_OFFSET));
        }
    }

    /**
     * @return 1 pinned, 0 retry from lookup, -1 the object is not sealed.
     */
    private int pin(final long slot, final long entry, final long hi, final long lo)
    {
        final int index = (int)slot;
        while (true)
        {
            final int local = (int)LOCAL.getVolatile(localPins, index);
            if (local > 0)
            {
                if (LOCAL.compareAndSet(localPins, index, local, local + 1))
                {
                    if (idMatches(entry, hi, lo) && state((long)LONG.getAcquire(segment, entry)) == SEALED)
                    {
                        return 1;
                    }
                    unpinLocal(index, entry);
                    return 0;
                }
            }
            else if (local == 0)
            {
                if (LOCAL.compareAndSet(localPins, index, 0, -1))
                {
                    while (true)
                    {
                        final long word = (long)LONG.getVolatile(segment, entry);
                        if (state(word) != SEALED)
                        {
                            LOCAL.setRelease(localPins, index, 0);
                            return state(word) == CREATING ? -1 : 0;
                        }
                        if (LONG.compareAndSet(segment, entry, word, word | pinBit))
                        {
                            break;
                        }
                    }
                    if (!idMatches(entry, hi, lo))
                    {
                        clearPinBit(entry);
                        LOCAL.setRelease(localPins, index, 0);
                        return 0;
                    }
                    LOCAL.setRelease(localPins, index, 1);
                    return 1;
                }
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public void release(final ObjectId id)
    {
        ensureOpen();
        final long slot = lookup(id.hi(), id.lo());
        if (slot < 0)
        {
            throw new UnknownObjectException("cannot release " + id + ": no such object");
        }
        if (!unpinLocal((int)slot, entryOffset(tableOffset, slot)))
        {
            throw new ObjectStateException("cannot release " + id + ": this process holds no pin on it");
        }
    }

    private boolean unpinLocal(final int index, final long entry)
    {
        while (true)
        {
            final int local = (int)LOCAL.getVolatile(localPins, index);
            if (local == 0)
            {
                return false;
            }
            if (local > 1)
            {
                if (LOCAL.compareAndSet(localPins, index, local, local - 1))
                {
                    return true;
                }
            }
            else if (local == 1)
            {
                if (LOCAL.compareAndSet(localPins, index, 1, -1))
                {
                    final long word = clearPinBit(entry);
                    LOCAL.setRelease(localPins, index, 0);
                    if (state(word) == DELETE_PENDING && pins(word) == 0)
                    {
                        finishDeferredDelete(index);
                    }
                    return true;
                }
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }

    private long clearPinBit(final long entry)
    {
        while (true)
        {
            final long word = (long)LONG.getVolatile(segment, entry);
            final long updated = word & ~pinBit;
            if (LONG.compareAndSet(segment, entry, word, updated))
            {
                return updated;
            }
        }
    }

    private void finishDeferredDelete(final long slot)
    {
        lock();
        try
        {
            final long entry = entryOffset(tableOffset, slot);
            if ((long)LONG.getVolatile(segment, entry) == DELETE_PENDING)
            {
                freeEntry(slot, true);
            }
        }
        finally
        {
            unlock();
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
            final long slot = lookup(id.hi(), id.lo());
            if (slot < 0)
            {
                throw new UnknownObjectException("cannot delete " + id + ": no such object");
            }
            final long entry = entryOffset(tableOffset, slot);
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
                                freeEntry(slot, true);
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
                        deleteQuietly(spillFile(id.hi(), id.lo()));
                        freeEntry(slot, false);
                        addCounter(SPILLED_OFFSET, -1);
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
        final long slot = lookup(id.hi(), id.lo());
        if (slot < 0)
        {
            return false;
        }
        final int state = state((long)LONG.getAcquire(segment, entryOffset(tableOffset, slot)));
        return state == SEALED || state == SPILLED || state == EVICTING || state == RESTORING;
    }

    @Override
    public void markSecondary(final ObjectId id)
    {
        ensureOpen();
        lock();
        try
        {
            final long slot = lookup(id.hi(), id.lo());
            if (slot < 0)
            {
                throw new UnknownObjectException("cannot mark " + id + " secondary: no such object");
            }
            final long entry = entryOffset(tableOffset, slot);
            segment.set(JAVA_INT, entry + FLAGS_OFFSET, segment.get(JAVA_INT, entry + FLAGS_OFFSET) | FLAG_SECONDARY);
        }
        finally
        {
            unlock();
        }
    }

    /**
     * Frees the entry's block (when in memory) and turns the slot into a tombstone. Under the lock.
     */
    private void freeEntry(final long slot, final boolean inMemory)
    {
        final long entry = entryOffset(tableOffset, slot);
        if (inMemory)
        {
            final long payload = segment.get(JAVA_LONG, entry + PAYLOAD_OFFSET);
            LONG.setRelease(segment, entry, (long)TOMBSTONE);
            addCounter(USED_BYTES_OFFSET, -allocator.free(payload));
            addCounter(OBJECTS_OFFSET, -1);
        }
        else
        {
            LONG.setRelease(segment, entry, (long)TOMBSTONE);
        }
        segment.set(JAVA_LONG, entry + PAYLOAD_OFFSET, 0L);
        addCounter(LIVE_ENTRIES_OFFSET, -1);
        long s = slot;
        if (state((long)LONG.getVolatile(segment, entryOffset(tableOffset, (s + 1) & mask))) == FREE)
        {
            while (state((long)LONG.getVolatile(segment, entryOffset(tableOffset, s))) == TOMBSTONE)
            {
                LONG.setRelease(segment, entryOffset(tableOffset, s), (long)FREE);
                s = (s - 1) & mask;
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // table

    private static long hash(final long hi, final long lo)
    {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo;
        h ^= h >>> 32;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }

    private long lookup(final long hi, final long lo)
    {
        long slot = hash(hi, lo) & mask;
        for (int probes = 0; probes < tableSlots; probes++)
        {
            final long entry = entryOffset(tableOffset, slot);
            final int state = state((long)LONG.getAcquire(segment, entry));
            if (state == FREE)
            {
                return -1;
            }
            if (state != TOMBSTONE && idMatches(entry, hi, lo))
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private boolean idMatches(final long entry, final long hi, final long lo)
    {
        return segment.get(JAVA_LONG, entry + ID_HI_OFFSET) == hi && segment.get(JAVA_LONG, entry + ID_LO_OFFSET) == lo;
    }

    /** Under the lock, after {@link #lookup} found no entry for the id. */
    private long insertSlot(final long hi, final long lo)
    {
        long slot = hash(hi, lo) & mask;
        for (int probes = 0; probes < tableSlots; probes++)
        {
            final int state = state((long)LONG.getVolatile(segment, entryOffset(tableOffset, slot)));
            if (state == FREE || state == TOMBSTONE)
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        throw new StoreFullException("object table of " + path + " has no free slot (" + tableSlots + " slots)");
    }

    // ------------------------------------------------------------------------------------------
    // clients, lock and recovery

    private int claimClientSlot()
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            for (int i = 0; i < MAX_CLIENTS; i++)
            {
                final long offset = clientsOffset + (long)i * ClientLayout.LENGTH;
                if (LONG.compareAndSet(segment, offset + ClientLayout.PID_OFFSET, 0L, ProcessHandle.current().pid()))
                {
                    LONG.setRelease(segment, offset + ClientLayout.START_OFFSET, startMs);
                    return i;
                }
            }
            for (int i = 0; i < MAX_CLIENTS; i++)
            {
                final long offset = clientsOffset + (long)i * ClientLayout.LENGTH;
                final long pid = (long)LONG.getVolatile(segment, offset + ClientLayout.PID_OFFSET);
                if (pid != 0 && !isAlive(pid, (long)LONG.getVolatile(segment, offset + ClientLayout.START_OFFSET)))
                {
                    final long start = (long)LONG.getVolatile(segment, offset + ClientLayout.START_OFFSET);
                    if (LONG.compareAndSet(segment, offset + ClientLayout.START_OFFSET, start, -1L))
                    {
                        reapSlotWithoutLock(i);
                    }
                }
            }
        }
        throw new StoreFullException("no free client slot in " + path + ": " + MAX_CLIENTS +
            " processes are attached and alive");
    }

    private void reapSlotWithoutLock(final int client)
    {
        // Called from the constructor, before this instance owns a client slot: borrow the lock with a
        // temporary word (own pid, index 0 means "attaching").
        final long word = ProcessHandle.current().pid() << 8;
        acquireLockWord(word);
        try
        {
            reapClient(client);
        }
        finally
        {
            LONG.setRelease(segment, LOCK_OFFSET, 0L);
            localLock.unlock();
        }
    }

    private static long processStartMs(final ProcessHandle handle)
    {
        return handle.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    private static boolean isAlive(final long pid, final long startMs)
    {
        final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive())
        {
            return false;
        }
        if (startMs <= 0)
        {
            return true;
        }
        final long actual = processStartMs(handle.get());
        return actual == 0 || actual == startMs;
    }

    private boolean lockHolderAlive(final long word)
    {
        final long pid = word >>> 8;
        final int index = (int)(word & 0xFF) - 1;
        long start = 0;
        if (index >= 0 && index < MAX_CLIENTS)
        {
            final long offset = clientsOffset + (long)index * ClientLayout.LENGTH;
            if ((long)LONG.getVolatile(segment, offset + ClientLayout.PID_OFFSET) == pid)
            {
                start = (long)LONG.getVolatile(segment, offset + ClientLayout.START_OFFSET);
            }
        }
        return isAlive(pid, start);
    }

    private void lock()
    {
        if (localLock.isHeldByCurrentThread())
        {
            localLock.lock();
            return;
        }
        acquireLockWord(lockWord);
    }

    private void acquireLockWord(final long word)
    {
        localLock.lock();
        if (LONG.compareAndSet(segment, LOCK_OFFSET, 0L, word))
        {
            return;
        }
        long nextCheck = System.nanoTime() + HOLDER_CHECK_INTERVAL_NS;
        int spins = 0;
        while (true)
        {
            final long holder = (long)LONG.getVolatile(segment, LOCK_OFFSET);
            if (holder == 0)
            {
                if (LONG.compareAndSet(segment, LOCK_OFFSET, 0L, word))
                {
                    return;
                }
            }
            else if (System.nanoTime() - nextCheck >= 0)
            {
                nextCheck = System.nanoTime() + HOLDER_CHECK_INTERVAL_NS;
                if (!lockHolderAlive(holder) && LONG.compareAndSet(segment, LOCK_OFFSET, holder, word))
                {
                    recover();
                    return;
                }
            }
            if (++spins < 100)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield();
            }
        }
    }

    private void unlock()
    {
        if (localLock.getHoldCount() == 1)
        {
            LONG.setRelease(segment, LOCK_OFFSET, 0L);
        }
        localLock.unlock();
    }

    /**
     * The previous lock holder died mid-mutation: roll transient entry states back, then rebuild the
     * allocator index and counters from the table. Under the (stolen) lock.
     */
    private void recover()
    {
        long live = 0;
        long objects = 0;
        long spilled = 0;
        for (long slot = 0; slot < tableSlots; slot++)
        {
            final long entry = entryOffset(tableOffset, slot);
            final long word = (long)LONG.getVolatile(segment, entry);
            switch (state(word))
            {
                case EVICTING ->
                {
                    deleteQuietly(spillFile(segment.get(JAVA_LONG, entry + ID_HI_OFFSET),
                        segment.get(JAVA_LONG, entry + ID_LO_OFFSET)));
                    LONG.setRelease(segment, entry, (word & ~STATE_MASK) | SEALED);
                }
                case RESTORING ->
                {
                    segment.set(JAVA_LONG, entry + PAYLOAD_OFFSET, 0L);
                    LONG.setRelease(segment, entry, (long)SPILLED);
                }
                default ->
                {
                }
            }
            final int state = state((long)LONG.getVolatile(segment, entry));
            if (state != FREE && state != TOMBSTONE)
            {
                live++;
                if (state == SPILLED)
                {
                    spilled++;
                }
                else
                {
                    objects++;
                }
            }
        }
        final long used = allocator.rebuild((payload, slot) ->
        {
            if (slot < 0 || slot >= tableSlots)
            {
                return false;
            }
            final long entry = entryOffset(tableOffset, slot);
            final int state = state((long)LONG.getVolatile(segment, entry));
            return (state == CREATING || state == SEALED || state == DELETE_PENDING) &&
                segment.get(JAVA_LONG, entry + PAYLOAD_OFFSET) == payload;
        });
        segment.set(JAVA_LONG, USED_BYTES_OFFSET, used);
        segment.set(JAVA_LONG, OBJECTS_OFFSET, objects);
        segment.set(JAVA_LONG, SPILLED_OFFSET, spilled);
        segment.set(JAVA_LONG, LIVE_ENTRIES_OFFSET, live);
        addCounter(LOCK_RECOVERIES_OFFSET, 1);
    }

    @Override
    public int reapDeadClients()
    {
        ensureOpen();
        lock();
        try
        {
            return reapLocked();
        }
        finally
        {
            unlock();
        }
    }

    private int reapLocked()
    {
        int reaped = 0;
        for (int i = 0; i < MAX_CLIENTS; i++)
        {
            if (i == clientIndex)
            {
                continue;
            }
            final long offset = clientsOffset + (long)i * ClientLayout.LENGTH;
            final long pid = (long)LONG.getVolatile(segment, offset + ClientLayout.PID_OFFSET);
            if (pid != 0 && !isAlive(pid, (long)LONG.getVolatile(segment, offset + ClientLayout.START_OFFSET)))
            {
                reapClient(i);
                reaped++;
            }
        }
        return reaped;
    }

    /**
     * Clears the client's pin bit everywhere, frees its unsealed objects and the deleted objects it
     * was the last to pin, then frees its slot. Under the lock.
     */
    private void reapClient(final int client)
    {
        final long bit = pinBit(client);
        for (long slot = 0; slot < tableSlots; slot++)
        {
            final long entry = entryOffset(tableOffset, slot);
            long word = (long)LONG.getVolatile(segment, entry);
            final int state = state(word);
            if (state == FREE || state == TOMBSTONE)
            {
                continue;
            }
            while ((word & bit) != 0 && !LONG.compareAndSet(segment, entry, word, word & ~bit))
            {
                word = (long)LONG.getVolatile(segment, entry);
            }
            word = (long)LONG.getVolatile(segment, entry);
            if (word == DELETE_PENDING ||
                (state(word) == CREATING && segment.get(JAVA_INT, entry + CREATOR_OFFSET) == client))
            {
                freeEntry(slot, true);
            }
        }
        final long offset = clientsOffset + (long)client * ClientLayout.LENGTH;
        segment.set(JAVA_LONG, offset + ClientLayout.START_OFFSET, 0L);
        LONG.setRelease(segment, offset + ClientLayout.PID_OFFSET, 0L);
    }

    // ------------------------------------------------------------------------------------------
    // stats, health, close

    @Override
    public StoreStats stats()
    {
        ensureOpen();
        long pinned = 0;
        for (long slot = 0; slot < tableSlots; slot++)
        {
            if (pins((long)LONG.getOpaque(segment, entryOffset(tableOffset, slot))) != 0)
            {
                pinned++;
            }
        }
        int clients = 0;
        for (int i = 0; i < MAX_CLIENTS; i++)
        {
            if ((long)LONG.getOpaque(segment, clientsOffset + (long)i * ClientLayout.LENGTH) != 0)
            {
                clients++;
            }
        }
        return new StoreStats(
            dataLength,
            (long)LONG.getOpaque(segment, USED_BYTES_OFFSET),
            (long)LONG.getOpaque(segment, OBJECTS_OFFSET),
            pinned,
            (long)LONG.getOpaque(segment, SPILLED_OFFSET),
            (long)LONG.getOpaque(segment, EVICTED_OFFSET),
            (long)LONG.getOpaque(segment, RESTORED_OFFSET),
            clients,
            maxObjects,
            (long)LONG.getOpaque(segment, LOCK_RECOVERIES_OFFSET));
    }

    @Override
    public void checkHealth()
    {
        ensureOpen();
        if ((int)INT.getAcquire(segment, STATUS_OFFSET) != STATUS_OPEN)
        {
            throw new IncompatibleStoreException("store " + path + " was closed by its owner (pid " +
                segment.get(JAVA_LONG, OWNER_PID_OFFSET) + ")");
        }
        try
        {
            final Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            if (!Objects.equals(key, fileKey))
            {
                throw new IncompatibleStoreException("store file " + path + " was replaced by another file " +
                    "while mapped; no new process can attach to this store");
            }
        }
        catch (final NoSuchFileException ex)
        {
            throw new IncompatibleStoreException("store file " + path + " was deleted while mapped; objects already " +
                "here stay readable by attached processes but no new process can attach", ex);
        }
        catch (final IOException ex)
        {
            throw new IncompatibleStoreException("cannot check store file " + path + ": " + ex, ex);
        }
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
            orphanedWriters.addAll(writers.values());
            writers.clear();
            closeOrphanedWriters();
            if (owner)
            {
                INT.setRelease(segment, STATUS_OFFSET, STATUS_CLOSED);
            }
            else
            {
                reapClient(clientIndex);
            }
        }
        finally
        {
            unlock();
        }
        if (orphanedWriters.isEmpty())
        {
            closeQuietly(arena, channel);
        }
        else
        {
            // Another thread still holds a writable segment of an unsealed object: unmapping now would
            // let its next write crash the JVM. Leave the mapping to process exit.
            closeQuietly(null, channel);
        }
        if (owner)
        {
            deleteQuietly(path);
            deleteTree(spillDir);
        }
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("object store " + path + " is closed");
        }
    }

    private void addCounter(final long offset, final long delta)
    {
        segment.set(JAVA_LONG, offset, segment.get(JAVA_LONG, offset) + delta);
    }

    private Path spillFile(final long hi, final long lo)
    {
        return spillDir.resolve(ObjectId.of(hi, lo) + ".spill");
    }

    private static void closeQuietly(final Arena arena, final FileChannel channel)
    {
        try
        {
            if (arena != null)
            {
                arena.close();
            }
        }
        catch (final RuntimeException ignore)
        {
            // already closed
        }
        try
        {
            if (channel != null)
            {
                channel.close();
            }
        }
        catch (final IOException ignore)
        {
            // nothing left to release
        }
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignore)
        {
            // best effort: a leftover spill file is harmless and overwritten by the next spill
        }
    }

    private static void deleteTree(final Path dir)
    {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(dir))
        {
            final List<Path> all = new ArrayList<>(files.toList());
            all.sort(Comparator.reverseOrder());
            all.forEach(SharedObjectStore::deleteQuietly);
        }
        catch (final IOException ignore)
        {
            // best effort
        }
    }

    @Override
    public String toString()
    {
        return "SharedObjectStore{path=" + path + ", owner=" + owner + ", client=" + clientIndex + '}';
    }
}
