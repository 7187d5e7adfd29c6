package io.tessera.transport;

import io.netty.buffer.ByteBuf;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.transport.internal.FrameLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Puller side of one object pull: the object created (unsealed) in the receiving store, the ranges
 * still outstanding, and the future. Ranges arrive on several event loops at once; the first failure
 * aborts the object and cancels the other ranges, the last range seals it.
 * <p>
 * The store's writable segment is confined to the thread that created it, but ranges are written by
 * the event loops of their connections, so {@link #segment} is an unconfined alias of the same
 * bytes (same address and size). Its safety rests on this class: writes stop before the object is
 * aborted (see {@link #write}), and the seal happens after the last range's last write.
 */
final class PullOperation
{
    private static final Logger LOG = LoggerFactory.getLogger(PullOperation.class);
    final ObjectStore store;
    final ObjectId id;
    final long size;
    final int kind;
    final MemorySegment segment;
    final TransportCounters counters;
    final CompletableFuture<PulledObject> future = new CompletableFuture<>();
    final List<ReceiveStream> streams = new CopyOnWriteArrayList<>();
    private final AtomicInteger remainingRanges = new AtomicInteger();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicInteger activeWriters = new AtomicInteger();
    private volatile int holders;

    PullOperation(final ObjectStore store, final ObjectId id, final long size, final int kind,
        final MemorySegment segment, final TransportCounters counters)
    {
        this.store = store;
        this.id = id;
        this.size = size;
        this.kind = kind;
        this.segment = segment;
        this.counters = counters;
    }

    void expectRanges(final int ranges)
    {
        holders = ranges;
        remainingRanges.set(ranges);
    }

    /**
     * Copies chunk bytes from a socket buffer into the store segment. Writers announce themselves in
     * {@link #activeWriters} before checking {@link #finished}; {@link #fail} sets it, then waits for
     * them before aborting, so no copy ever lands in space the abort has freed.
     */
    void write(final long offset, final ByteBuf src, final int index, final int length)
    {
        if (!enterWriter())
        {
            return;
        }
        try
        {
            if (src.nioBufferCount() == 1)
            {
                MemorySegment.copy(MemorySegment.ofBuffer(src.internalNioBuffer(index, length)), 0, segment, offset, length);
            }
            else
            {
                src.getBytes(index, segment.asSlice(offset, length).asByteBuffer());
            }
        }
        finally
        {
            exitWriter();
        }
    }

    /**
     * Announces a writer (a copy, or a socket read straight into {@link #segment}).
     *
     * @return false when the pull has finished: do not write.
     */
    boolean enterWriter()
    {
        activeWriters.incrementAndGet();
        if (finished.get())
        {
            activeWriters.decrementAndGet();
            return false;
        }
        return true;
    }

    void exitWriter()
    {
        activeWriters.decrementAndGet();
    }

    void rangeDone()
    {
        if (remainingRanges.decrementAndGet() == 0 && finished.compareAndSet(false, true))
        {
            try
            {
                store.seal(id);
            }
            catch (final RuntimeException e)
            {
                abortQuietly();
                future.completeExceptionally(new ObjectTransferException(ObjectTransferException.Reason.PROTOCOL,
                    "cannot seal pulled object " + id + " (" + size + " bytes): " + e, e));
                return;
            }
            counters.objectPulled();
            future.complete(new PulledObject(id, size, kind, holders));
        }
    }

    /**
     * Fails the pull (first call wins): aborts the half-written object and cancels the other ranges.
     */
    void fail(final ObjectTransferException.Reason reason, final String message, final Throwable cause)
    {
        if (!finished.compareAndSet(false, true))
        {
            return;
        }
        while (activeWriters.get() != 0)
        {
            Thread.onSpinWait();
        }
        abortQuietly();
        for (final ReceiveStream stream : streams)
        {
            if (stream.connection.receiveStreams.remove(stream.streamId) != null && stream.connection.isOpen())
            {
                stream.connection.write(FrameLayout.TYPE_CANCEL, 0, stream.streamId, MemorySegment.ofArray(new byte[0]));
            }
        }
        future.completeExceptionally(new ObjectTransferException(reason, "pull of object " + id + " (" + size +
            " bytes) failed: " + message + "; the partial copy was aborted", cause));
    }

    private void abortQuietly()
    {
        try
        {
            store.abort(id);
        }
        catch (final RuntimeException e)
        {
            LOG.warn("could not abort half-pulled object {}", id, e);
        }
    }
}
