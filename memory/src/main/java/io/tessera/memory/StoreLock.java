package io.tessera.memory;

import io.tessera.memory.internal.TlsfAllocator;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static io.tessera.memory.internal.EntryLayout.*;
import static io.tessera.memory.internal.StoreLayout.*;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The store lock, guarding mutations of the object table (other than pins and seal), the allocator
 * and the counters: a process-local {@link ReentrantLock} plus a word in the header CAS'd to this
 * client's pid and index. A waiter that finds the holder dead steals the word and rebuilds the
 * allocator index and counters from the table ({@link #recover()}).
 */
final class StoreLock
{
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final long HOLDER_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final MemorySegment segment;
    private final ReentrantLock localLock = new ReentrantLock();
    private final ObjectTable table;
    private final TlsfAllocator allocator;
    private final SpillFiles spill;
    private final ClientRegistry clients;
    /** This instance's lock word; set once by {@link #bind} before the store is published. */
    private long lockWord;

    StoreLock(
        final MemorySegment segment,
        final ObjectTable table,
        final TlsfAllocator allocator,
        final SpillFiles spill,
        final ClientRegistry clients)
    {
        this.segment = segment;
        this.table = table;
        this.allocator = allocator;
        this.spill = spill;
        this.clients = clients;
    }

    /** Takes the lock as {@code clientIndex} of this process from now on. */
    void bind(final int clientIndex)
    {
        this.lockWord = (ProcessHandle.current().pid() << 8) | (clientIndex + 1);
    }

    void lock()
    {
        if (localLock.isHeldByCurrentThread())
        {
            localLock.lock();
            return;
        }
        acquireLockWord(lockWord);
    }

    void unlock()
    {
        if (localLock.getHoldCount() == 1)
        {
            LONG.setRelease(segment, LOCK_OFFSET, 0L);
        }
        localLock.unlock();
    }

    /** Takes the lock with a temporary {@code word}, for work before this instance has a client slot. */
    void lockAs(final long word)
    {
        acquireLockWord(word);
    }

    /** Gives back a lock {@link #lockAs taken with a temporary word}. */
    void unlockAs()
    {
        LONG.setRelease(segment, LOCK_OFFSET, 0L);
        localLock.unlock();
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
                if (!clients.holderAlive(holder) && LONG.compareAndSet(segment, LOCK_OFFSET, holder, word))
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

    /**
     * The previous lock holder died mid-mutation: roll transient entry states back, then rebuild the
     * allocator index and counters from the table. Under the (stolen) lock.
     */
    private void recover()
    {
        final int tableSlots = table.slots;
        long live = 0;
        long objects = 0;
        long spilled = 0;
        for (long slot = 0; slot < tableSlots; slot++)
        {
            final long entry = table.entry(slot);
            final long word = (long)LONG.getVolatile(segment, entry);
            switch (state(word))
            {
                case EVICTING ->
                {
                    spill.delete(segment.get(JAVA_LONG, entry + ID_HI_OFFSET),
                        segment.get(JAVA_LONG, entry + ID_LO_OFFSET));
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
            final long entry = table.entry(slot);
            final int state = state((long)LONG.getVolatile(segment, entry));
            return (state == CREATING || state == SEALED || state == DELETE_PENDING) &&
                segment.get(JAVA_LONG, entry + PAYLOAD_OFFSET) == payload;
        });
        segment.set(JAVA_LONG, USED_BYTES_OFFSET, used);
        segment.set(JAVA_LONG, OBJECTS_OFFSET, objects);
        segment.set(JAVA_LONG, SPILLED_OFFSET, spilled);
        segment.set(JAVA_LONG, LIVE_ENTRIES_OFFSET, live);
        table.addCounter(LOCK_RECOVERIES_OFFSET, 1);
    }
}
