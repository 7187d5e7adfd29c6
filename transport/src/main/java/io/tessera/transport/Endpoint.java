package io.tessera.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One event loop group with its configuration, handler, counters and channels: the shared part of a
 * {@link TransportServer} (and its outbound connections) or of one {@link TransportClient} connection.
 */
final class Endpoint
{
    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);
    /** Prefix of every event loop thread's name. */
    static final String THREAD_PREFIX = "tessera-transport";
    private static final AtomicInteger ENDPOINT_IDS = new AtomicInteger();

    final TransportContext ctx;
    final MessageHandler handler;
    final TransportCounters counters = new TransportCounters();
    final TransportKind kind;
    final String nodeId;
    final byte[] token;
    final ObjectServing serving;
    /** Null when TLS is off. */
    final TlsContexts tls;
    final EventLoopGroup group;
    final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    final Set<ChannelConnection> connections = ConcurrentHashMap.newKeySet();
    /** Accepted channels that have not completed the handshake yet (unauthenticated peers). */
    final AtomicInteger pendingHandshakes = new AtomicInteger();
    private volatile boolean closed;

    Endpoint(final TransportContext ctx, final MessageHandler handler, final String role)
    {
        this.ctx = ctx.copy();
        this.handler = handler == null ? MessageHandler.ignoring() : handler;
        this.token = ctx.token();
        this.nodeId = ctx.nodeId();
        this.kind = ctx.kind().resolve();
        this.serving = new ObjectServing(this);
        this.tls = TlsContexts.of(this.ctx);
        final String name = THREAD_PREFIX + "-" + role + "-" + ENDPOINT_IDS.incrementAndGet() + "-" +
            kind.name().toLowerCase(java.util.Locale.ROOT);
        this.group = new MultiThreadIoEventLoopGroup(ctx.ioThreads(), new DefaultThreadFactory(name, true), ioHandlerFactory(kind));
        LOG.info("tessera transport {} ({}) for node {}, {} io thread(s){}{}",
            kind, role, nodeId, ctx.ioThreads(), ctx.kind() == TransportKind.AUTO ? " (auto-selected)" : " (configured)",
            tls == null ? ", plain text" : ", mutual TLS");
    }

    private static IoHandlerFactory ioHandlerFactory(final TransportKind kind)
    {
        return switch (kind)
        {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO, AUTO -> NioIoHandler.newFactory();
        };
    }

    Class<? extends ServerChannel> serverChannelClass()
    {
        return switch (kind)
        {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO, AUTO -> NioServerSocketChannel.class;
        };
    }

    private Class<? extends Channel> channelClass()
    {
        return switch (kind)
        {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO, AUTO -> NioSocketChannel.class;
        };
    }

    WriteBufferWaterMark waterMark()
    {
        final int high = Math.max(2 << 20, 2 * ctx.chunkBytes() + 64);
        return new WriteBufferWaterMark(high / 2, high);
    }

    /**
     * Sets up a new channel (accepted or connecting).
     *
     * @param serverSide true for an accepted channel.
     * @param connected  completes with the connection once the handshake succeeds (client side), or null.
     * @param peerHost   the host an outbound channel connects to, else null.
     */
    void initChannel(final Channel ch, final boolean serverSide, final CompletableFuture<Connection> connected,
        final boolean ownsEndpoint, final String peerHost, final int peerPort)
    {
        channels.add(ch);
        ch.closeFuture().addListener((ChannelFutureListener)f -> channels.remove(ch));
        if (tls != null)
        {
            ch.pipeline().addLast("tls", tls.newHandler(ch, serverSide, peerHost, peerPort));
        }
        final FrameAdapter adapter = new FrameAdapter(this, ownsEndpoint);
        if (adapter.directReads())
        {
            ch.config().setRecvByteBufAllocator(new ChunkReadAllocator(adapter));
        }
        // the handshake handler leaves the pipeline once the channel is open
        ch.pipeline().addLast("handshake", new HandshakeHandler(this, serverSide, connected, ownsEndpoint, adapter));
        ch.pipeline().addLast("frames", adapter);
    }

    CompletableFuture<Connection> connect(final String host, final int port, final boolean ownsEndpoint)
    {
        final CompletableFuture<Connection> connected = new CompletableFuture<>();
        if (closed)
        {
            connected.completeExceptionally(new TransportException("endpoint of node " + nodeId + " is closed"));
            return connected;
        }
        final Bootstrap bootstrap = new Bootstrap()
            .group(group)
            .channel(channelClass())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)Math.min(Integer.MAX_VALUE, ctx.connectTimeoutMs()))
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
            .handler(new ChannelInitializer<>()
            {
                @Override
                protected void initChannel(final Channel ch)
                {
                    Endpoint.this.initChannel(ch, false, connected, ownsEndpoint, host, port);
                }
            });
        bootstrap.connect(host, port).addListener((ChannelFutureListener)f ->
        {
            if (!f.isSuccess())
            {
                connected.completeExceptionally(new TransportException("cannot connect node " + nodeId + " to " +
                    host + ":" + port + " over " + kind + ": " + f.cause(), f.cause()));
            }
        });
        return connected;
    }

    boolean isClosed()
    {
        return closed;
    }

    /**
     * Closes every channel and stops the event loops; waits for them unless called from one.
     */
    void close()
    {
        if (closed)
        {
            awaitTermination();
            return;
        }
        closed = true;
        final List<ChannelFuture> closing = new ArrayList<>();
        for (final Channel ch : channels)
        {
            closing.add(ch.close());
        }
        if (!inEventLoop())
        {
            for (final ChannelFuture f : closing)
            {
                f.awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        awaitTermination();
    }

    private boolean inEventLoop()
    {
        for (final var executor : group)
        {
            if (executor.inEventLoop())
            {
                return true;
            }
        }
        return false;
    }

    private void awaitTermination()
    {
        if (!inEventLoop())
        {
            group.terminationFuture().awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }
}
