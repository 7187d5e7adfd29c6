package io.tessera.memory;

import io.tessera.memory.internal.TlsfAllocator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static io.tessera.memory.internal.EntryLayout.*;
import static io.tessera.memory.internal.StoreLayout.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The store's roles wired over a formatted store in private memory (no file), for unit tests of
 * one role at a time: entries are put in the states a test needs directly.
 */
final class StoreRoles implements AutoCloseable
{
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    final Arena arena = Arena.ofConfined();
    final MemorySegment segment;
    final TlsfAllocator allocator;
    final ObjectTable table;
    final SpillFiles spill;
    final ClientRegistry clients;
    final StoreLock lock;
    final int clientIndex;
    final PinTable pins;
    final Evictor evictor;

    StoreRoles(final long capacity, final int maxObjects, final Path spillDir)
    {
        segment = arena.allocate(capacity, PAGE);
        StoreFile.format(segment, capacity, maxObjects, spillDir.toString().getBytes(StandardCharsets.UTF_8));
        allocator = new TlsfAllocator(segment, segment.get(JAVA_LONG, DATA_OFFSET_OFFSET),
            segment.get(JAVA_LONG, DATA_LENGTH_OFFSET));
        final Path path = Path.of("in-memory.store");
        table = new ObjectTable(segment, allocator, path);
        spill = new SpillFiles(spillDir);
        clients = new ClientRegistry(segment, table, path);
        lock = new StoreLock(segment, table, allocator, spill, clients);
        clientIndex = clients.claim(lock);
        lock.bind(clientIndex);
        pins = new PinTable(table, lock, clientIndex);
        evictor = new Evictor(table, allocator, spill, clients);
    }

    /**
     * Creates an object without evicting anything and leaves it CREATING, its payload filled with
     * {@code fill}.
     *
     * @return its slot.
     */
    long creating(final ObjectId id, final long size, final byte fill, final int creator)
    {
        lock.lock();
        try
        {
            final long payload = evictor.allocate(size);
            if (payload < 0)
            {
                throw new IllegalStateException("no room for " + id);
            }
            final long slot = table.insertSlot(id.hi(), id.lo());
            table.insert(slot, id, payload, size, 0, creator);
            segment.asSlice(payload, size).fill(fill);
            return slot;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Creates and seals an object without evicting anything, last used at {@code lruStamp}.
     *
     * @return its slot.
     */
    long sealed(final ObjectId id, final long size, final long lruStamp, final boolean secondary)
    {
        final long slot = creating(id, size, (byte)id.lo(), clientIndex);
        final long entry = table.entry(slot);
        if (secondary)
        {
            segment.set(JAVA_INT, entry + FLAGS_OFFSET, FLAG_SECONDARY);
        }
        segment.set(JAVA_LONG, entry + LRU_OFFSET, lruStamp);
        LONG.setRelease(segment, entry, (long)SEALED);
        return slot;
    }

    long word(final long slot)
    {
        return (long)LONG.getVolatile(segment, table.entry(slot));
    }

    void setWord(final long slot, final long word)
    {
        LONG.setRelease(segment, table.entry(slot), word);
    }

    long counter(final long offset)
    {
        return table.counter(offset);
    }

    /** The payload of the object in {@code slot}, while it is in memory. */
    MemorySegment payload(final long slot)
    {
        final long entry = table.entry(slot);
        return segment.asSlice(segment.get(JAVA_LONG, entry + PAYLOAD_OFFSET), segment.get(JAVA_LONG, entry + SIZE_OFFSET));
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
