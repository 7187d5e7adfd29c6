package io.tessera.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.tessera.memory.ObjectId;
import io.tessera.transport.internal.FrameLayout;
import io.tessera.transport.internal.TransferLayout;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static io.tessera.transport.internal.FrameLayout.HEADER_LENGTH;

/**
 * Decodes and dispatches the frames of one open channel, after the {@link HandshakeHandler} removed
 * itself: hands engine messages to the {@link MessageHandler}, replies to their requests, object
 * transfer frames to {@link ObjectServing} (holder side), and CHUNK bodies to the {@link ChunkReceiver}
 * (puller side), which copies them into the store without accumulating them. Anything that breaks the
 * protocol is counted and closes the connection.
 */
final class FrameAdapter extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(FrameAdapter.class);

    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);

    private final Endpoint endpoint;
    private final boolean ownsEndpoint;
    private final ChunkReceiver chunks;
    private ChannelHandlerContext ctx;
    /** Null until the handshake opened the channel. */
    private ChannelConnection connection;
    private ScheduledFuture<?> expiryTimer;
    private ByteBuf cumulation;
    private Throwable closeCause;
    private boolean flushNeeded;
    private boolean closing;

    FrameAdapter(final Endpoint endpoint, final boolean ownsEndpoint)
    {
        this.endpoint = endpoint;
        this.ownsEndpoint = ownsEndpoint;
        this.chunks = new ChunkReceiver(endpoint);
    }

    /**
     * @return true when this channel's reads may land straight in a store segment (see
     * {@link ChunkReadAllocator}).
     */
    boolean directReads()
    {
        return chunks.directReads();
    }

    /**
     * Called by the channel's receive allocator before a socket read (event loop).
     *
     * @return a buffer over the rest of the current CHUNK body inside the receiving store's segment,
     * or null when the next bytes are not (only) chunk bytes of a live pull.
     */
    ByteBuf directReadBuffer()
    {
        return connection == null || closing || cumulation != null ? null : chunks.directReadBuffer();
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    /**
     * Called by the {@link HandshakeHandler} once the handshake succeeded (event loop): frames from now on
     * belong to {@code connection}.
     */
    void open(final ChannelConnection connection)
    {
        this.connection = connection;
        chunks.open(connection);
        final long period = connection.expiryPeriodMs();
        expiryTimer = ctx.executor().scheduleAtFixedRate(connection::expireRequests, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Called by the {@link HandshakeHandler} as it leaves the pipeline: the bytes that followed WELCOME in
     * its last read (already counted in).
     */
    void decodeAfterHandshake(final ByteBuf rest)
    {
        if (closing || !rest.isReadable())
        {
            rest.release();
            return;
        }
        cumulation = rest;
        decodeCumulation(ctx);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf in = (ByteBuf)msg;
        endpoint.counters.bytesIn(in.readableBytes());
        if (chunks.isDirectRead(in))
        {
            final int n = in.readableBytes();
            endpoint.counters.directRead(n);
            chunks.releaseDirectRead();
            if (!closing)
            {
                flushNeeded |= chunks.advance(ctx, n);
            }
            return;
        }
        if (closing)
        {
            in.release();
            return;
        }
        cumulation = Frames.cumulate(ctx, cumulation, in);
        decodeCumulation(ctx);
    }

    private void decodeCumulation(final ChannelHandlerContext ctx)
    {
        try
        {
            decode(ctx, cumulation);
        }
        catch (final RuntimeException e)
        {
            malformed(ctx, "frame handling failed: " + e);
        }
        finally
        {
            cumulation = Frames.trim(cumulation, closing);
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        chunks.releaseDirectRead();
        if (flushNeeded)
        {
            flushNeeded = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (connection != null && ctx.channel().isWritable())
        {
            endpoint.serving.pumpAll(connection);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * @return why the channel is closing (a malformed frame, an exception in the pipeline), or null.
     */
    Throwable closeCause()
    {
        return closeCause;
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (closeCause == null)
        {
            closeCause = cause;
        }
        LOG.debug("closing {} after {}", ctx.channel(), String.valueOf(cause));
        ctx.close();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (expiryTimer != null)
        {
            expiryTimer.cancel(false);
        }
        if (cumulation != null)
        {
            cumulation.release();
            cumulation = null;
        }
        chunks.releaseDirectRead();
        closing = true;
        if (connection != null)
        {
            endpoint.connections.remove(connection);
            connection.onClosed(closeCause);
            try
            {
                endpoint.handler.onClose(connection, closeCause);
            }
            catch (final RuntimeException e)
            {
                LOG.warn("MessageHandler.onClose failed for {}", connection, e);
            }
        }
        if (ownsEndpoint)
        {
            endpoint.group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        ctx.fireChannelInactive();
    }

    private void decode(final ChannelHandlerContext ctx, final ByteBuf buf)
    {
        while (!closing)
        {
            if (chunks.remaining() > 0)
            {
                final int n = (int)Math.min(buf.readableBytes(), chunks.remaining());
                if (n == 0)
                {
                    return;
                }
                flushNeeded |= chunks.consume(ctx, buf, n);
                continue;
            }
            if (buf.readableBytes() < HEADER_LENGTH)
            {
                return;
            }
            final int at = buf.readerIndex();
            final String problem = Frames.headerProblem(buf, at, endpoint.ctx.maxFrameBytes());
            if (problem != null)
            {
                malformed(ctx, problem);
                return;
            }
            final int length = FrameLayout.frameLength(buf, at);
            final int type = FrameLayout.type(buf, at);
            final long correlationId = FrameLayout.correlationId(buf, at);
            if (type == FrameLayout.TYPE_CHUNK)
            {
                if (length < HEADER_LENGTH + TransferLayout.CHUNK_HEADER_LENGTH)
                {
                    malformed(ctx, "CHUNK frame of " + length + " bytes is shorter than its header");
                    return;
                }
                if (buf.readableBytes() < HEADER_LENGTH + TransferLayout.CHUNK_HEADER_LENGTH)
                {
                    return;
                }
                final String broken = chunks.start(correlationId,
                    buf.getLongLE(at + HEADER_LENGTH + TransferLayout.CHUNK_OFFSET_OFFSET),
                    length - HEADER_LENGTH - TransferLayout.CHUNK_HEADER_LENGTH);
                if (broken != null)
                {
                    malformed(ctx, broken);
                    return;
                }
                buf.skipBytes(HEADER_LENGTH + TransferLayout.CHUNK_HEADER_LENGTH);
                continue;
            }
            if (buf.readableBytes() < length)
            {
                return;
            }
            endpoint.counters.frameIn();
            dispatchOpen(ctx, type, FrameLayout.flags(buf, at), correlationId, buf, at + HEADER_LENGTH, length - HEADER_LENGTH);
            buf.readerIndex(at + length);
        }
    }

    private void dispatchOpen(final ChannelHandlerContext ctx, final int type, final int flags, final long correlationId,
        final ByteBuf buf, final int offset, final int length)
    {
        if ((flags & FrameLayout.FLAG_REPLY) != 0)
        {
            connection.onReply(correlationId, flags, buf, offset, length);
            return;
        }
        if (flags != 0)
        {
            malformed(ctx, "frame of type " + FrameLayout.typeName(type) + " carries the error flag without the reply flag");
            return;
        }
        if (type >= FrameLayout.FIRST_USER_TYPE)
        {
            deliver(type, correlationId, buf, offset, length);
            return;
        }
        switch (type)
        {
            case FrameLayout.TYPE_OBJECT_INFO ->
            {
                if (expectLength(ctx, type, length, TransferLayout.INFO_REQUEST_LENGTH))
                {
                    endpoint.serving.onInfo(connection, correlationId, ObjectId.of(buf.getLongLE(offset), buf.getLongLE(offset + 8)));
                }
            }
            case FrameLayout.TYPE_PULL ->
            {
                if (expectLength(ctx, type, length, TransferLayout.PULL_LENGTH))
                {
                    endpoint.serving.onPull(connection, correlationId,
                        ObjectId.of(buf.getLongLE(offset + TransferLayout.PULL_ID_HI_OFFSET),
                            buf.getLongLE(offset + TransferLayout.PULL_ID_LO_OFFSET)),
                        buf.getLongLE(offset + TransferLayout.PULL_RANGE_OFFSET_OFFSET),
                        buf.getLongLE(offset + TransferLayout.PULL_RANGE_LENGTH_OFFSET),
                        buf.getLongLE(offset + TransferLayout.PULL_CREDIT_OFFSET));
                }
            }
            case FrameLayout.TYPE_CREDIT ->
            {
                if (expectLength(ctx, type, length, TransferLayout.CREDIT_LENGTH))
                {
                    endpoint.serving.onCredit(connection, correlationId, buf.getLongLE(offset + TransferLayout.CREDIT_BYTES_OFFSET));
                }
            }
            case FrameLayout.TYPE_CANCEL -> endpoint.serving.onCancel(connection, correlationId);
            case FrameLayout.TYPE_PULL_ERROR ->
            {
                if (length < TransferLayout.PULL_ERROR_MESSAGE_OFFSET)
                {
                    malformed(ctx, "PULL_ERROR frame with " + length + " payload bytes is too short");
                    return;
                }
                final int reason = buf.getIntLE(offset + TransferLayout.PULL_ERROR_REASON_OFFSET);
                final String message = buf.toString(offset + TransferLayout.PULL_ERROR_MESSAGE_OFFSET,
                    length - TransferLayout.PULL_ERROR_MESSAGE_OFFSET, StandardCharsets.UTF_8);
                final ReceiveStream stream = connection.receiveStreams.remove(correlationId);
                if (stream != null)
                {
                    stream.operation.fail(reason == TransferLayout.REASON_UNKNOWN_OBJECT ?
                        ObjectTransferException.Reason.UNKNOWN_OBJECT : ObjectTransferException.Reason.PROTOCOL, message, null);
                }
            }
            default -> malformed(ctx, "unexpected frame type " + FrameLayout.typeName(type) + " after the handshake");
        }
    }

    private void deliver(final int type, final long correlationId, final ByteBuf buf, final int offset, final int length)
    {
        final MemorySegment payload;
        if (length == 0)
        {
            payload = EMPTY;
        }
        else if (buf.nioBufferCount() == 1)
        {
            payload = MemorySegment.ofBuffer(buf.internalNioBuffer(offset, length)).asReadOnly();
        }
        else
        {
            final byte[] copy = new byte[length];
            buf.getBytes(offset, copy);
            payload = MemorySegment.ofArray(copy).asReadOnly();
        }
        try
        {
            endpoint.handler.onMessage(connection, type, correlationId, payload);
        }
        catch (final RuntimeException e)
        {
            LOG.warn("MessageHandler failed on message type {} from node {}", type, connection.peerNodeId(), e);
            if (correlationId != 0 && connection.isOpen())
            {
                connection.replyError(correlationId, "handler of message type " + type + " on node " +
                    endpoint.nodeId + " failed: " + e);
            }
        }
    }

    private boolean expectLength(final ChannelHandlerContext ctx, final int type, final int length, final int expected)
    {
        if (length != expected)
        {
            malformed(ctx, FrameLayout.typeName(type) + " frame with " + length + " payload bytes, expected " + expected);
            return false;
        }
        return true;
    }

    private void malformed(final ChannelHandlerContext ctx, final String reason)
    {
        if (closing)
        {
            return;
        }
        closing = true;
        endpoint.counters.malformedFrame();
        LOG.warn("node {} closes connection from {} (node {}): malformed frame: {}", endpoint.nodeId,
            ctx.channel().remoteAddress(), connection.peerNodeId(), reason);
        if (closeCause == null)
        {
            closeCause = new TransportException("malformed frame from " + ctx.channel().remoteAddress() + ": " + reason);
        }
        ctx.close();
    }
}
