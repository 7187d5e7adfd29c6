package io.tessera.jmh.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
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
import io.tessera.transport.TransportKind;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The baselines: plain Netty on the same transport kind, no framing beyond what the test needs.
 * A stream server answers an 8-byte request N with the first N bytes of a direct buffer as large as
 * the benchmarked object (256 KiB slices, no copy), so both sides stream the same cold memory;
 * an echo server writes back whatever it reads. Clients complete a future when the expected byte
 * count has arrived; a client may also copy what arrives into memory of its own.
 */
final class RawNetty
{
    static final int STREAM_CHUNK = 256 << 10;

    private RawNetty()
    {
    }

    static EventLoopGroup group(final TransportKind kind, final int threads, final String name)
    {
        final IoHandlerFactory factory = switch (kind)
        {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO, AUTO -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    static Class<? extends ServerChannel> serverChannel(final TransportKind kind)
    {
        return switch (kind)
        {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO, AUTO -> NioServerSocketChannel.class;
        };
    }

    static Class<? extends Channel> channel(final TransportKind kind)
    {
        return switch (kind)
        {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO, AUTO -> NioSocketChannel.class;
        };
    }

    static Channel bind(final TransportKind kind, final EventLoopGroup group, final Supplier<ChannelHandler> handler)
    {
        return new ServerBootstrap().group(group).channel(serverChannel(kind))
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<>()
            {
                @Override
                protected void initChannel(final Channel ch)
                {
                    ch.pipeline().addLast(handler.get());
                }
            })
            .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    static Channel connect(final TransportKind kind, final EventLoopGroup group, final int port, final ChannelHandler handler)
    {
        return new Bootstrap().group(group).channel(channel(kind)).option(ChannelOption.TCP_NODELAY, true)
            .handler(handler).connect("127.0.0.1", port).syncUninterruptibly().channel();
    }

    /**
     * Server side of the stream baseline: reads 8-byte requests, streams that many bytes.
     */
    static final class StreamServer extends ChannelInboundHandlerAdapter
    {
        private final ByteBuf source;
        private ByteBuf pending;

        StreamServer(final ByteBuf source)
        {
            this.source = source;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf in = (ByteBuf)msg;
            pending = pending == null ? in : ctx.alloc().directBuffer().writeBytes(pending).writeBytes(in);
            if (pending != in)
            {
                in.release();
            }
            while (pending.readableBytes() >= 8)
            {
                final long length = Math.min(pending.readLongLE(), source.capacity());
                for (int offset = 0; offset < length; offset += STREAM_CHUNK)
                {
                    final int n = (int)Math.min(STREAM_CHUNK, length - offset);
                    ctx.write(source.retainedSlice(offset, n), ctx.voidPromise());
                }
                ctx.flush();
            }
            if (!pending.isReadable())
            {
                pending.release();
                pending = null;
            }
        }
    }

    /**
     * Echo: writes back what it reads.
     */
    static final class EchoServer extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            ctx.writeAndFlush(msg, ctx.voidPromise());
        }
    }

    /**
     * Client side of both baselines: counts arriving bytes and completes the current future when the
     * expected number has arrived.
     */
    static final class CountingClient extends ChannelInboundHandlerAdapter
    {
        private final MemorySegment sink;
        private volatile CompletableFuture<Void> current;
        private long expected;
        private long received;

        /**
         * A client that discards what arrives.
         */
        CountingClient()
        {
            this(null);
        }

        /**
         * @param sink when not null, every arriving byte is copied into it (wrapping around), the way
         *             a receiver that keeps the data must touch memory.
         */
        CountingClient(final MemorySegment sink)
        {
            this.sink = sink;
        }

        CompletableFuture<Void> expect(final long bytes)
        {
            final CompletableFuture<Void> f = new CompletableFuture<>();
            expected = bytes;
            received = 0;
            current = f;
            return f;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf in = (ByteBuf)msg;
            final int n = in.readableBytes();
            if (sink != null && n > 0)
            {
                long at = received % sink.byteSize();
                int done = 0;
                while (done < n)
                {
                    final int part = (int)Math.min(n - done, sink.byteSize() - at);
                    MemorySegment.copy(MemorySegment.ofBuffer(in.nioBuffer(in.readerIndex() + done, part)), 0, sink, at, part);
                    done += part;
                    at = 0;
                }
            }
            received += n;
            in.release();
            if (received >= expected)
            {
                current.complete(null);
            }
        }
    }
}
