package io.tessera.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.ObjectView;
import io.tessera.transport.internal.FrameLayout;
import io.tessera.transport.internal.TransferLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

import static io.tessera.transport.internal.FrameLayout.HEADER_LENGTH;

/**
 * Holder side of object transfer: answers OBJECT_INFO, opens a stream per PULL with the object
 * pinned, and sends CHUNK frames whose bodies are the pinned store segment itself (wrapped, not
 * copied) while the puller's credit and the channel's writability allow. The pin is released when
 * the last chunk has been written to the socket, or when the stream is cancelled or its connection
 * closes. Event loop only.
 */
final class ObjectServing
{
    private static final Logger LOG = LoggerFactory.getLogger(ObjectServing.class);
    static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Endpoint endpoint;

    ObjectServing(final Endpoint endpoint)
    {
        this.endpoint = endpoint;
    }

    void onInfo(final ChannelConnection connection, final long correlationId, final ObjectId id)
    {
        final ObjectStore store = endpoint.ctx.store();
        long size = -1;
        int kind = 0;
        if (store != null)
        {
            final ObjectView view;
            try
            {
                view = store.get(id, 0);
            }
            catch (final RuntimeException e)
            {
                connection.replyError(correlationId, "node " + endpoint.nodeId + " cannot read object " + id + ": " + e);
                return;
            }
            if (view != null)
            {
                size = view.size();
                kind = view.kind();
                store.release(id);
            }
        }
        final MemorySegment reply = MemorySegment.ofArray(new byte[TransferLayout.INFO_REPLY_LENGTH]);
        reply.set(LE_LONG,
            TransferLayout.INFO_REPLY_SIZE_OFFSET, size);
        reply.set(LE_INT,
            TransferLayout.INFO_REPLY_KIND_OFFSET, kind);
        connection.write(FrameLayout.TYPE_OBJECT_INFO, FrameLayout.FLAG_REPLY, correlationId, reply);
    }

    void onPull(final ChannelConnection connection, final long streamId, final ObjectId id, final long offset,
        final long length, final long credit)
    {
        final ObjectStore store = endpoint.ctx.store();
        if (store == null)
        {
            pullError(connection, streamId, TransferLayout.REASON_UNKNOWN_OBJECT,
                "object " + id + " is not held by node " + endpoint.nodeId + " (it serves no object store)");
            return;
        }
        if (connection.sendStreams.containsKey(streamId))
        {
            pullError(connection, streamId, TransferLayout.REASON_BAD_REQUEST, "stream " + streamId + " is already open");
            return;
        }
        final ObjectView view;
        try
        {
            view = store.get(id, 0);
        }
        catch (final RuntimeException e)
        {
            pullError(connection, streamId, TransferLayout.REASON_INTERNAL,
                "node " + endpoint.nodeId + " cannot read object " + id + ": " + e);
            return;
        }
        if (view == null)
        {
            pullError(connection, streamId, TransferLayout.REASON_UNKNOWN_OBJECT,
                "object " + id + " is not held by node " + endpoint.nodeId);
            return;
        }
        if (offset < 0 || length <= 0 || offset > view.size() - length || credit <= 0)
        {
            store.release(id);
            pullError(connection, streamId, TransferLayout.REASON_BAD_REQUEST, "invalid PULL of object " + id + " (" +
                view.size() + " bytes): range offset " + offset + ", length " + length + ", credit " + credit);
            return;
        }
        final SendStream stream = new SendStream(streamId, id, view.segment(), offset, offset + length, credit);
        connection.sendStreams.put(streamId, stream);
        pump(connection, stream);
    }

    void onCredit(final ChannelConnection connection, final long streamId, final long bytes)
    {
        final SendStream stream = connection.sendStreams.get(streamId);
        if (stream != null && bytes > 0)
        {
            stream.credit += bytes;
            pump(connection, stream);
        }
    }

    void onCancel(final ChannelConnection connection, final long streamId)
    {
        final SendStream stream = connection.sendStreams.remove(streamId);
        if (stream != null)
        {
            release(stream);
        }
    }

    void pumpAll(final ChannelConnection connection)
    {
        if (connection.sendStreams.isEmpty())
        {
            return;
        }
        for (final SendStream stream : new ArrayList<>(connection.sendStreams.values()))
        {
            pump(connection, stream);
        }
    }

    void releaseAll(final ChannelConnection connection)
    {
        for (final SendStream stream : connection.sendStreams.values())
        {
            release(stream);
        }
        connection.sendStreams.clear();
    }

    private void pump(final ChannelConnection connection, final SendStream stream)
    {
        final Channel ch = connection.channel;
        final int chunk = endpoint.ctx.chunkBytes();
        boolean wrote = false;
        while (stream.next < stream.end && stream.credit > 0 && ch.isWritable())
        {
            final int n = (int)Math.min(chunk, Math.min(stream.end - stream.next, stream.credit));
            final int frameLength = HEADER_LENGTH + TransferLayout.CHUNK_HEADER_LENGTH + n;
            final ByteBuf header = ch.alloc().directBuffer(HEADER_LENGTH + TransferLayout.CHUNK_HEADER_LENGTH);
            FrameLayout.writeHeader(header, frameLength, FrameLayout.TYPE_CHUNK, 0, stream.streamId);
            header.writeLongLE(stream.next);
            final ByteBuf body = Unpooled.wrappedBuffer(stream.segment.asSlice(stream.next, n).asByteBuffer());
            stream.next += n;
            stream.credit -= n;
            ch.write(header, ch.voidPromise());
            if (stream.next == stream.end)
            {
                connection.sendStreams.remove(stream.streamId);
                ch.write(body).addListener((ChannelFutureListener)f ->
                {
                    release(stream);
                    if (f.isSuccess())
                    {
                        endpoint.counters.objectServed();
                    }
                });
            }
            else
            {
                ch.write(body, ch.voidPromise());
            }
            endpoint.counters.frameOut(frameLength);
            wrote = true;
        }
        if (wrote)
        {
            ch.flush();
        }
    }

    private void release(final SendStream stream)
    {
        if (stream.released)
        {
            return;
        }
        stream.released = true;
        try
        {
            endpoint.ctx.store().release(stream.id);
        }
        catch (final RuntimeException e)
        {
            LOG.warn("node {} could not release its pin on object {} after serving it",
                endpoint.nodeId, stream.id, e);
        }
    }

    private void pullError(final ChannelConnection connection, final long streamId, final int reason, final String message)
    {
        final byte[] text = message.getBytes(StandardCharsets.UTF_8);
        final MemorySegment payload = MemorySegment.ofArray(new byte[TransferLayout.PULL_ERROR_MESSAGE_OFFSET + text.length]);
        payload.set(LE_INT,
            TransferLayout.PULL_ERROR_REASON_OFFSET, reason);
        MemorySegment.copy(text, 0, payload, ValueLayout.JAVA_BYTE, TransferLayout.PULL_ERROR_MESSAGE_OFFSET, text.length);
        connection.write(FrameLayout.TYPE_PULL_ERROR, 0, streamId, payload);
    }
}
