package io.tessera.memory;

import io.tessera.memory.internal.TlsfAllocator;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Arrays;

import static io.tessera.memory.internal.EntryLayout.*;
import static io.tessera.memory.internal.StoreLayout.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Allocation with eviction: allocates a block, and when none is free reaps dead clients, then evicts
 * unpinned sealed objects least recently used first (a secondary copy is dropped, a primary one
 * spilled to disk) until the block fits. Candidates are kept sorted oldest first between allocations.
 * Under the store lock.
 */
final class Evictor
{
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    /** Eviction candidates sort as (age in us << SLOT_KEY_BITS | slot); 2^26 > the most table slots. */
    private static final int SLOT_KEY_BITS = 26;
    private static final long SLOT_KEY_MASK = (1L << SLOT_KEY_BITS) - 1;

    private final ObjectTable table;
    private final MemorySegment segment;
    private final TlsfAllocator allocator;
    private final SpillFiles spill;
    private final ClientRegistry clients;
    private final long dataLength;
    /** Eviction candidates, oldest first. */
    private long[] lruKeys = new long[0];
    private int lruCursor;
    private long lruMinStamp;

    Evictor(
        final ObjectTable table,
        final TlsfAllocator allocator,
        final SpillFiles spill,
        final ClientRegistry clients)
    {
        this.table = table;
        this.segment = table.segment;
        this.allocator = allocator;
        this.spill = spill;
        this.clients = clients;
        this.dataLength = segment.get(JAVA_LONG, DATA_LENGTH_OFFSET);
    }

    /**
     * Allocates, reaping dead clients and then evicting unpinned sealed objects in LRU order as needed.
     *
     * @return the payload offset of a block of at least {@code size} bytes, counted as used.
     * @throws StoreFullException when nothing that could make room can be evicted or spilled.
     */
    long allocateWithEviction(final ObjectId id, final long size)
    {
        long payload = allocate(size);
        if (payload >= 0)
        {
            return payload;
        }
        if (clients.reapDead() > 0 && (payload = allocate(size)) >= 0)
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
            final long entry = table.entry(slot);
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
            throw new StoreFullException("no room for " + id + " of " + size + " bytes: spilling to " + spill.dir() +
                " failed: " + spillFailure + usage, spillFailure);
        }
        throw new StoreFullException("no room for " + id + " of " + size + " bytes: every object that could make " +
            "room is pinned or unsealed" + usage);
    }

    /** @return the payload offset of a free block of at least {@code size} bytes, counted as used, or -1. */
    long allocate(final long size)
    {
        final long payload = allocator.allocate(size, -1L);
        if (payload >= 0)
        {
            table.addCounter(USED_BYTES_OFFSET, allocator.blockBytes(payload));
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
        final int tableSlots = table.slots;
        long minStamp = Long.MAX_VALUE;
        int count = 0;
        for (long slot = 0; slot < tableSlots; slot++)
        {
            final long entry = table.entry(slot);
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
            final long entry = table.entry(slot);
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
        final long entry = table.entry(slot);
        if (!LONG.compareAndSet(segment, entry, (long)SEALED, (long)EVICTING))
        {
            return false;
        }
        final boolean secondary = (segment.get(JAVA_INT, entry + FLAGS_OFFSET) & FLAG_SECONDARY) != 0;
        final long payload = segment.get(JAVA_LONG, entry + PAYLOAD_OFFSET);
        if (secondary)
        {
            table.addCounter(EVICTED_OFFSET, 1);
            table.freeEntry(slot, true);
            return true;
        }
        final long size = segment.get(JAVA_LONG, entry + SIZE_OFFSET);
        final Path file = spill.file(segment.get(JAVA_LONG, entry + ID_HI_OFFSET),
            segment.get(JAVA_LONG, entry + ID_LO_OFFSET));
        try
        {
            spill.write(file, segment, payload, size);
        }
        catch (final IOException ex)
        {
            LONG.setRelease(segment, entry, (long)SEALED);
            throw ex;
        }
        segment.set(JAVA_LONG, entry + PAYLOAD_OFFSET, 0L);
        LONG.setRelease(segment, entry, (long)SPILLED);
        table.addCounter(USED_BYTES_OFFSET, -allocator.free(payload));
        table.addCounter(OBJECTS_OFFSET, -1);
        table.addCounter(SPILLED_OFFSET, 1);
        table.addCounter(EVICTED_OFFSET, 1);
        return true;
    }
}
