package io.tessera.internal.cluster;

import io.netty.buffer.ByteBuf;
import io.tessera.transport.Connection;
import io.tessera.transport.TransportKind;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A connection that hands every message straight to an adapter in this process (no sockets), and
 * completes requests from the replies the adapter's handler makes: a proxy's bytes, decoded as a peer would.
 */
final class Loopback implements Connection
{
    /** An adapter's entry point. */
    interface Receiver
    {
        boolean onMessage(Connection c, int type, long correlationId, MemorySegment payload);
    }

    /** The message types sent through here, in order. */
    final List<Integer> types = new ArrayList<>();
    private final Map<Long, CompletableFuture<byte[]>> pending = new HashMap<>();
    private Receiver receiver;
    private long nextCorrelationId = 1;
    private Object attachment;

    Loopback to(Receiver r)
    {
        receiver = r;
        return this;
    }

    private void deliver(int type, long correlationId, byte[] payload)
    {
        types.add(type);
        if (!receiver.onMessage(this, type, correlationId, MemorySegment.ofArray(payload.clone())))
        {
            throw new AssertionError("message type " + type + " was not decoded by the adapter");
        }
    }

    @Override
    public void send(int type, byte[] payload)
    {
        deliver(type, 0, payload);
    }

    @Override
    public CompletableFuture<byte[]> request(int type, byte[] payload)
    {
        final long id = nextCorrelationId++;
        final CompletableFuture<byte[]> f = new CompletableFuture<>();
        pending.put(id, f);
        deliver(type, id, payload);
        return f;
    }

    @Override
    public CompletableFuture<byte[]> requestUntilClosed(int type, byte[] payload)
    {
        return request(type, payload);
    }

    @Override
    public void reply(long correlationId, int type, byte[] payload)
    {
        pending.remove(correlationId).complete(payload.clone());
    }

    @Override
    public void replyError(long correlationId, String message)
    {
        pending.remove(correlationId).completeExceptionally(new IllegalStateException(message));
    }

    @Override
    public String peerNodeId()
    {
        return "peer";
    }

    @Override
    public String localNodeId()
    {
        return "local";
    }

    @Override
    public boolean isOpen()
    {
        return true;
    }

    @Override
    public boolean isWritable()
    {
        return true;
    }

    @Override
    public void attach(Object a)
    {
        attachment = a;
    }

    @Override
    public Object attachment()
    {
        return attachment;
    }

    @Override
    public InetSocketAddress remoteAddress()
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public TransportKind kind()
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void send(int type, MemorySegment payload)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void send(int type, ByteBuf payload)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<byte[]> request(int type, MemorySegment payload)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void reply(long correlationId, int type, MemorySegment payload)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> closeFuture()
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close()
    {
    }
}
