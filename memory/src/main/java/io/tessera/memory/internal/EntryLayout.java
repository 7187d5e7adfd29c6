package io.tessera.memory.internal;

/**
 * One slot of the object table (open addressing, linear probing on the id's hash).
 * <pre>
 *   0                   8          16         24               32        40     44        48     56
 *   +-------------------+----------+----------+----------------+---------+------+---------+------+-----------+
 *   | state word        | id hi    | id lo    | payload offset | size    | kind | creator | flags| LRU stamp |
 *   +-------------------+----------+----------+----------------+---------+------+---------+------+-----------+
 * state word: bits 0-7 state, bits 8-63 pin bitmap (bit 8 + client index = that client pins it).
 * </pre>
 * A slot goes FREE/TOMBSTONE -> CREATING -> SEALED <-> (EVICTING -> SPILLED -> RESTORING -> SEALED)
 * -> DELETE_PENDING -> TOMBSTONE. Pins are added only by CAS on a SEALED word, so a pinned object
 * can be neither evicted nor freed. Fields other than the state word change only under the store
 * lock while no client pins the slot; the state word is published with release semantics.
 */
public final class EntryLayout
{
    public static final int LENGTH = 64;

    public static final long STATE_OFFSET = 0;
    public static final long ID_HI_OFFSET = 8;
    public static final long ID_LO_OFFSET = 16;
    public static final long PAYLOAD_OFFSET = 24;
    public static final long SIZE_OFFSET = 32;
    public static final long KIND_OFFSET = 40;
    public static final long CREATOR_OFFSET = 44;
    public static final long FLAGS_OFFSET = 48;
    public static final long LRU_OFFSET = 56;

    public static final int FREE = 0;
    public static final int CREATING = 1;
    public static final int SEALED = 2;
    public static final int EVICTING = 3;
    public static final int SPILLED = 4;
    public static final int RESTORING = 5;
    public static final int DELETE_PENDING = 6;
    public static final int TOMBSTONE = 7;

    public static final long STATE_MASK = 0xFF;
    public static final int PIN_SHIFT = 8;

    /** Flag: secondary copy, dropped rather than spilled when evicted. */
    public static final int FLAG_SECONDARY = 1;

    private EntryLayout()
    {
    }

    public static int state(final long word)
    {
        return (int)(word & STATE_MASK);
    }

    public static long pins(final long word)
    {
        return word >>> PIN_SHIFT;
    }

    public static long pinBit(final int clientIndex)
    {
        return 1L << (PIN_SHIFT + clientIndex);
    }

    public static long entryOffset(final long tableOffset, final long slot)
    {
        return tableOffset + slot * LENGTH;
    }

    public static String stateName(final int state)
    {
        return switch (state)
        {
            case FREE -> "FREE";
            case CREATING -> "CREATING";
            case SEALED -> "SEALED";
            case EVICTING -> "EVICTING";
            case SPILLED -> "SPILLED";
            case RESTORING -> "RESTORING";
            case DELETE_PENDING -> "DELETE_PENDING";
            case TOMBSTONE -> "TOMBSTONE";
            default -> "UNKNOWN(" + state + ")";
        };
    }
}
