package io.tessera.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.internal.PlatformDependent;
import io.tessera.transport.internal.FrameLayout;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link Connection} over one authenticated Netty channel. Holds the pending requests, the object
 * streams this side pulls through it (any thread registers them) and the ones it serves (event loop
 * only).
 */
final class ChannelConnection implements Connection
{
    final Endpoint endpoint;
    final Channel channel;
    private final String peerNodeId;
    private final boolean ownsEndpoint;
    private final AtomicLong nextCorrelationId = new AtomicLong();
    private final ConcurrentHashMap<Long, PendingReply> pending = new ConcurrentHashMap<>();
    private final long requestTimeoutNs;
    final ConcurrentHashMap<Long, ReceiveStream> receiveStreams = new ConcurrentHashMap<>();
    final Map<Long, SendStream> sendStreams = new HashMap<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile Object attachment;
    /**
     * Frames written by threads other than the channel's event loop, in the order they were written: one
     * task on the event loop writes all that are queued and flushes once (one wake-up and one syscall for a
     * burst of task submissions or replies, where Netty's own cross-thread writeAndFlush costs one task, one
     * wake-up and one flush per frame).
     */
    private final Queue<ByteBuf> outbound = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainOutbound = this::drainOutbound;

    ChannelConnection(final Endpoint endpoint, final Channel channel, final String peerNodeId, final boolean ownsEndpoint)
    {
        this.endpoint = endpoint;
        this.channel = channel;
        this.peerNodeId = peerNodeId;
        this.ownsEndpoint = ownsEndpoint;
        this.requestTimeoutNs = TimeUnit.MILLISECONDS.toNanos(endpoint.ctx.requestTimeoutMs());
    }

    @Override
    public String peerNodeId()
    {
        return peerNodeId;
    }

    @Override
    public String localNodeId()
    {
        return endpoint.nodeId;
    }

    @Override
    public InetSocketAddress remoteAddress()
    {
        return (InetSocketAddress)channel.remoteAddress();
    }

    @Override
    public TransportKind kind()
    {
        return endpoint.kind;
    }

    @Override
    public boolean isOpen()
    {
        return channel.isActive() && !closeFuture.isDone();
    }

    @Override
    public boolean isWritable()
    {
        return channel.isWritable();
    }

    @Override
    public void send(final int type, final byte[] payload)
    {
        send(type, MemorySegment.ofArray(payload));
    }

    @Override
    public void send(final int type, final MemorySegment payload)
    {
        checkUserType(type);
        checkOpen();
        write(type, 0, 0, payload);
    }

    @Override
    public void send(final int type, final ByteBuf payload)
    {
        try
        {
            checkUserType(type);
            checkOpen();
            checkFrameLength(payload.readableBytes());
        }
        catch (final RuntimeException e)
        {
            payload.release();
            throw e;
        }
        final int frameLength = FrameLayout.HEADER_LENGTH + payload.readableBytes();
        final ByteBuf header = channel.alloc().directBuffer(FrameLayout.HEADER_LENGTH);
        FrameLayout.writeHeader(header, frameLength, type, 0, 0);
        writeFrame(Unpooled.wrappedBuffer(header, payload));
        endpoint.counters.frameOut(frameLength);
    }

    @Override
    public CompletableFuture<byte[]> request(final int type, final byte[] payload)
    {
        return request(type, MemorySegment.ofArray(payload));
    }

    @Override
    public CompletableFuture<byte[]> request(final int type, final MemorySegment payload)
    {
        checkUserType(type);
        return requestInternal(type, payload);
    }

    @Override
    public CompletableFuture<byte[]> requestUntilClosed(final int type, final byte[] payload)
    {
        checkUserType(type);
        return requestInternal(type, MemorySegment.ofArray(payload), false);
    }

    CompletableFuture<byte[]> requestInternal(final int type, final MemorySegment payload)
    {
        return requestInternal(type, payload, true);
    }

    private CompletableFuture<byte[]> requestInternal(final int type, final MemorySegment payload, final boolean expires)
    {
        checkFrameLength(payload.byteSize());
        final PendingReply reply = new PendingReply(System.nanoTime() + requestTimeoutNs, expires);
        final long correlationId = nextCorrelationId.incrementAndGet();
        pending.put(correlationId, reply);
        if (!isOpen())
        {
            pending.remove(correlationId);
            reply.completeExceptionally(closedException(null));
            return reply;
        }
        write(type, 0, correlationId, payload);
        return reply;
    }

    /**
     * Fails the requests whose deadline has passed. Runs periodically on the event loop, so a request
     * costs no timer of its own.
     */
    void expireRequests()
    {
        if (pending.isEmpty())
        {
            return;
        }
        final long now = System.nanoTime();
        for (final Map.Entry<Long, PendingReply> entry : pending.entrySet())
        {
            final PendingReply reply = entry.getValue();
            if (reply.expires && now - reply.deadlineNs > 0 && pending.remove(entry.getKey(), reply))
            {
                reply.completeExceptionally(new TimeoutException("request " + entry.getKey() + " to node " + peerNodeId +
                    " got no reply within " + endpoint.ctx.requestTimeoutMs() + " ms"));
            }
        }
    }

    /**
     * @return how often {@link #expireRequests()} should run.
     */
    long expiryPeriodMs()
    {
        return Math.max(5, Math.min(1_000, endpoint.ctx.requestTimeoutMs() / 4));
    }

    @Override
    public void reply(final long correlationId, final int type, final byte[] payload)
    {
        reply(correlationId, type, MemorySegment.ofArray(payload));
    }

    @Override
    public void reply(final long correlationId, final int type, final MemorySegment payload)
    {
        checkUserType(type);
        checkCorrelationId(correlationId);
        write(type, FrameLayout.FLAG_REPLY, correlationId, payload);
    }

    @Override
    public void replyError(final long correlationId, final String message)
    {
        checkCorrelationId(correlationId);
        final byte[] bytes = String.valueOf(message).getBytes(StandardCharsets.UTF_8);
        final int max = endpoint.ctx.maxFrameBytes() - FrameLayout.HEADER_LENGTH;
        write(FIRST_USER_TYPE, FrameLayout.FLAG_REPLY | FrameLayout.FLAG_ERROR, correlationId,
            MemorySegment.ofArray(bytes).asSlice(0, Math.min(bytes.length, max)));
    }

    @Override
    public void attach(final Object attachment)
    {
        this.attachment = attachment;
    }

    @Override
    public Object attachment()
    {
        return attachment;
    }

    @Override
    public CompletableFuture<Void> closeFuture()
    {
        return closeFuture;
    }

    @Override
    public void close()
    {
        if (ownsEndpoint)
        {
            endpoint.close();
        }
        else if (!channel.eventLoop().inEventLoop())
        {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        else
        {
            channel.close();
        }
    }

    /**
     * Writes one frame whose payload is copied from a segment. Any thread.
     */
    void write(final int type, final int flags, final long correlationId, final MemorySegment payload)
    {
        final int length = (int)payload.byteSize();
        checkFrameLength(length);
        final int frameLength = FrameLayout.HEADER_LENGTH + length;
        final ByteBuf buf = channel.alloc().directBuffer(frameLength);
        FrameLayout.writeHeader(buf, frameLength, type, flags, correlationId);
        if (length > 0)
        {
            final int at = buf.writerIndex();
            MemorySegment.copy(payload, 0, MemorySegment.ofBuffer(buf.nioBuffer(at, length)), 0, length);
            buf.writerIndex(at + length);
        }
        writeFrame(buf);
        endpoint.counters.frameOut(frameLength);
    }

    /**
     * Writes and flushes a frame: at once on the event loop (after the frames other threads queued before it,
     * so that one thread's frames keep their order whichever thread it is); from any other thread into
     * {@link #outbound}, for the event loop's next drain.
     */
    private void writeFrame(final ByteBuf frame)
    {
        if (channel.eventLoop().inEventLoop())
        {
            if (!outbound.isEmpty())
            {
                drainOutbound();
            }
            channel.writeAndFlush(frame, channel.voidPromise());
            endpoint.counters.messageFlush();
            return;
        }
        outbound.offer(frame);
        if (drainScheduled.compareAndSet(false, true))
        {
            try
            {
                channel.eventLoop().execute(drainOutbound);
            }
            catch (final RejectedExecutionException loopStopped)
            {
                releaseOutbound();
            }
        }
    }

    /** Event loop: writes every queued frame, then flushes once. */
    private void drainOutbound()
    {
        // cleared first: a frame queued after this point schedules the next drain itself
        drainScheduled.set(false);
        ByteBuf frame;
        boolean wrote = false;
        while ((frame = outbound.poll()) != null)
        {
            channel.write(frame, channel.voidPromise());
            wrote = true;
        }
        if (wrote)
        {
            channel.flush();
            endpoint.counters.messageFlush();
        }
    }

    /** The event loop stopped: the queued frames are never written. */
    private void releaseOutbound()
    {
        ByteBuf frame;
        while ((frame = outbound.poll()) != null)
        {
            frame.release();
        }
        drainScheduled.set(false);
    }

    /**
     * A reply arrived (event loop).
     */
    void onReply(final long correlationId, final int flags, final ByteBuf buf, final int offset, final int length)
    {
        final PendingReply reply = pending.remove(correlationId);
        if (reply == null)
        {
            return;
        }
        final byte[] bytes = new byte[length];
        buf.getBytes(offset, bytes);
        if ((flags & FrameLayout.FLAG_ERROR) != 0)
        {
            reply.completeExceptionally(new RemoteException("node " + peerNodeId + " answered request " + correlationId +
                " with an error: " + new String(bytes, StandardCharsets.UTF_8)));
        }
        else
        {
            reply.complete(bytes);
        }
    }

    long nextStreamId()
    {
        return nextCorrelationId.incrementAndGet();
    }

    /**
     * The channel closed (event loop, once): fails what waited on it.
     */
    void onClosed(final Throwable cause)
    {
        final ConnectionClosedException closed = closedException(cause);
        for (final Long id : new ArrayList<>(pending.keySet()))
        {
            final PendingReply reply = pending.remove(id);
            if (reply != null)
            {
                reply.completeExceptionally(closed);
            }
        }
        final List<ReceiveStream> streams = new ArrayList<>(receiveStreams.values());
        receiveStreams.clear();
        for (final ReceiveStream stream : streams)
        {
            stream.operation.fail(ObjectTransferException.Reason.PEER_CLOSED, "connection to node " + peerNodeId +
                " (" + channel.remoteAddress() + ") closed after " + (stream.next - stream.start) + " of " +
                (stream.end - stream.start) + " bytes of range [" + stream.start + ", " + stream.end + ") of object " +
                stream.operation.id + (cause == null ? "" : ": " + cause), closed);
        }
        endpoint.serving.releaseAll(this);
        closeFuture.complete(null);
    }

    ConnectionClosedException closedException(final Throwable cause)
    {
        final String message = "connection from node " + endpoint.nodeId + " to node " + peerNodeId + " (" +
            channel.remoteAddress() + ") is closed" + (cause == null ? "" : ": " + cause);
        return cause == null ? new ConnectionClosedException(message) : new ConnectionClosedException(message, cause);
    }

    private void checkOpen()
    {
        if (!isOpen())
        {
            throw closedException(null);
        }
    }

    private void checkFrameLength(final long payloadLength)
    {
        final long max = endpoint.ctx.maxFrameBytes() - FrameLayout.HEADER_LENGTH;
        if (payloadLength > max)
        {
            throw new TransportException("payload of " + payloadLength + " bytes exceeds the frame limit of " + max +
                " bytes (TransportContext.maxFrameBytes); move large data as objects");
        }
    }

    private static void checkUserType(final int type)
    {
        if (type < FIRST_USER_TYPE || type > MAX_TYPE)
        {
            throw new TransportException("message type must be in [" + FIRST_USER_TYPE + ", " + MAX_TYPE + "], got " +
                type + " (types below " + FIRST_USER_TYPE + " are reserved for the transport)");
        }
    }

    private static void checkCorrelationId(final long correlationId)
    {
        if (correlationId == 0)
        {
            throw new TransportException("correlation id 0 marks a one-way message; only requests can be answered");
        }
    }

    @Override
    public String toString()
    {
        return "Connection{" + endpoint.nodeId + " -> " + peerNodeId + " @ " + channel.remoteAddress() + ", " +
            endpoint.kind + '}';
    }

    /**
     * A request's future with its deadline: one object per request, no timer task.
     */
    static final class PendingReply extends CompletableFuture<byte[]>
    {
        final long deadlineNs;
        final boolean expires;

        PendingReply(final long deadlineNs, final boolean expires)
        {
            this.deadlineNs = deadlineNs;
            this.expires = expires;
        }
    }
}
