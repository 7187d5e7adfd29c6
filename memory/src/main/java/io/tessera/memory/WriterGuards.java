package io.tessera.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The guards of the writable segments {@link ObjectStore#create} hands out: each is scoped to an
 * arena closed when its object is sealed or aborted, so a late write fails instead of changing a
 * sealed object. A confined guard can only be closed by the thread that created it: retired by
 * another thread, it is queued and closed at that thread's next create.
 */
final class WriterGuards
{
    private final Map<ObjectId, Writer> writers = new ConcurrentHashMap<>();
    private final Queue<Writer> orphaned = new ConcurrentLinkedQueue<>();

    /**
     * The guard of a segment returned by {@link ObjectStore#create}: a confined arena (closing a shared
     * one costs a handshake with every thread, tens of microseconds), owned by the creating thread.
     */
    private record Writer(Arena arena, Thread owner)
    {
        /**
         * Closes the guard when the calling thread owns it (any thread may close a shared one).
         *
         * @return false when another thread owns it and must close it.
         */
        boolean closeIfOwner()
        {
            if (owner == null || owner == Thread.currentThread())
            {
                arena.close();
                return true;
            }
            return false;
        }
    }

    /**
     * @return {@code slice} scoped to a new guard for {@code id}: confined to the calling thread, or
     * shared (any thread may write, and seal) when {@code shared}.
     */
    MemorySegment open(final ObjectId id, final MemorySegment slice, final boolean shared)
    {
        final Arena writer = shared ? Arena.ofShared() : Arena.ofConfined();
        writers.put(id, new Writer(writer, shared ? null : Thread.currentThread()));
        return slice.reinterpret(writer, null);
    }

    /**
     * Invalidates the writable segment of a sealed or aborted object. When another thread created it,
     * its confined guard can only be closed by that thread: it is queued and closed at that thread's
     * next create; until then that thread alone could still write to it.
     */
    void retire(final ObjectId id)
    {
        final Writer writer = writers.remove(id);
        if (writer != null && !writer.closeIfOwner())
        {
            orphaned.add(writer);
        }
        closeOrphaned();
    }

    /** Closes the queued guards the calling thread owns. */
    void closeOrphaned()
    {
        if (!orphaned.isEmpty())
        {
            orphaned.removeIf(Writer::closeIfOwner);
        }
    }

    /** At close: retires every guard. */
    void retireAll()
    {
        orphaned.addAll(writers.values());
        writers.clear();
        closeOrphaned();
    }

    /** @return true when no guard is left open (no thread can still write into the mapping). */
    boolean allClosed()
    {
        return orphaned.isEmpty();
    }
}
