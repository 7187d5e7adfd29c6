package io.tessera.transport;

import io.tessera.memory.ObjectExistsException;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.ObjectTooLargeException;
import io.tessera.memory.ObjectView;
import io.tessera.memory.StoreFullException;
import io.tessera.transport.internal.FrameLayout;
import io.tessera.transport.internal.TransferLayout;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Pulls objects from peers' stores into a local store. The holders serve objects from the store in
 * their {@link TransportContext#store(ObjectStore)}; nothing else needs to run on their side.
 * <p>
 * A pull asks the first holder for the object's size and kind, creates the object in the target
 * store, splits it into ranges across up to {@code size / splitMinBytes} holders, and streams each
 * range over its holder's connection: the holder writes chunks straight from its pinned store
 * segment; the puller's socket reads land straight in the target store segment (epoll, NIO) or are
 * copied into it once from Netty's receive buffer (io_uring), under a credit window
 * ({@link TransportContext#windowBytes(long)}) per range. When every range has arrived the object is sealed; on any failure it is aborted and never
 * becomes visible.
 */
public final class ObjectTransfer
{
    private ObjectTransfer()
    {
    }

    /**
     * Pulls an object into {@code target} from one holder; the same as {@link #pull(ObjectStore, ObjectId, List)}
     * with a one-element list.
     *
     * @param target the local store the object is created and sealed in.
     * @param id     object id.
     * @param holder a connection to a node holding the object.
     * @return completes once the object is sealed in {@code target}.
     */
    public static CompletableFuture<PulledObject> pull(final ObjectStore target, final ObjectId id, final Connection holder)
    {
        return pull(target, id, List.of(holder));
    }

    /**
     * Pulls an object into {@code target}.
     *
     * @param target  the local store the object is created and sealed in.
     * @param id      object id.
     * @param holders connections to nodes holding the object (at least one); large objects are split
     *                across them.
     * @return completes once the object is sealed in {@code target} (at once when it is already
     * there, with {@link PulledObject#holders()} 0); fails with an {@link ObjectTransferException}
     * whose {@link ObjectTransferException#reason()} says why. Cancelling it aborts the pull and the
     * half-written object.
     */
    public static CompletableFuture<PulledObject> pull(final ObjectStore target, final ObjectId id,
        final List<? extends Connection> holders)
    {
        if (target == null || id == null || holders == null || holders.isEmpty())
        {
            throw new TransportException("pull needs a target store, an object id and at least one holder; got store=" +
                target + ", id=" + id + ", holders=" + holders);
        }
        for (final Connection holder : holders)
        {
            if (!(holder instanceof ChannelConnection))
            {
                throw new TransportException("holder " + holder + " is not a transport connection");
            }
        }
        final ObjectView present = target.get(id, 0);
        if (present != null)
        {
            final PulledObject done = new PulledObject(id, present.size(), present.kind(), 0);
            target.release(id);
            return CompletableFuture.completedFuture(done);
        }
        final ChannelConnection first = (ChannelConnection)holders.get(0);
        final MemorySegment request = MemorySegment.ofArray(new byte[TransferLayout.INFO_REQUEST_LENGTH]);
        request.set(ObjectServing.LE_LONG, 0, id.hi());
        request.set(ObjectServing.LE_LONG, 8, id.lo());
        final CompletableFuture<PulledObject> result = new CompletableFuture<>();
        first.requestInternal(FrameLayout.TYPE_OBJECT_INFO, request).whenComplete((reply, error) ->
        {
            if (error != null)
            {
                final Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                result.completeExceptionally(new ObjectTransferException(
                    cause instanceof ConnectionClosedException ? ObjectTransferException.Reason.PEER_CLOSED :
                        ObjectTransferException.Reason.PROTOCOL,
                    "cannot pull object " + id + ": asking node " + first.peerNodeId() + " for its size failed: " + cause, cause));
                return;
            }
            final MemorySegment info = MemorySegment.ofArray(reply);
            final long size = info.get(ObjectServing.LE_LONG, TransferLayout.INFO_REPLY_SIZE_OFFSET);
            final int kind = info.get(ObjectServing.LE_INT, TransferLayout.INFO_REPLY_KIND_OFFSET);
            if (size < 0)
            {
                result.completeExceptionally(new ObjectTransferException(ObjectTransferException.Reason.UNKNOWN_OBJECT,
                    "object " + id + " is not held by node " + first.peerNodeId() + " (" + first.remoteAddress() + ")"));
                return;
            }
            start(target, id, size, kind, holders, first, result);
        });
        return result;
    }

    private static void start(final ObjectStore target, final ObjectId id, final long size, final int kind,
        final List<? extends Connection> holders, final ChannelConnection first, final CompletableFuture<PulledObject> result)
    {
        if (result.isDone())
        {
            return;
        }
        final MemorySegment segment;
        try
        {
            segment = target.create(id, size, kind);
        }
        catch (final StoreFullException | ObjectTooLargeException e)
        {
            result.completeExceptionally(new ObjectTransferException(ObjectTransferException.Reason.STORE_FULL,
                "cannot pull object " + id + " (" + size + " bytes) into store " + target.path() + ": " + e.getMessage(), e));
            return;
        }
        catch (final ObjectExistsException e)
        {
            result.completeExceptionally(new ObjectTransferException(ObjectTransferException.Reason.ALREADY_EXISTS,
                "cannot pull object " + id + " into store " + target.path() + ": it is already there or being written", e));
            return;
        }
        final MemorySegment unconfined = MemorySegment.ofAddress(segment.address()).reinterpret(size);
        final PullOperation pull = new PullOperation(target, id, size, kind, unconfined, first.endpoint.counters);
        pull.future.whenComplete((pulled, t) ->
        {
            if (t != null)
            {
                result.completeExceptionally(t);
            }
            else
            {
                result.complete(pulled);
            }
        });
        result.whenComplete((pulled, t) ->
        {
            if (result.isCancelled())
            {
                pull.fail(ObjectTransferException.Reason.CANCELLED, "the caller cancelled it", null);
            }
        });
        if (size == 0)
        {
            pull.expectRanges(1);
            pull.rangeDone();
            return;
        }
        final TransportContext ctx = first.endpoint.ctx;
        final int ranges = (int)Math.max(1, Math.min(holders.size(), size / ctx.splitMinBytes()));
        final long window = ctx.windowBytes();
        final long creditBatch = Math.max(4096, window / 4);
        pull.expectRanges(ranges);
        final ReceiveStream[] streams = new ReceiveStream[ranges];
        for (int i = 0; i < ranges; i++)
        {
            final ChannelConnection holder = (ChannelConnection)holders.get(i);
            final long from = size / ranges * i;
            final long to = i == ranges - 1 ? size : size / ranges * (i + 1);
            streams[i] = new ReceiveStream(pull, holder, holder.nextStreamId(), from, to, creditBatch);
            pull.streams.add(streams[i]);
        }
        for (final ReceiveStream stream : streams)
        {
            final ChannelConnection holder = stream.connection;
            holder.receiveStreams.put(stream.streamId, stream);
            if (!holder.isOpen())
            {
                holder.receiveStreams.remove(stream.streamId);
                pull.fail(ObjectTransferException.Reason.PEER_CLOSED, "connection to holder node " + holder.peerNodeId() +
                    " is closed", null);
                break;
            }
            final MemorySegment request = MemorySegment.ofArray(new byte[TransferLayout.PULL_LENGTH]);
            request.set(ObjectServing.LE_LONG, TransferLayout.PULL_ID_HI_OFFSET, id.hi());
            request.set(ObjectServing.LE_LONG, TransferLayout.PULL_ID_LO_OFFSET, id.lo());
            request.set(ObjectServing.LE_LONG, TransferLayout.PULL_RANGE_OFFSET_OFFSET, stream.start);
            request.set(ObjectServing.LE_LONG, TransferLayout.PULL_RANGE_LENGTH_OFFSET, stream.end - stream.start);
            request.set(ObjectServing.LE_LONG, TransferLayout.PULL_CREDIT_OFFSET, window);
            holder.write(FrameLayout.TYPE_PULL, 0, stream.streamId, request);
        }
    }
}
