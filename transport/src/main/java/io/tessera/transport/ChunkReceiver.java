package io.tessera.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.tessera.transport.internal.FrameLayout;
import io.tessera.transport.internal.TransferLayout;

/**
 * The puller side of CHUNK bodies on one open channel: their bytes are never accumulated but copied
 * from each socket read straight into the receiving store's segment, or, on epoll and NIO without
 * TLS, read into it directly ({@link #directReadBuffer()}, through {@link ChunkReadAllocator}). Tracks
 * the chunk in progress, advances its {@link ReceiveStream}, grants credit and completes the range.
 * Event-loop confined.
 */
final class ChunkReceiver
{
    /** Smallest rest of a chunk worth a direct read into the store. */
    private static final int MIN_DIRECT_READ = 16 << 10;
    /** Largest direct read. */
    private static final int MAX_DIRECT_READ = 4 << 20;

    private final TransportCounters counters;
    private final boolean directReads;
    private ChannelConnection connection;

    private ByteBuf directBuffer;
    private PullOperation directOperation;

    private ReceiveStream stream;
    private long offset;
    private long remaining;

    ChunkReceiver(final Endpoint endpoint)
    {
        this.counters = endpoint.counters;
        // under TLS the socket carries ciphertext: chunks are copied from the decrypted buffers instead
        this.directReads = endpoint.kind != TransportKind.IO_URING && endpoint.ctx.directReads() && endpoint.tls == null;
    }

    /** Once the handshake opened the channel: chunks belong to this connection's streams. */
    void open(final ChannelConnection connection)
    {
        this.connection = connection;
    }

    /**
     * @return true when this channel's reads may land straight in a store segment.
     */
    boolean directReads()
    {
        return directReads;
    }

    /**
     * @return bytes of the current chunk body not yet received; 0 between chunks.
     */
    long remaining()
    {
        return remaining;
    }

    /**
     * Called before a socket read when no other bytes are pending (event loop).
     *
     * @return a buffer over the rest of the current chunk body inside the receiving store's segment,
     * or null when the next bytes are not (only) chunk bytes of a live pull.
     */
    ByteBuf directReadBuffer()
    {
        final ReceiveStream s = stream;
        if (!directReads || directBuffer != null || s == null || remaining < MIN_DIRECT_READ ||
            !s.operation.enterWriter())
        {
            return null;
        }
        final int n = (int)Math.min(remaining, MAX_DIRECT_READ);
        directOperation = s.operation;
        directBuffer = Unpooled.wrappedBuffer(s.operation.segment.asSlice(offset, n).asByteBuffer()).clear();
        return directBuffer;
    }

    /**
     * @return true when {@code in} is the buffer {@link #directReadBuffer()} handed out: its bytes are
     * in the store already.
     */
    boolean isDirectRead(final ByteBuf in)
    {
        return in == directBuffer;
    }

    /** Gives the direct read buffer back (read complete, or channel closed); lets the pull finish. */
    void releaseDirectRead()
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

    /**
     * A CHUNK header arrived: the next {@code length} bytes on the channel are its body.
     *
     * @return why the chunk breaks its stream, or null. A chunk of a stream no longer open (cancelled,
     * failed) is read and dropped.
     */
    String start(final long streamId, final long chunkOffset, final int length)
    {
        counters.frameIn();
        final ReceiveStream s = connection.receiveStreams.get(streamId);
        if (s != null && (chunkOffset != s.next || chunkOffset + length > s.end))
        {
            return "CHUNK of stream " + streamId + " at offset " + chunkOffset + " (+" + length +
                " bytes) does not continue range [" + s.start + ", " + s.end + ") at " + s.next;
        }
        stream = length == 0 ? null : s;
        offset = chunkOffset;
        remaining = length;
        return null;
    }

    /**
     * Copies {@code n} chunk bytes from {@code buf} into the store and accounts them.
     *
     * @return true when a credit frame was written and the channel needs a flush.
     */
    boolean consume(final ChannelHandlerContext ctx, final ByteBuf buf, final int n)
    {
        if (stream != null)
        {
            stream.operation.write(offset, buf, buf.readerIndex(), n);
        }
        buf.skipBytes(n);
        return advance(ctx, n);
    }

    /**
     * Accounts {@code n} chunk bytes that are now in the store segment: advances the stream, grants
     * credit, completes the range.
     *
     * @return true when a credit frame was written and the channel needs a flush.
     */
    boolean advance(final ChannelHandlerContext ctx, final int n)
    {
        boolean credited = false;
        final ReceiveStream s = stream;
        if (s != null)
        {
            s.next += n;
            s.unacknowledged += n;
            if (s.next == s.end)
            {
                connection.receiveStreams.remove(s.streamId);
                s.operation.rangeDone();
            }
            else if (s.unacknowledged >= s.creditBatch)
            {
                final ByteBuf credit = Frames.header(ctx, FrameLayout.TYPE_CREDIT, TransferLayout.CREDIT_LENGTH, s.streamId);
                credit.writeLongLE(s.unacknowledged);
                s.unacknowledged = 0;
                Frames.write(counters, ctx, credit, false);
                credited = true;
            }
        }
        offset += n;
        remaining -= n;
        if (remaining == 0)
        {
            stream = null;
        }
        return credited;
    }
}
