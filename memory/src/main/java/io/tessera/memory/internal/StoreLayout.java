package io.tessera.memory.internal;

/**
 * Offsets of the store file. Every process maps the whole file; all offsets are absolute from the
 * start of the file, all fields native byte order.
 * <pre>
 *   0        4096        16384                      clients             data (4096-aligned)
 *   +--------+-----------+--------------------------+-------------------+---------------------------+
 *   | header | TLSF index| object table             | client table      | blocks (see BlockLayout)  |
 *   |        |           | tableSlots x 64 B        | MAX_CLIENTS x 64 B|                           |
 *   +--------+-----------+--------------------------+-------------------+---------------------------+
 *
 * header:
 *   0 magic (long)        8 version (int)      12 status (int: 0 init, 1 open, 2 closed)
 *  16 file length        24 table offset      32 table slots (int)  36 max objects (int)
 *  40 client offset      48 data offset       56 data length
 *  64 lock word  (own cache line: pid << 8 | client index + 1, 0 = free)
 * 128 used bytes  136 objects  144 spilled  152 evicted  160 restored  168 live entries
 * 176 lock recoveries (times a dead holder's lock was taken over)
 * 192 owner pid   200 owner start (epoch ms)
 * 256 spill dir length (int)  260 spill dir UTF-8 bytes (at most 1020)
 * </pre>
 * Counters at 128.. are written only under the lock; readers use them as a snapshot.
 */
public final class StoreLayout
{
    /** "TESSPLSM" as a long. */
    public static final long MAGIC = 0x5445535350_4C534DL;
    /** Bumped whenever any offset in this package changes. */
    public static final int VERSION = 1;

    public static final int STATUS_INIT = 0;
    public static final int STATUS_OPEN = 1;
    public static final int STATUS_CLOSED = 2;

    /** Pins are a bitmap of clients in the entry's state word: at most this many attached instances. */
    public static final int MAX_CLIENTS = 56;

    public static final long MAGIC_OFFSET = 0;
    public static final long VERSION_OFFSET = 8;
    public static final long STATUS_OFFSET = 12;
    public static final long FILE_LENGTH_OFFSET = 16;
    public static final long TABLE_OFFSET_OFFSET = 24;
    public static final long TABLE_SLOTS_OFFSET = 32;
    public static final long MAX_OBJECTS_OFFSET = 36;
    public static final long CLIENTS_OFFSET_OFFSET = 40;
    public static final long DATA_OFFSET_OFFSET = 48;
    public static final long DATA_LENGTH_OFFSET = 56;
    public static final long LOCK_OFFSET = 64;
    public static final long USED_BYTES_OFFSET = 128;
    public static final long OBJECTS_OFFSET = 136;
    public static final long SPILLED_OFFSET = 144;
    public static final long EVICTED_OFFSET = 152;
    public static final long RESTORED_OFFSET = 160;
    public static final long LIVE_ENTRIES_OFFSET = 168;
    public static final long LOCK_RECOVERIES_OFFSET = 176;
    public static final long OWNER_PID_OFFSET = 192;
    public static final long OWNER_START_OFFSET = 200;
    public static final long SPILL_DIR_LENGTH_OFFSET = 256;
    public static final long SPILL_DIR_BYTES_OFFSET = 260;
    public static final int SPILL_DIR_MAX_BYTES = 1020;

    /** TLSF index: first-level bitmap, second-level bitmaps and free-list heads. */
    public static final long TLSF_INDEX_OFFSET = 4096;
    /** The object table starts here. */
    public static final long TABLE_START = 16384;

    public static final long PAGE = 4096;

    private StoreLayout()
    {
    }

    /**
     * @param maxObjects object limit.
     * @return the table slot count: a power of two at least twice the limit.
     */
    public static int tableSlots(final int maxObjects)
    {
        return Integer.highestOneBit(Math.max(16, maxObjects) * 2 - 1) << 1;
    }

    /**
     * @param tableSlots slot count.
     * @return offset of the client table.
     */
    public static long clientsOffset(final int tableSlots)
    {
        return TABLE_START + (long)tableSlots * EntryLayout.LENGTH;
    }

    /**
     * @param tableSlots slot count.
     * @return offset of the data region, page aligned.
     */
    public static long dataOffset(final int tableSlots)
    {
        final long end = clientsOffset(tableSlots) + (long)MAX_CLIENTS * ClientLayout.LENGTH;
        return (end + PAGE - 1) & -PAGE;
    }
}
