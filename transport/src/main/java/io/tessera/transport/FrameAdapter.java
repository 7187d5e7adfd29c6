package io.tessera.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.tessera.memory.ObjectId;
import io.tessera.transport.internal.FrameLayout;
import io.tessera.transport.internal.HandshakeLayout;
import io.tessera.transport.internal.HandshakeProof;
import io.tessera.transport.internal.TransferLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.tessera.transport.internal.FrameLayout.HEADER_LENGTH;

/**
 * Decodes and dispatches the frames of one channel: runs the handshake, then hands engine messages to
 * the {@link MessageHandler}, replies to their requests, and object transfer frames to
 * {@link ObjectServing} (holder side) or the pull in progress (puller side). CHUNK bodies are not
 * accumulated: their bytes are copied from each socket read straight into the receiving store's
 * segment. Anything that breaks the protocol is counted and closes the connection.
 */
final class FrameAdapter extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(FrameAdapter.class);
    private enum State
    {
        AWAIT_HELLO, AWAIT_AUTH, AWAIT_CHALLENGE, AWAIT_WELCOME, OPEN, CLOSING
    }

    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);
    /** Smallest rest of a chunk worth a direct read into the store. */
    private static final int MIN_DIRECT_READ = 16 << 10;
    /** Largest direct read. */
    private static final int MAX_DIRECT_READ = 4 << 20;

    private final Endpoint endpoint;
    private final boolean serverSide;
    private final CompletableFuture<Connection> connected;
    private final boolean ownsEndpoint;
    private State state;
    private byte[] localNonce;
    private byte[] peerNonce;
    private String peerNodeId;
    private ChannelConnection connection;
    private ScheduledFuture<?> handshakeTimer;
    private ScheduledFuture<?> expiryTimer;
    private ByteBuf cumulation;
    private Throwable closeCause;
    private boolean flushNeeded;
    /** True while this server-side channel counts against {@link TransportContext#maxPendingHandshakes()}. */
    private boolean pendingHandshake;

    private final boolean directReads;
    private ByteBuf directBuffer;
    private PullOperation directOperation;

    private ReceiveStream chunkStream;
    private long chunkOffset;
    private long chunkRemaining;

    FrameAdapter(final Endpoint endpoint, final boolean serverSide, final CompletableFuture<Connection> connected,
        final boolean ownsEndpoint)
    {
        this.endpoint = endpoint;
        this.serverSide = serverSide;
        this.connected = connected;
        this.ownsEndpoint = ownsEndpoint;
        this.state = serverSide ? State.AWAIT_HELLO : State.AWAIT_CHALLENGE;
        // under TLS the socket carries ciphertext: chunks are copied from the decrypted buffers instead
        this.directReads = endpoint.kind != TransportKind.IO_URING && endpoint.ctx.directReads() && endpoint.tls == null;
    }

    /**
     * @return true when this channel's reads may land straight in a store segment (see
     * {@link ChunkReadAllocator}).
     */
    boolean directReads()
    {
        return directReads;
    }

    /**
     * Called by the channel's receive allocator before a socket read (event loop).
     *
     * @return a buffer over the rest of the current CHUNK body inside the receiving store's segment,
     * or null when the next bytes are not (only) chunk bytes of a live pull.
     */
    ByteBuf directReadBuffer()
    {
        final ReceiveStream stream = chunkStream;
        if (!directReads || directBuffer != null || cumulation != null || stream == null ||
            chunkRemaining < MIN_DIRECT_READ || state != State.OPEN || !stream.operation.enterWriter())
        {
            return null;
        }
        final int n = (int)Math.min(chunkRemaining, MAX_DIRECT_READ);
        directOperation = stream.operation;
        directBuffer = Unpooled.wrappedBuffer(stream.operation.segment.asSlice(chunkOffset, n).asByteBuffer()).clear();
        return directBuffer;
    }

    private void releaseDirectRead()
    {
        if (directBuffer != null)
        {
            if (directBuffer.refCnt() > 0)
            {
                directBuffer.release();
            }
            directBuffer = null;
            directOperation.exitWriter();
            directOperation = null;
        }
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        if (serverSide)
        {
            if (endpoint.pendingHandshakes.incrementAndGet() > endpoint.ctx.maxPendingHandshakes())
            {
                endpoint.pendingHandshakes.decrementAndGet();
                state = State.CLOSING;
                endpoint.counters.rejectedHandshake();
                LOG.warn("node {} refused peer {}: {} handshakes are in progress already (TransportContext.maxPendingHandshakes)",
                    endpoint.nodeId, ctx.channel().remoteAddress(), endpoint.ctx.maxPendingHandshakes());
                ctx.close();
                return;
            }
            pendingHandshake = true;
        }
        handshakeTimer = ctx.executor().schedule(() ->
        {
            if (state != State.OPEN && state != State.CLOSING)
            {
                refuse(ctx, "handshake not completed within " + endpoint.ctx.handshakeTimeoutMs() + " ms", true);
            }
        }, endpoint.ctx.handshakeTimeoutMs(), TimeUnit.MILLISECONDS);
        if (!serverSide)
        {
            localNonce = HandshakeProof.nonce();
            final byte[] id = endpoint.nodeId.getBytes(StandardCharsets.UTF_8);
            final ByteBuf buf = header(ctx, FrameLayout.TYPE_HELLO, HandshakeLayout.HELLO_NODE_ID_OFFSET + id.length);
            buf.writeIntLE(HandshakeLayout.MAGIC);
            buf.writeShortLE(HandshakeLayout.PROTOCOL_VERSION);
            buf.writeShortLE(0);
            buf.writeBytes(localNonce);
            buf.writeShortLE(id.length);
            buf.writeBytes(id);
            writeFrame(ctx, buf, true);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf in = (ByteBuf)msg;
        endpoint.counters.bytesIn(in.readableBytes());
        if (in == directBuffer)
        {
            final int n = in.readableBytes();
            endpoint.counters.directRead(n);
            releaseDirectRead();
            if (state != State.CLOSING)
            {
                advanceChunk(ctx, n);
            }
            return;
        }
        if (state == State.CLOSING)
        {
            in.release();
            return;
        }
        cumulation = cumulate(ctx, cumulation, in);
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
            if (cumulation != null)
            {
                if (!cumulation.isReadable() || state == State.CLOSING)
                {
                    cumulation.release();
                    cumulation = null;
                }
                else
                {
                    cumulation.discardSomeReadBytes();
                }
            }
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        releaseDirectRead();
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

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (evt instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess())
        {
            final String why = String.valueOf(tls.cause());
            // a plain-text peer's bytes come back hex-dumped in NotSslRecordException's message: keep the start
            refuse(ctx, "TLS handshake failed: " + (why.length() > 200 ? why.substring(0, 200) + "..." : why), false);
        }
        ctx.fireUserEventTriggered(evt);
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
        handshakeDone();
        if (handshakeTimer != null)
        {
            handshakeTimer.cancel(false);
        }
        if (expiryTimer != null)
        {
            expiryTimer.cancel(false);
        }
        if (cumulation != null)
        {
            cumulation.release();
            cumulation = null;
        }
        releaseDirectRead();
        final State was = state;
        state = State.CLOSING;
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
        else if (connected != null && !connected.isDone())
        {
            connected.completeExceptionally(new HandshakeException("connection from node " + endpoint.nodeId + " to " +
                ctx.channel().remoteAddress() + " closed during the handshake (state " + was + ")" +
                (closeCause == null ? "" : ": " + closeCause.getMessage()), closeCause));
        }
        if (ownsEndpoint)
        {
            endpoint.group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        ctx.fireChannelInactive();
    }

    private void decode(final ChannelHandlerContext ctx, final ByteBuf buf)
    {
        while (state != State.CLOSING)
        {
            if (chunkRemaining > 0)
            {
                final int n = (int)Math.min(buf.readableBytes(), chunkRemaining);
                if (n == 0)
                {
                    return;
                }
                consumeChunkBytes(ctx, buf, n);
                continue;
            }
            if (buf.readableBytes() < HEADER_LENGTH)
            {
                return;
            }
            final int at = buf.readerIndex();
            final int length = FrameLayout.frameLength(buf, at);
            final int limit = state == State.OPEN ? endpoint.ctx.maxFrameBytes() : HandshakeLayout.MAX_HANDSHAKE_FRAME_LENGTH;
            if (length < HEADER_LENGTH || length > limit)
            {
                malformed(ctx, "frame length " + length + " outside [" + HEADER_LENGTH + ", " + limit + "]");
                return;
            }
            final int type = FrameLayout.type(buf, at);
            final int flags = FrameLayout.flags(buf, at);
            if (FrameLayout.reserved(buf, at) != 0 || (flags & ~FrameLayout.KNOWN_FLAGS) != 0)
            {
                malformed(ctx, "frame of type " + FrameLayout.typeName(type) + " has reserved bits set (flags 0x" +
                    Integer.toHexString(flags) + ", reserved " + FrameLayout.reserved(buf, at) + ")");
                return;
            }
            final long correlationId = FrameLayout.correlationId(buf, at);
            if (type == FrameLayout.TYPE_CHUNK && state == State.OPEN)
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
                startChunk(ctx, correlationId, buf.getLongLE(at + HEADER_LENGTH + TransferLayout.CHUNK_OFFSET_OFFSET),
                    length - HEADER_LENGTH - TransferLayout.CHUNK_HEADER_LENGTH);
                buf.skipBytes(HEADER_LENGTH + TransferLayout.CHUNK_HEADER_LENGTH);
                continue;
            }
            if (buf.readableBytes() < length)
            {
                return;
            }
            endpoint.counters.frameIn();
            dispatch(ctx, type, flags, correlationId, buf, at + HEADER_LENGTH, length - HEADER_LENGTH);
            buf.readerIndex(at + length);
        }
    }

    private void startChunk(final ChannelHandlerContext ctx, final long streamId, final long offset, final int length)
    {
        endpoint.counters.frameIn();
        final ReceiveStream stream = connection.receiveStreams.get(streamId);
        if (stream != null && (offset != stream.next || offset + length > stream.end))
        {
            malformed(ctx, "CHUNK of stream " + streamId + " at offset " + offset + " (+" + length +
                " bytes) does not continue range [" + stream.start + ", " + stream.end + ") at " + stream.next);
            return;
        }
        chunkStream = stream;
        chunkOffset = offset;
        chunkRemaining = length;
        if (length == 0)
        {
            chunkStream = null;
        }
    }

    private void consumeChunkBytes(final ChannelHandlerContext ctx, final ByteBuf buf, final int n)
    {
        if (chunkStream != null)
        {
            chunkStream.operation.write(chunkOffset, buf, buf.readerIndex(), n);
        }
        buf.skipBytes(n);
        advanceChunk(ctx, n);
    }

    /**
     * Accounts {@code n} chunk bytes that are now in the store segment: advances the stream, grants
     * credit, completes the range.
     */
    private void advanceChunk(final ChannelHandlerContext ctx, final int n)
    {
        final ReceiveStream stream = chunkStream;
        if (stream != null)
        {
            stream.next += n;
            stream.unacknowledged += n;
            if (stream.next == stream.end)
            {
                connection.receiveStreams.remove(stream.streamId);
                stream.operation.rangeDone();
            }
            else if (stream.unacknowledged >= stream.creditBatch)
            {
                final ByteBuf credit = header(ctx, FrameLayout.TYPE_CREDIT, TransferLayout.CREDIT_LENGTH, stream.streamId);
                credit.writeLongLE(stream.unacknowledged);
                stream.unacknowledged = 0;
                writeFrame(ctx, credit, false);
                flushNeeded = true;
            }
        }
        chunkOffset += n;
        chunkRemaining -= n;
        if (chunkRemaining == 0)
        {
            chunkStream = null;
        }
    }

    private void dispatch(final ChannelHandlerContext ctx, final int type, final int flags, final long correlationId,
        final ByteBuf buf, final int offset, final int length)
    {
        switch (state)
        {
            case OPEN -> dispatchOpen(ctx, type, flags, correlationId, buf, offset, length);
            case AWAIT_HELLO -> onHello(ctx, type, buf, offset, length);
            case AWAIT_AUTH -> onAuth(ctx, type, buf, offset, length);
            case AWAIT_CHALLENGE -> onChallenge(ctx, type, buf, offset, length);
            case AWAIT_WELCOME -> onWelcome(ctx, type, buf, offset, length);
            case CLOSING ->
            {
            }
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
            LOG.warn("MessageHandler failed on message type {} from node {}", type,
                connection.peerNodeId(), e);
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

    private void onHello(final ChannelHandlerContext ctx, final int type, final ByteBuf buf, final int offset, final int length)
    {
        if (type != FrameLayout.TYPE_HELLO || length < HandshakeLayout.HELLO_NODE_ID_OFFSET)
        {
            refuse(ctx, "expected HELLO, got " + FrameLayout.typeName(type) + " with " + length + " payload bytes", true);
            return;
        }
        final int magic = buf.getIntLE(offset + HandshakeLayout.HELLO_MAGIC_OFFSET);
        if (magic != HandshakeLayout.MAGIC)
        {
            refuse(ctx, "not a Tessera peer: magic 0x" + Integer.toHexString(magic) + ", expected 0x" +
                Integer.toHexString(HandshakeLayout.MAGIC), true);
            return;
        }
        final int version = buf.getUnsignedShortLE(offset + HandshakeLayout.HELLO_VERSION_OFFSET);
        if (version != HandshakeLayout.PROTOCOL_VERSION)
        {
            refuse(ctx, "protocol version " + version + " is not supported; this node speaks version " +
                HandshakeLayout.PROTOCOL_VERSION, true);
            return;
        }
        final String nodeId = readNodeId(buf, offset + HandshakeLayout.HELLO_NODE_ID_LENGTH_OFFSET, offset + length);
        if (nodeId == null)
        {
            refuse(ctx, "HELLO carries an invalid node id", true);
            return;
        }
        peerNodeId = nodeId;
        peerNonce = new byte[HandshakeLayout.NONCE_LENGTH];
        buf.getBytes(offset + HandshakeLayout.HELLO_NONCE_OFFSET, peerNonce);
        localNonce = HandshakeProof.nonce();
        final byte[] proof = HandshakeProof.proof(endpoint.token, HandshakeLayout.SERVER_PROOF_DOMAIN, peerNonce, localNonce);
        final byte[] id = endpoint.nodeId.getBytes(StandardCharsets.UTF_8);
        final ByteBuf out = header(ctx, FrameLayout.TYPE_CHALLENGE, HandshakeLayout.CHALLENGE_NODE_ID_OFFSET + id.length);
        out.writeShortLE(HandshakeLayout.PROTOCOL_VERSION);
        out.writeShortLE(0);
        out.writeBytes(localNonce);
        out.writeBytes(proof);
        out.writeShortLE(id.length);
        out.writeBytes(id);
        writeFrame(ctx, out, true);
        state = State.AWAIT_AUTH;
    }

    private void onAuth(final ChannelHandlerContext ctx, final int type, final ByteBuf buf, final int offset, final int length)
    {
        if (type == FrameLayout.TYPE_REJECT)
        {
            refuse(ctx, "peer node '" + peerNodeId + "' refused this node's proof: " +
                buf.toString(offset, Math.min(length, 512), StandardCharsets.UTF_8) + " (cluster tokens differ)", false);
            return;
        }
        if (type != FrameLayout.TYPE_AUTH || length != HandshakeLayout.AUTH_LENGTH)
        {
            refuse(ctx, "expected AUTH, got " + FrameLayout.typeName(type) + " with " + length + " payload bytes", true);
            return;
        }
        final byte[] proof = new byte[HandshakeLayout.PROOF_LENGTH];
        buf.getBytes(offset + HandshakeLayout.AUTH_PROOF_OFFSET, proof);
        final byte[] expected = HandshakeProof.proof(endpoint.token, HandshakeLayout.CLIENT_PROOF_DOMAIN, localNonce, peerNonce);
        if (!HandshakeProof.matches(expected, proof))
        {
            refuse(ctx, "authentication failed: node '" + peerNodeId + "' does not know the cluster token", true);
            return;
        }
        writeFrame(ctx, header(ctx, FrameLayout.TYPE_WELCOME, 0), true);
        open(ctx);
    }

    private void onChallenge(final ChannelHandlerContext ctx, final int type, final ByteBuf buf, final int offset, final int length)
    {
        if (type == FrameLayout.TYPE_REJECT)
        {
            refusedByPeer(ctx, buf, offset, length);
            return;
        }
        if (type != FrameLayout.TYPE_CHALLENGE || length < HandshakeLayout.CHALLENGE_NODE_ID_OFFSET)
        {
            refuse(ctx, "expected CHALLENGE, got " + FrameLayout.typeName(type) + " with " + length + " payload bytes", true);
            return;
        }
        final int version = buf.getUnsignedShortLE(offset + HandshakeLayout.CHALLENGE_VERSION_OFFSET);
        if (version != HandshakeLayout.PROTOCOL_VERSION)
        {
            refuse(ctx, "server speaks protocol version " + version + ", this node speaks " + HandshakeLayout.PROTOCOL_VERSION, true);
            return;
        }
        peerNonce = new byte[HandshakeLayout.NONCE_LENGTH];
        buf.getBytes(offset + HandshakeLayout.CHALLENGE_NONCE_OFFSET, peerNonce);
        final byte[] proof = new byte[HandshakeLayout.PROOF_LENGTH];
        buf.getBytes(offset + HandshakeLayout.CHALLENGE_PROOF_OFFSET, proof);
        final byte[] expected = HandshakeProof.proof(endpoint.token, HandshakeLayout.SERVER_PROOF_DOMAIN, localNonce, peerNonce);
        if (!HandshakeProof.matches(expected, proof))
        {
            refuse(ctx, "authentication failed: server at " + ctx.channel().remoteAddress() +
                " does not know the cluster token", true);
            return;
        }
        final String nodeId = readNodeId(buf, offset + HandshakeLayout.CHALLENGE_NODE_ID_LENGTH_OFFSET, offset + length);
        if (nodeId == null)
        {
            refuse(ctx, "CHALLENGE carries an invalid node id", true);
            return;
        }
        peerNodeId = nodeId;
        final ByteBuf out = header(ctx, FrameLayout.TYPE_AUTH, HandshakeLayout.AUTH_LENGTH);
        out.writeBytes(HandshakeProof.proof(endpoint.token, HandshakeLayout.CLIENT_PROOF_DOMAIN, peerNonce, localNonce));
        writeFrame(ctx, out, true);
        state = State.AWAIT_WELCOME;
    }

    private void onWelcome(final ChannelHandlerContext ctx, final int type, final ByteBuf buf, final int offset, final int length)
    {
        if (type == FrameLayout.TYPE_REJECT)
        {
            refusedByPeer(ctx, buf, offset, length);
            return;
        }
        if (type != FrameLayout.TYPE_WELCOME || length != 0)
        {
            refuse(ctx, "expected WELCOME, got " + FrameLayout.typeName(type) + " with " + length + " payload bytes", true);
            return;
        }
        open(ctx);
    }

    private void open(final ChannelHandlerContext ctx)
    {
        state = State.OPEN;
        handshakeDone();
        if (handshakeTimer != null)
        {
            handshakeTimer.cancel(false);
        }
        localNonce = null;
        peerNonce = null;
        connection = new ChannelConnection(endpoint, ctx.channel(), peerNodeId, ownsEndpoint);
        endpoint.connections.add(connection);
        final long period = connection.expiryPeriodMs();
        expiryTimer = ctx.executor().scheduleAtFixedRate(connection::expireRequests, period, period, TimeUnit.MILLISECONDS);
        LOG.debug("node {} connected to node {} at {} over {}", endpoint.nodeId, peerNodeId,
            ctx.channel().remoteAddress(), endpoint.kind);
        try
        {
            endpoint.handler.onOpen(connection);
        }
        catch (final RuntimeException e)
        {
            LOG.warn("MessageHandler.onOpen failed for {}", connection, e);
        }
        if (connected != null)
        {
            connected.complete(connection);
        }
    }

    private void handshakeDone()
    {
        if (pendingHandshake)
        {
            pendingHandshake = false;
            endpoint.pendingHandshakes.decrementAndGet();
        }
    }

    private void refusedByPeer(final ChannelHandlerContext ctx, final ByteBuf buf, final int offset, final int length)
    {
        final String reason = buf.toString(offset, Math.min(length, 512), StandardCharsets.UTF_8);
        final HandshakeException e = new HandshakeException("node at " + ctx.channel().remoteAddress() +
            " refused node " + endpoint.nodeId + ": " + reason);
        closeCause = e;
        state = State.CLOSING;
        if (connected != null)
        {
            connected.completeExceptionally(e);
        }
        ctx.close();
    }

    /**
     * Refuses the peer during the handshake: counts, logs, tells it why (server side) and closes.
     */
    private void refuse(final ChannelHandlerContext ctx, final String reason, final boolean tellPeer)
    {
        if (state == State.CLOSING)
        {
            return;
        }
        state = State.CLOSING;
        endpoint.counters.rejectedHandshake();
        LOG.warn("node {} refused peer {}: {}", endpoint.nodeId, ctx.channel().remoteAddress(), reason);
        final HandshakeException e = new HandshakeException("node " + endpoint.nodeId + " refused peer " +
            ctx.channel().remoteAddress() + ": " + reason);
        closeCause = e;
        if (connected != null)
        {
            connected.completeExceptionally(e);
        }
        if (tellPeer && ctx.channel().isActive())
        {
            final byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
            final int n = Math.min(bytes.length, HandshakeLayout.MAX_HANDSHAKE_FRAME_LENGTH - HEADER_LENGTH);
            final ByteBuf out = header(ctx, FrameLayout.TYPE_REJECT, n);
            out.writeBytes(bytes, 0, n);
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            endpoint.counters.frameOut(HEADER_LENGTH + n);
        }
        else
        {
            ctx.close();
        }
    }

    private void malformed(final ChannelHandlerContext ctx, final String reason)
    {
        if (state == State.CLOSING)
        {
            return;
        }
        final boolean handshaking = state != State.OPEN;
        if (handshaking)
        {
            refuse(ctx, reason, true);
        }
        else
        {
            state = State.CLOSING;
        }
        endpoint.counters.malformedFrame();
        LOG.warn("node {} closes connection from {} (node {}): malformed frame: {}", endpoint.nodeId,
            ctx.channel().remoteAddress(), peerNodeId, reason);
        if (closeCause == null)
        {
            closeCause = new TransportException("malformed frame from " + ctx.channel().remoteAddress() + ": " + reason);
        }
        ctx.close();
    }

    /**
     * Appends a read to the bytes left over from earlier reads, copying only when they do not fit.
     */
    private static ByteBuf cumulate(final ChannelHandlerContext ctx, final ByteBuf cumulation, final ByteBuf in)
    {
        if (cumulation == null)
        {
            return in;
        }
        try
        {
            ByteBuf target = cumulation;
            final int needed = in.readableBytes();
            if (target.refCnt() > 1 || target.isReadOnly() || target.maxWritableBytes() < needed ||
                target.writableBytes() < needed && target.readerIndex() > 0)
            {
                target = ctx.alloc().directBuffer(cumulation.readableBytes() + needed);
                target.writeBytes(cumulation);
                cumulation.release();
            }
            target.writeBytes(in);
            return target;
        }
        finally
        {
            in.release();
        }
    }

    private static String readNodeId(final ByteBuf buf, final int lengthAt, final int end)
    {
        final int n = buf.getUnsignedShortLE(lengthAt);
        if (n == 0 || n > HandshakeLayout.MAX_NODE_ID_LENGTH || lengthAt + 2 + n != end)
        {
            return null;
        }
        return buf.toString(lengthAt + 2, n, StandardCharsets.UTF_8);
    }

    private static ByteBuf header(final ChannelHandlerContext ctx, final int type, final int payloadLength)
    {
        return header(ctx, type, payloadLength, 0);
    }

    private static ByteBuf header(final ChannelHandlerContext ctx, final int type, final int payloadLength,
        final long correlationId)
    {
        final ByteBuf buf = ctx.alloc().directBuffer(HEADER_LENGTH + payloadLength);
        FrameLayout.writeHeader(buf, HEADER_LENGTH + payloadLength, type, 0, correlationId);
        return buf;
    }

    private void writeFrame(final ChannelHandlerContext ctx, final ByteBuf frame, final boolean flush)
    {
        endpoint.counters.frameOut(frame.readableBytes());
        if (flush)
        {
            ctx.writeAndFlush(frame, ctx.voidPromise());
        }
        else
        {
            ctx.write(frame, ctx.voidPromise());
        }
    }
}
