package io.tessera.memory.internal;

import java.lang.foreign.MemorySegment;

import static io.tessera.memory.internal.BlockLayout.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Two-level segregated fit allocator over the data region of a store file: O(1) allocate and free,
 * immediate coalescing with both physical neighbours, good fit (the first non-empty list whose
 * smallest size class fits the rounded-up request), 64-byte aligned payloads.
 * <p>
 * First level: power of two of the block size (sizes below 1 KiB share level 0); second level: 16
 * linear subdivisions. The index (bitmaps and list heads) lives in the file at
 * {@link StoreLayout#TLSF_INDEX_OFFSET}:
 * <pre>
 *   +0    first-level bitmap (long)
 *   +64   second-level bitmaps (64 ints)
 *   +512  free-list heads [64][16] (longs, block offsets, 0 = empty)
 * </pre>
 * Not thread-safe: callers hold the store lock. Every mutation leaves the physical chain of block
 * sizes walkable at each step (a split writes the tail's header before shrinking the head), so
 * {@link #rebuild(BlockValidator)} can reconstruct the index after the lock holder died mid-call.
 */
public final class TlsfAllocator
{
    static final int SL_LOG = 4;
    static final int SL_COUNT = 1 << SL_LOG;
    static final int FL_COUNT = 64;
    static final long SMALL_BLOCK = SL_COUNT * ALIGNMENT;
    static final int SMALL_LOG = 63 - Long.numberOfLeadingZeros(SMALL_BLOCK);

    private static final long FL_BITMAP = StoreLayout.TLSF_INDEX_OFFSET;
    private static final long SL_BITMAPS = StoreLayout.TLSF_INDEX_OFFSET + 64;
    private static final long HEADS = StoreLayout.TLSF_INDEX_OFFSET + 512;

    /** Decides whether a used block found while rebuilding still belongs to a live object. */
    @FunctionalInterface
    public interface BlockValidator
    {
        /**
         * @param payloadOffset offset of the block's payload.
         * @param slot          object table slot recorded in the block.
         * @return true when the object at that slot is live and owns this payload.
         */
        boolean isLive(long payloadOffset, long slot);
    }

    private final MemorySegment segment;
    private final long dataStart;
    private final long dataEnd;

    /**
     * @param segment    the whole mapped store file.
     * @param dataStart  first byte of the data region, 64-byte aligned.
     * @param dataLength length of the data region, multiple of 64.
     */
    public TlsfAllocator(final MemorySegment segment, final long dataStart, final long dataLength)
    {
        this.segment = segment;
        this.dataStart = dataStart;
        this.dataEnd = dataStart + dataLength;
    }

    /**
     * Formats the region as one free block. Only for a new store file.
     */
    public void format()
    {
        clearIndex();
        final long size = dataEnd - dataStart;
        writeHeader(dataStart, size, 0);
        insert(dataStart, size);
    }

    /**
     * @return the largest payload any single allocation could ever get.
     */
    public long maxPayload()
    {
        return dataEnd - dataStart - HEADER_LENGTH;
    }

    /**
     * @param payloadSize requested bytes, >= 0.
     * @return bytes of the block a payload of that size takes.
     */
    public static long blockSizeFor(final long payloadSize)
    {
        return Math.max(MIN_BLOCK, ((payloadSize + ALIGNMENT - 1) & -ALIGNMENT) + HEADER_LENGTH);
    }

    /**
     * @param payloadSize requested bytes, 0 .. {@link #maxPayload()}.
     * @param slot        object table slot recorded in the block.
     * @return offset of the 64-byte aligned payload, or -1 when no free block fits.
     */
    public long allocate(final long payloadSize, final long slot)
    {
        final long need = blockSizeFor(payloadSize);
        long block = findFit(need);
        if (block == 0 && (block = searchExactClass(need)) == 0)
        {
            return -1;
        }
        final long size = blockSize(block);
        remove(block, size);
        if (size - need >= MIN_BLOCK)
        {
            final long rest = block + need;
            final long restSize = size - need;
            writeHeader(rest, restSize, block);
            final long next = rest + restSize;
            if (next < dataEnd)
            {
                segment.set(JAVA_LONG, next + PREV_PHYS_OFFSET, rest);
            }
            segment.set(JAVA_LONG, block + SIZE_OFFSET, need | USED_BIT);
            insert(rest, restSize);
        }
        else
        {
            segment.set(JAVA_LONG, block + SIZE_OFFSET, size | USED_BIT);
        }
        segment.set(JAVA_LONG, block + SLOT_OFFSET, slot);
        return block + HEADER_LENGTH;
    }

    /**
     * @param payloadOffset a payload returned by {@link #allocate}.
     * @return bytes of the block the payload held (for accounting).
     */
    public long blockBytes(final long payloadOffset)
    {
        return blockSize(payloadOffset - HEADER_LENGTH);
    }

    /**
     * @param payloadOffset a payload returned by {@link #allocate}.
     * @param slot          table slot to record.
     */
    public void setSlot(final long payloadOffset, final long slot)
    {
        segment.set(JAVA_LONG, payloadOffset - HEADER_LENGTH + SLOT_OFFSET, slot);
    }

    /**
     * Frees a payload and merges it with free neighbours.
     *
     * @param payloadOffset a payload returned by {@link #allocate}.
     * @return bytes released.
     */
    public long free(final long payloadOffset)
    {
        long block = payloadOffset - HEADER_LENGTH;
        final long word = segment.get(JAVA_LONG, block + SIZE_OFFSET);
        if ((word & USED_BIT) == 0)
        {
            throw new IllegalStateException("double free of block at offset " + block);
        }
        final long released = word & ~USED_BIT;
        long size = released;
        segment.set(JAVA_LONG, block + SLOT_OFFSET, -1L);
        final long next = block + size;
        if (next < dataEnd && !isUsed(next))
        {
            final long nextSize = blockSize(next);
            remove(next, nextSize);
            size += nextSize;
        }
        final long prev = segment.get(JAVA_LONG, block + PREV_PHYS_OFFSET);
        if (prev != 0 && !isUsed(prev))
        {
            final long prevSize = blockSize(prev);
            remove(prev, prevSize);
            size += prevSize;
            block = prev;
        }
        segment.set(JAVA_LONG, block + SIZE_OFFSET, size);
        final long after = block + size;
        if (after < dataEnd)
        {
            segment.set(JAVA_LONG, after + PREV_PHYS_OFFSET, block);
        }
        insert(block, size);
        return released;
    }

    /**
     * Rebuilds the index and the previous-block links by walking the blocks; used blocks the
     * validator rejects are freed. Adjacent free blocks are merged.
     *
     * @param validator decides which used blocks stay.
     * @return bytes held by used blocks afterwards.
     */
    public long rebuild(final BlockValidator validator)
    {
        clearIndex();
        long used = 0;
        long prev = 0;
        long freeStart = 0;
        long block = dataStart;
        while (block < dataEnd)
        {
            long size = blockSize(block);
            if (size < MIN_BLOCK || (size & (ALIGNMENT - 1)) != 0 || block + size > dataEnd)
            {
                size = dataEnd - block;
                writeHeader(block, size, prev);
            }
            segment.set(JAVA_LONG, block + PREV_PHYS_OFFSET, prev);
            boolean usedBlock = isUsed(block);
            if (usedBlock && !validator.isLive(block + HEADER_LENGTH, segment.get(JAVA_LONG, block + SLOT_OFFSET)))
            {
                segment.set(JAVA_LONG, block + SIZE_OFFSET, size);
                usedBlock = false;
            }
            if (usedBlock)
            {
                if (freeStart != 0)
                {
                    final long freeSize = block - freeStart;
                    segment.set(JAVA_LONG, freeStart + SIZE_OFFSET, freeSize);
                    insert(freeStart, freeSize);
                    segment.set(JAVA_LONG, block + PREV_PHYS_OFFSET, freeStart);
                    freeStart = 0;
                }
                used += size;
                prev = block;
            }
            else if (freeStart == 0)
            {
                freeStart = block;
                prev = block;
            }
            block += size;
        }
        if (freeStart != 0)
        {
            final long freeSize = dataEnd - freeStart;
            segment.set(JAVA_LONG, freeStart + SIZE_OFFSET, freeSize);
            insert(freeStart, freeSize);
        }
        return used;
    }

    /**
     * @return the size of the largest free block's payload, 0 when none (walks the index).
     */
    public long largestFreePayload()
    {
        final long flMap = segment.get(JAVA_LONG, FL_BITMAP);
        if (flMap == 0)
        {
            return 0;
        }
        final int fl = 63 - Long.numberOfLeadingZeros(flMap);
        final int sl = 31 - Integer.numberOfLeadingZeros(segment.get(JAVA_INT, SL_BITMAPS + 4L * fl));
        long best = 0;
        for (long b = head(fl, sl); b != 0; b = segment.get(JAVA_LONG, b + NEXT_FREE_OFFSET))
        {
            best = Math.max(best, blockSize(b));
        }
        return best - HEADER_LENGTH;
    }

    private long findFit(final long need)
    {
        long rounded = need;
        if (need >= SMALL_BLOCK)
        {
            rounded = need + (1L << (63 - Long.numberOfLeadingZeros(need) - SL_LOG)) - 1;
        }
        int fl = firstLevel(rounded);
        int sl = secondLevel(rounded, fl);
        if (fl >= FL_COUNT)
        {
            return 0;
        }
        int slMap = segment.get(JAVA_INT, SL_BITMAPS + 4L * fl) & (-1 << sl);
        if (slMap == 0)
        {
            final long flMap = fl + 1 >= FL_COUNT ? 0 : segment.get(JAVA_LONG, FL_BITMAP) & (-1L << (fl + 1));
            if (flMap == 0)
            {
                return 0;
            }
            fl = Long.numberOfTrailingZeros(flMap);
            slMap = segment.get(JAVA_INT, SL_BITMAPS + 4L * fl);
        }
        sl = Integer.numberOfTrailingZeros(slMap);
        return head(fl, sl);
    }

    /**
     * Good fit rounds the request up to the next size class, so a block of the request's own class
     * that is large enough is missed; look through that one list before giving up.
     */
    private long searchExactClass(final long need)
    {
        final int fl = firstLevel(need);
        if (fl >= FL_COUNT)
        {
            return 0;
        }
        for (long b = head(fl, secondLevel(need, fl)); b != 0; b = segment.get(JAVA_LONG, b + NEXT_FREE_OFFSET))
        {
            if (blockSize(b) >= need)
            {
                return b;
            }
        }
        return 0;
    }

    static int firstLevel(final long size)
    {
        if (size < SMALL_BLOCK)
        {
            return 0;
        }
        return 63 - Long.numberOfLeadingZeros(size) - SMALL_LOG + 1;
    }

    static int secondLevel(final long size, final int fl)
    {
        if (fl == 0)
        {
            return (int)(size >>> 6);
        }
        final int log = 63 - Long.numberOfLeadingZeros(size);
        return (int)(size >>> (log - SL_LOG)) - SL_COUNT;
    }

    private void insert(final long block, final long size)
    {
        final int fl = firstLevel(size);
        final int sl = secondLevel(size, fl);
        final long headOffset = HEADS + 8L * (fl * SL_COUNT + sl);
        final long head = segment.get(JAVA_LONG, headOffset);
        segment.set(JAVA_LONG, block + NEXT_FREE_OFFSET, head);
        segment.set(JAVA_LONG, block + PREV_FREE_OFFSET, 0L);
        if (head != 0)
        {
            segment.set(JAVA_LONG, head + PREV_FREE_OFFSET, block);
        }
        segment.set(JAVA_LONG, headOffset, block);
        segment.set(JAVA_LONG, FL_BITMAP, segment.get(JAVA_LONG, FL_BITMAP) | (1L << fl));
        final long slOffset = SL_BITMAPS + 4L * fl;
        segment.set(JAVA_INT, slOffset, segment.get(JAVA_INT, slOffset) | (1 << sl));
    }

    private void remove(final long block, final long size)
    {
        final int fl = firstLevel(size);
        final int sl = secondLevel(size, fl);
        final long next = segment.get(JAVA_LONG, block + NEXT_FREE_OFFSET);
        final long prev = segment.get(JAVA_LONG, block + PREV_FREE_OFFSET);
        if (next != 0)
        {
            segment.set(JAVA_LONG, next + PREV_FREE_OFFSET, prev);
        }
        if (prev != 0)
        {
            segment.set(JAVA_LONG, prev + NEXT_FREE_OFFSET, next);
        }
        else
        {
            final long headOffset = HEADS + 8L * (fl * SL_COUNT + sl);
            segment.set(JAVA_LONG, headOffset, next);
            if (next == 0)
            {
                final long slOffset = SL_BITMAPS + 4L * fl;
                final int slMap = segment.get(JAVA_INT, slOffset) & ~(1 << sl);
                segment.set(JAVA_INT, slOffset, slMap);
                if (slMap == 0)
                {
                    segment.set(JAVA_LONG, FL_BITMAP, segment.get(JAVA_LONG, FL_BITMAP) & ~(1L << fl));
                }
            }
        }
    }

    private long head(final int fl, final int sl)
    {
        return segment.get(JAVA_LONG, HEADS + 8L * (fl * SL_COUNT + sl));
    }

    private void clearIndex()
    {
        segment.asSlice(FL_BITMAP, 512 + 8L * FL_COUNT * SL_COUNT).fill((byte)0);
    }

    private void writeHeader(final long block, final long size, final long prevPhys)
    {
        segment.set(JAVA_LONG, block + PREV_PHYS_OFFSET, prevPhys);
        segment.set(JAVA_LONG, block + SLOT_OFFSET, -1L);
        segment.set(JAVA_LONG, block + SIZE_OFFSET, size);
    }

    private long blockSize(final long block)
    {
        return segment.get(JAVA_LONG, block + SIZE_OFFSET) & ~USED_BIT;
    }

    private boolean isUsed(final long block)
    {
        return (segment.get(JAVA_LONG, block + SIZE_OFFSET) & USED_BIT) != 0;
    }
}
