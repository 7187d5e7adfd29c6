package io.tessera.memory;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static io.tessera.memory.internal.EntryLayout.*;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * This instance's pins. Each client owns one bit of every entry's state word, set while it holds at
 * least one pin; the count of its pins per slot lives in this process ({@link #localPins}). A dead
 * client's pins are therefore exactly its bit. Within the process the 0 -> 1 and 1 -> 0 transitions
 * of the local count are guarded by a transient -1. Lock-free, except that the last unpin of a
 * deleted object frees it under the store lock.
 */
final class PinTable
{
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle LOCAL = MethodHandles.arrayElementVarHandle(int[].class);

    private final ObjectTable table;
    private final MemorySegment segment;
    private final StoreLock lock;
    private final int[] localPins;
    private final long pinBit;

    PinTable(final ObjectTable table, final StoreLock lock, final int clientIndex)
    {
        this.table = table;
        this.segment = table.segment;
        this.lock = lock;
        this.localPins = new int[table.slots];
        this.pinBit = pinBit(clientIndex);
    }

    /** This instance's pin count on the slot (-1 while a 0 <-> 1 transition is in flight). */
    int localPins(final long slot)
    {
        return (int)LOCAL.getVolatile(localPins, (int)slot);
    }

    /**
     * Pins the sealed object with id {@code hi, lo} in {@code slot}.
     *
     * @return 1 pinned, 0 retry from lookup, -1 the object is not sealed.
     */
    int pin(final long slot, final long entry, final long hi, final long lo)
    {
        final int index = (int)slot;
        while (true)
        {
            final int local = (int)LOCAL.getVolatile(localPins, index);
            if (local > 0)
            {
                if (LOCAL.compareAndSet(localPins, index, local, local + 1))
                {
                    if (table.idMatches(entry, hi, lo) && state((long)LONG.getAcquire(segment, entry)) == SEALED)
                    {
                        return 1;
                    }
                    unpin(index, entry);
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
                    if (!table.idMatches(entry, hi, lo))
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

    /**
     * Drops one of this instance's pins on the slot; the last one clears its bit, and frees the object
     * when it was deleted and no client pins it any more.
     *
     * @return false when this instance holds no pin on the slot.
     */
    boolean unpin(final int index, final long entry)
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
        lock.lock();
        try
        {
            final long entry = table.entry(slot);
            if ((long)LONG.getVolatile(segment, entry) == DELETE_PENDING)
            {
                table.freeEntry(slot, true);
            }
        }
        finally
        {
            lock.unlock();
        }
    }
}
