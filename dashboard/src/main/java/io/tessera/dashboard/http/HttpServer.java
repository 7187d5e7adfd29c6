package io.tessera.dashboard.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The listening socket: Netty's HTTP/1.1 codec and aggregator (bodies up to 1 MiB) in front of
 * {@link HttpHandler}, on one event loop thread; routes run on virtual threads, as they may block
 * on the cluster.
 */
public final class HttpServer implements AutoCloseable
{
    static final int MAX_BODY_BYTES = 1 << 20;

    private final EventLoopGroup group;
    private final ExecutorService handlers;
    private final Channel channel;

    private HttpServer(EventLoopGroup group, ExecutorService handlers, Channel channel)
    {
        this.group = group;
        this.handlers = handlers;
        this.channel = channel;
    }

    /**
     * Listens on {@code host:port}.
     *
     * @param host   the interface
     * @param port   the port, 0 for a free one
     * @param router the routes
     * @param access who may send requests
     * @return the listening server
     * @throws java.io.UncheckedIOException when it cannot listen there
     */
    public static HttpServer bind(String host, int port, Router router, Access access)
    {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tessera-http", true),
            NioIoHandler.newFactory());
        final ExecutorService handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("tessera-http-", 0).factory());
        try
        {
            final Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(SocketChannel c)
                    {
                        c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY_BYTES),
                            new HttpHandler(router, access, handlers));
                    }
                }).bind(host, port).syncUninterruptibly().channel();
            return new HttpServer(group, handlers, ch);
        }
        catch (Exception ex)
        {  // Netty rethrows the bind's IOException unchecked
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            handlers.shutdownNow();
            throw new java.io.UncheckedIOException("cannot listen on " + host + ":" + port + ": " + ex.getMessage(),
                ex instanceof java.io.IOException io ? io : new java.io.IOException(ex.getMessage(), ex));
        }
    }

    /**
     * Where it listens.
     *
     * @return the bound address
     */
    public InetSocketAddress address()
    {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close()
    {
        channel.close().syncUninterruptibly();
        handlers.shutdownNow();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
