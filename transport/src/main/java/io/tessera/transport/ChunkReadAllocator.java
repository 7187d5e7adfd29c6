package io.tessera.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * The receive buffer allocator of an epoll or NIO channel: while the channel is in the middle of a
 * CHUNK body, the next socket read goes straight into the receiving store's segment (a buffer
 * wrapping it, handed out by {@link FrameAdapter#directReadBuffer()}); otherwise Netty's adaptive
 * allocator. Not used with io_uring, whose reads may stay submitted long after the buffer is handed
 * out.
 */
final class ChunkReadAllocator implements RecvByteBufAllocator
{
    private final RecvByteBufAllocator delegate = new AdaptiveRecvByteBufAllocator();
    private final FrameAdapter adapter;

    ChunkReadAllocator(final FrameAdapter adapter)
    {
        this.adapter = adapter;
    }

    @Override
    public Handle newHandle()
    {
        return new ChunkHandle((ExtendedHandle)delegate.newHandle());
    }

    private final class ChunkHandle extends DelegatingHandle implements ExtendedHandle
    {
        private final ExtendedHandle extended;

        ChunkHandle(final ExtendedHandle delegate)
        {
            super(delegate);
            this.extended = delegate;
        }

        @Override
        public ByteBuf allocate(final ByteBufAllocator alloc)
        {
            final ByteBuf direct = adapter.directReadBuffer();
            return direct != null ? direct : super.allocate(alloc);
        }

        @Override
        public boolean continueReading(final UncheckedBooleanSupplier maybeMoreDataSupplier)
        {
            return extended.continueReading(maybeMoreDataSupplier);
        }
    }
}
