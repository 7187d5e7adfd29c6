package io.tessera.memory;

import io.tessera.memory.internal.EntryLayout;
import io.tessera.memory.internal.TlsfAllocator;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

import static io.tessera.memory.internal.EntryLayout.*;
import static io.tessera.memory.internal.StoreLayout.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The object table of the store file ({@link EntryLayout}): open addressing with linear probing on
 * the id's hash, and the header counters that follow its entries. Lookups take no lock; inserting
 * and freeing entries, and the counters, are written only under the store lock.
 */
final class ObjectTable
{
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    final MemorySegment segment;
    final int slots;
    private final long tableOffset;
    private final long mask;
    private final TlsfAllocator allocator;
    private final Path path;

    ObjectTable(final MemorySegment segment, final TlsfAllocator allocator, final Path path)
    {
        this.segment = segment;
        this.tableOffset = segment.get(JAVA_LONG, TABLE_OFFSET_OFFSET);
        this.slots = segment.get(JAVA_INT, TABLE_SLOTS_OFFSET);
        this.mask = slots - 1;
        this.allocator = allocator;
        this.path = path;
    }

    /** The offset of the slot's entry in the store. */
    long entry(final long slot)
    {
        return entryOffset(tableOffset, slot);
    }

    private static long hash(final long hi, final long lo)
    {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo;
        h ^= h >>> 32;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }

    /** @return the slot holding the id (in any live state), or -1. */
    long lookup(final long hi, final long lo)
    {
        long slot = hash(hi, lo) & mask;
        for (int probes = 0; probes < slots; probes++)
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

    boolean idMatches(final long entry, final long hi, final long lo)
    {
        return segment.get(JAVA_LONG, entry + ID_HI_OFFSET) == hi && segment.get(JAVA_LONG, entry + ID_LO_OFFSET) == lo;
    }

    /** Under the lock, after {@link #lookup} found no entry for the id. */
    long insertSlot(final long hi, final long lo)
    {
        long slot = hash(hi, lo) & mask;
        for (int probes = 0; probes < slots; probes++)
        {
            final int state = state((long)LONG.getVolatile(segment, entryOffset(tableOffset, slot)));
            if (state == FREE || state == TOMBSTONE)
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        throw new StoreFullException("object table of " + path + " has no free slot (" + slots + " slots)");
    }

    /**
     * Fills the slot {@link #insertSlot} found with a new CREATING object whose block is at
     * {@code payload}, and counts it. Under the lock.
     */
    void insert(final long slot, final ObjectId id, final long payload, final long size, final int kind,
        final int creator)
    {
        allocator.setSlot(payload, slot);
        final long entry = entryOffset(tableOffset, slot);
        segment.set(JAVA_LONG, entry + ID_HI_OFFSET, id.hi());
        segment.set(JAVA_LONG, entry + ID_LO_OFFSET, id.lo());
        segment.set(JAVA_LONG, entry + PAYLOAD_OFFSET, payload);
        segment.set(JAVA_LONG, entry + SIZE_OFFSET, size);
        segment.set(JAVA_INT, entry + KIND_OFFSET, kind);
        segment.set(JAVA_INT, entry + CREATOR_OFFSET, creator);
        segment.set(JAVA_INT, entry + FLAGS_OFFSET, 0);
        segment.set(JAVA_LONG, entry + LRU_OFFSET, System.nanoTime());
        LONG.setRelease(segment, entry, (long)CREATING);
        addCounter(LIVE_ENTRIES_OFFSET, 1);
        addCounter(OBJECTS_OFFSET, 1);
    }

    /**
     * Frees the entry's block (when in memory) and turns the slot into a tombstone. Under the lock.
     */
    void freeEntry(final long slot, final boolean inMemory)
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

    /** @return how many slots any client pins. */
    long pinnedSlots()
    {
        long pinned = 0;
        for (long slot = 0; slot < slots; slot++)
        {
            if (pins((long)LONG.getOpaque(segment, entryOffset(tableOffset, slot))) != 0)
            {
                pinned++;
            }
        }
        return pinned;
    }

    /**
     * The sealed objects (in memory or spilled), read without the lock: an entry whose state word
     * changed while its fields were read is read again, or left out when it stopped being an object.
     */
    java.util.List<StoreEntry> entries()
    {
        final java.util.List<StoreEntry> out = new java.util.ArrayList<>();
        for (long slot = 0; slot < slots; slot++)
        {
            final long entry = entryOffset(tableOffset, slot);
            for (int attempt = 0; attempt < 3; attempt++)
            {
                final long word = (long)LONG.getAcquire(segment, entry);
                final int state = state(word);
                if (state != SEALED && state != EVICTING && state != SPILLED && state != RESTORING)
                {
                    break;
                }
                final long hi = segment.get(JAVA_LONG, entry + ID_HI_OFFSET);
                final long lo = segment.get(JAVA_LONG, entry + ID_LO_OFFSET);
                final long size = segment.get(JAVA_LONG, entry + SIZE_OFFSET);
                final int flags = segment.get(JAVA_INT, entry + FLAGS_OFFSET);
                final long used = (long)LONG.getOpaque(segment, entry + LRU_OFFSET);
                VarHandle.loadLoadFence();
                if ((long)LONG.getAcquire(segment, entry) == word)
                {
                    out.add(new StoreEntry(ObjectId.of(hi, lo), size, Long.bitCount(pins(word)),
                        state == SPILLED || state == RESTORING, (flags & FLAG_SECONDARY) != 0, used));
                    break;
                }
            }
        }
        return out;
    }

    /** Adds to a header counter ({@code StoreLayout.*_OFFSET} at 128..). Under the lock. */
    void addCounter(final long offset, final long delta)
    {
        segment.set(JAVA_LONG, offset, segment.get(JAVA_LONG, offset) + delta);
    }

    /** A header counter, read as a snapshot without the lock. */
    long counter(final long offset)
    {
        return (long)LONG.getOpaque(segment, offset);
    }
}
