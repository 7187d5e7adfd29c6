package io.tessera.memory;

import io.tessera.memory.internal.ClientLayout;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Optional;

import static io.tessera.memory.internal.EntryLayout.*;
import static io.tessera.memory.internal.StoreLayout.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The client table of the store file ({@link ClientLayout}): the processes (store instances)
 * attached to it. Claims this instance's slot, tells live clients from dead ones (pid plus start
 * time, so a reused pid is not taken for the dead process), and reaps the dead: their pin bits,
 * their unsealed objects, the deleted objects they were the last to pin, and their slot.
 */
final class ClientRegistry
{
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    private final MemorySegment segment;
    private final long clientsOffset;
    private final ObjectTable table;
    private final Path path;
    private final long startMs;
    /** This instance's slot; -1 until {@link #claim}. */
    private int clientIndex = -1;

    ClientRegistry(final MemorySegment segment, final ObjectTable table, final Path path)
    {
        this.segment = segment;
        this.clientsOffset = segment.get(JAVA_LONG, CLIENTS_OFFSET_OFFSET);
        this.table = table;
        this.path = path;
        this.startMs = processStartMs(ProcessHandle.current());
    }

    /** This instance's slot. */
    int clientIndex()
    {
        return clientIndex;
    }

    /**
     * Claims a free slot for this instance, reaping dead clients' slots (under a borrowed lock word)
     * when none is free.
     *
     * @return the slot.
     * @throws StoreFullException when {@value io.tessera.memory.internal.StoreLayout#MAX_CLIENTS} live
     *                            clients hold every slot.
     */
    int claim(final StoreLock lock)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            for (int i = 0; i < MAX_CLIENTS; i++)
            {
                final long offset = clientsOffset + (long)i * ClientLayout.LENGTH;
                if (LONG.compareAndSet(segment, offset + ClientLayout.PID_OFFSET, 0L, ProcessHandle.current().pid()))
                {
                    LONG.setRelease(segment, offset + ClientLayout.START_OFFSET, startMs);
                    clientIndex = i;
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
                        reapSlotWithoutLock(lock, i);
                    }
                }
            }
        }
        throw new StoreFullException("no free client slot in " + path + ": " + MAX_CLIENTS +
            " processes are attached and alive");
    }

    private void reapSlotWithoutLock(final StoreLock lock, final int client)
    {
        // Called before this instance owns a client slot: borrow the lock with a temporary word (own
        // pid, index 0 means "attaching").
        lock.lockAs(ProcessHandle.current().pid() << 8);
        try
        {
            reapClient(client);
        }
        finally
        {
            lock.unlockAs();
        }
    }

    /** Whether the process whose lock word is {@code word} (pid << 8 | client index + 1) is alive. */
    boolean holderAlive(final long word)
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

    /**
     * Reaps every dead client but this instance. Under the lock.
     *
     * @return how many were reaped.
     */
    int reapDead()
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

    /** Detaches this instance: its pins, unsealed objects and slot go as a dead client's would. Under the lock. */
    void leave()
    {
        reapClient(clientIndex);
    }

    /**
     * Clears the client's pin bit everywhere, frees its unsealed objects and the deleted objects it
     * was the last to pin, then frees its slot. Under the lock.
     */
    private void reapClient(final int client)
    {
        final long bit = pinBit(client);
        for (long slot = 0; slot < table.slots; slot++)
        {
            final long entry = table.entry(slot);
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
                table.freeEntry(slot, true);
            }
        }
        final long offset = clientsOffset + (long)client * ClientLayout.LENGTH;
        segment.set(JAVA_LONG, offset + ClientLayout.START_OFFSET, 0L);
        LONG.setRelease(segment, offset + ClientLayout.PID_OFFSET, 0L);
    }

    /** @return how many slots are held (by live or not yet reaped clients). */
    int attached()
    {
        int clients = 0;
        for (int i = 0; i < MAX_CLIENTS; i++)
        {
            if ((long)LONG.getOpaque(segment, clientsOffset + (long)i * ClientLayout.LENGTH) != 0)
            {
                clients++;
            }
        }
        return clients;
    }

    static long processStartMs(final ProcessHandle handle)
    {
        return handle.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    static boolean isAlive(final long pid, final long startMs)
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
}
