package io.tessera.memory.internal;

/**
 * A block of the data region, managed by {@link TlsfAllocator}. Blocks tile the region; each starts
 * with a 64-byte header so the payload after it is 64-byte aligned.
 * <pre>
 *   0                  8               16          24          32      40                      64
 *   +------------------+---------------+-----------+-----------+-------+-----------------------+---------
 *   | size | used bit  | prev physical | next free | prev free | slot  | reserved              | payload
 *   +------------------+---------------+-----------+-----------+-------+-----------------------+---------
 * </pre>
 * size includes the header and is a multiple of 64; offsets are absolute, 0 = none. next/prev free
 * are valid only in free blocks; slot (object table index) only in used blocks.
 */
public final class BlockLayout
{
    public static final int HEADER_LENGTH = 64;
    public static final long ALIGNMENT = 64;
    public static final long MIN_BLOCK = 128;

    public static final long SIZE_OFFSET = 0;
    public static final long PREV_PHYS_OFFSET = 8;
    public static final long NEXT_FREE_OFFSET = 16;
    public static final long PREV_FREE_OFFSET = 24;
    public static final long SLOT_OFFSET = 32;

    public static final long USED_BIT = 1;

    private BlockLayout()
    {
    }
}
