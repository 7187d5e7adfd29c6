package io.tessera.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.tessera.transport.internal.FrameLayout;
import io.tessera.transport.internal.HandshakeLayout;
import io.tessera.transport.internal.HandshakeProof;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.tessera.transport.internal.FrameLayout.HEADER_LENGTH;

/**
 * Runs the handshake of one channel ({@link HandshakeLayout}): HELLO, CHALLENGE, AUTH, WELCOME, each
 * side proving it knows the cluster token, within {@link TransportContext#handshakeTimeoutMs()}. On
 * WELCOME it opens the {@link ChannelConnection}, removes itself from the pipeline and hands the bytes
 * that followed to the {@link FrameAdapter}; a peer that breaks the handshake is refused (counted,
 * logged, told why when it is our turn to speak) and the channel closed.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeHandler.class);

    private enum State
    {
        AWAIT_HELLO, AWAIT_AUTH, AWAIT_CHALLENGE, AWAIT_WELCOME, OPEN, CLOSING
    }

    private final Endpoint endpoint;
    private final boolean serverSide;
    private final CompletableFuture<Connection> connected;
    private final boolean ownsEndpoint;
    private final FrameAdapter frames;
    private State state;
    private byte[] localNonce;
    private byte[] peerNonce;
    private String peerNodeId;
    private ScheduledFuture<?> handshakeTimer;
    private ByteBuf cumulation;
    private Throwable closeCause;
    /** True while this server-side channel counts against {@link TransportContext#maxPendingHandshakes()}. */
    private boolean pendingHandshake;

    HandshakeHandler(final Endpoint endpoint, final boolean serverSide, final CompletableFuture<Connection> connected,
        final boolean ownsEndpoint, final FrameAdapter frames)
    {
        this.endpoint = endpoint;
        this.serverSide = serverSide;
        this.connected = connected;
        this.ownsEndpoint = ownsEndpoint;
        this.frames = frames;
        this.state = serverSide ? State.AWAIT_HELLO : State.AWAIT_CHALLENGE;
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
            final ByteBuf buf = Frames.header(ctx, FrameLayout.TYPE_HELLO, HandshakeLayout.HELLO_NODE_ID_OFFSET + id.length);
            buf.writeIntLE(HandshakeLayout.MAGIC);
            buf.writeShortLE(HandshakeLayout.PROTOCOL_VERSION);
            buf.writeShortLE(0);
            buf.writeBytes(localNonce);
            buf.writeShortLE(id.length);
            buf.writeBytes(id);
            Frames.write(endpoint.counters, ctx, buf, true);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf in = (ByteBuf)msg;
        endpoint.counters.bytesIn(in.readableBytes());
        if (state == State.CLOSING)
        {
            in.release();
            return;
        }
        cumulation = Frames.cumulate(ctx, cumulation, in);
        try
        {
            decode(ctx, cumulation);
        }
        catch (final RuntimeException e)
        {
            malformed(ctx, "frame handling failed: " + e);
        }
        if (state == State.OPEN)
        {
            final ByteBuf rest = cumulation;
            cumulation = null;
            ctx.pipeline().remove(this);
            frames.decodeAfterHandshake(rest);
            return;
        }
        cumulation = Frames.trim(cumulation, state == State.CLOSING);
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

    /** The channel closed before the handshake completed. */
    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        handshakeDone();
        if (cumulation != null)
        {
            cumulation.release();
            cumulation = null;
        }
        final State was = state;
        state = State.CLOSING;
        if (closeCause == null)
        {
            // an exception passes on to the frame adapter, which records it and closes the channel
            closeCause = frames.closeCause();
        }
        if (connected != null && !connected.isDone())
        {
            connected.completeExceptionally(new HandshakeException("connection from node " + endpoint.nodeId + " to " +
                ctx.channel().remoteAddress() + " closed during the handshake (state " + was + ")" +
                (closeCause == null ? "" : ": " + closeCause.getMessage()), closeCause));
        }
        ctx.fireChannelInactive();
    }

    private void decode(final ChannelHandlerContext ctx, final ByteBuf buf)
    {
        while (state != State.CLOSING && state != State.OPEN && buf.readableBytes() >= HEADER_LENGTH)
        {
            final int at = buf.readerIndex();
            final String problem = Frames.headerProblem(buf, at, HandshakeLayout.MAX_HANDSHAKE_FRAME_LENGTH);
            if (problem != null)
            {
                malformed(ctx, problem);
                return;
            }
            final int length = FrameLayout.frameLength(buf, at);
            if (buf.readableBytes() < length)
            {
                return;
            }
            endpoint.counters.frameIn();
            final int type = FrameLayout.type(buf, at);
            final int offset = at + HEADER_LENGTH;
            final int payload = length - HEADER_LENGTH;
            switch (state)
            {
                case AWAIT_HELLO -> onHello(ctx, type, buf, offset, payload);
                case AWAIT_AUTH -> onAuth(ctx, type, buf, offset, payload);
                case AWAIT_CHALLENGE -> onChallenge(ctx, type, buf, offset, payload);
                case AWAIT_WELCOME -> onWelcome(ctx, type, buf, offset, payload);
                default ->
                {
                }
            }
            buf.readerIndex(at + length);
        }
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
        final ByteBuf out = Frames.header(ctx, FrameLayout.TYPE_CHALLENGE, HandshakeLayout.CHALLENGE_NODE_ID_OFFSET + id.length);
        out.writeShortLE(HandshakeLayout.PROTOCOL_VERSION);
        out.writeShortLE(0);
        out.writeBytes(localNonce);
        out.writeBytes(proof);
        out.writeShortLE(id.length);
        out.writeBytes(id);
        Frames.write(endpoint.counters, ctx, out, true);
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
        Frames.write(endpoint.counters, ctx, Frames.header(ctx, FrameLayout.TYPE_WELCOME, 0), true);
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
        final ByteBuf out = Frames.header(ctx, FrameLayout.TYPE_AUTH, HandshakeLayout.AUTH_LENGTH);
        out.writeBytes(HandshakeProof.proof(endpoint.token, HandshakeLayout.CLIENT_PROOF_DOMAIN, peerNonce, localNonce));
        Frames.write(endpoint.counters, ctx, out, true);
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
        localNonce = null;
        peerNonce = null;
        final ChannelConnection connection = new ChannelConnection(endpoint, ctx.channel(), peerNodeId, ownsEndpoint);
        endpoint.connections.add(connection);
        frames.open(connection);
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

    /** Stops counting against the pending handshakes' limit and cancels the handshake's deadline. */
    private void handshakeDone()
    {
        if (pendingHandshake)
        {
            pendingHandshake = false;
            endpoint.pendingHandshakes.decrementAndGet();
        }
        if (handshakeTimer != null)
        {
            handshakeTimer.cancel(false);
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
     * Refuses the peer: counts, logs, tells it why (when {@code tellPeer}) and closes.
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
            final ByteBuf out = Frames.header(ctx, FrameLayout.TYPE_REJECT, n);
            out.writeBytes(bytes, 0, n);
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            endpoint.counters.frameOut(HEADER_LENGTH + n);
        }
        else
        {
            ctx.close();
        }
    }

    /** A frame that breaks the protocol during the handshake: the peer is refused and the frame counted. */
    private void malformed(final ChannelHandlerContext ctx, final String reason)
    {
        if (state == State.CLOSING)
        {
            return;
        }
        refuse(ctx, reason, true);
        endpoint.counters.malformedFrame();
        LOG.warn("node {} closes connection from {} (node {}): malformed frame: {}", endpoint.nodeId,
            ctx.channel().remoteAddress(), peerNodeId, reason);
        ctx.close();
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
}
