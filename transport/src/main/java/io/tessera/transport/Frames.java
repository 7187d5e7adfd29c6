package io.tessera.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tessera.transport.internal.FrameLayout;

import static io.tessera.transport.internal.FrameLayout.HEADER_LENGTH;

/**
 * What the inbound side of a channel ({@link HandshakeHandler}, {@link FrameAdapter},
 * {@link ChunkReceiver}) shares: the checks of a frame header, the cumulation of socket reads, and
 * writing a frame of its own (handshake steps, credit, reject) counted in {@link TransportCounters}.
 */
final class Frames
{
    private Frames()
    {
    }

    /**
     * @return why the header at {@code at} breaks the protocol (a length outside
     * [{@value FrameLayout#HEADER_LENGTH}, {@code maxLength}], reserved bits set), or null when it is sound.
     */
    static String headerProblem(final ByteBuf buf, final int at, final int maxLength)
    {
        final int length = FrameLayout.frameLength(buf, at);
        if (length < HEADER_LENGTH || length > maxLength)
        {
            return "frame length " + length + " outside [" + HEADER_LENGTH + ", " + maxLength + "]";
        }
        final int flags = FrameLayout.flags(buf, at);
        if (FrameLayout.reserved(buf, at) != 0 || (flags & ~FrameLayout.KNOWN_FLAGS) != 0)
        {
            return "frame of type " + FrameLayout.typeName(FrameLayout.type(buf, at)) +
                " has reserved bits set (flags 0x" + Integer.toHexString(flags) + ", reserved " +
                FrameLayout.reserved(buf, at) + ")";
        }
        return null;
    }

    /**
     * Appends a read to the bytes left over from earlier reads, copying only when they do not fit.
     */
    static ByteBuf cumulate(final ChannelHandlerContext ctx, final ByteBuf cumulation, final ByteBuf in)
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

    /**
     * Releases what is left of a cumulation once it is empty or no longer wanted.
     *
     * @return the cumulation to keep: null when released.
     */
    static ByteBuf trim(final ByteBuf cumulation, final boolean discard)
    {
        if (cumulation == null)
        {
            return null;
        }
        if (discard || !cumulation.isReadable())
        {
            cumulation.release();
            return null;
        }
        cumulation.discardSomeReadBytes();
        return cumulation;
    }

    static ByteBuf header(final ChannelHandlerContext ctx, final int type, final int payloadLength)
    {
        return header(ctx, type, payloadLength, 0);
    }

    static ByteBuf header(final ChannelHandlerContext ctx, final int type, final int payloadLength,
        final long correlationId)
    {
        final ByteBuf buf = ctx.alloc().directBuffer(HEADER_LENGTH + payloadLength);
        FrameLayout.writeHeader(buf, HEADER_LENGTH + payloadLength, type, 0, correlationId);
        return buf;
    }

    static void write(final TransportCounters counters, final ChannelHandlerContext ctx, final ByteBuf frame,
        final boolean flush)
    {
        counters.frameOut(frame.readableBytes());
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
