package io.tessera.transport;

import io.netty.buffer.ByteBuf;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * An authenticated connection to a peer node. Thread-safe: any thread may send; messages from one
 * thread are delivered in order. Message types must be in [{@value #FIRST_USER_TYPE}, 65535]: lower
 * ones belong to the transport.
 */
public interface Connection extends AutoCloseable
{
    /** Lowest message type the engine may use. */
    int FIRST_USER_TYPE = 100;
    /** Highest message type. */
    int MAX_TYPE = 0xFFFF;

    /**
     * Returns the peer's node id, as it sent it in the handshake.
     *
     * @return the peer's node id, as it sent it in the handshake.
     */
    String peerNodeId();

    /**
     * Returns this side's node id.
     *
     * @return this side's node id.
     */
    String localNodeId();

    /**
     * Returns the peer's address.
     *
     * @return the peer's address.
     */
    InetSocketAddress remoteAddress();

    /**
     * Returns the transport this connection runs on.
     *
     * @return the transport this connection runs on.
     */
    TransportKind kind();

    /**
     * Returns true until closed by either side.
     *
     * @return true until closed by either side.
     */
    boolean isOpen();

    /**
     * Returns false while Netty's outbound buffer for this connection is above its high water mark: a
     * sender of bulk messages should wait (back-pressure) rather than queue more.
     *
     * @return false while Netty's outbound buffer for this connection is above its high water mark:
     * a sender of bulk messages should wait (back-pressure) rather than queue more.
     */
    boolean isWritable();

    /**
     * Sends a one-way message (copies the payload into a frame).
     *
     * @param type    message type.
     * @param payload bytes to send; may be empty.
     * @throws TransportException when the type is reserved or out of range, or the payload exceeds the frame limit.
     */
    void send(int type, byte[] payload);

    /**
     * Sends a one-way message (copies the payload into a frame).
     *
     * @param type    message type.
     * @param payload bytes to send (heap or native segment).
     */
    void send(int type, MemorySegment payload);

    /**
     * Sends a one-way message without copying the payload: the header goes out in front of it.
     *
     * @param type    message type.
     * @param payload readable bytes to send; ownership passes to the transport, which releases it.
     */
    void send(int type, ByteBuf payload);

    /**
     * Sends a request; the peer's handler sees a non-zero correlation id and answers with
     * {@link #reply}.
     *
     * @param type    message type.
     * @param payload bytes to send.
     * @return completes with the reply's payload (a copy); fails with {@link RemoteException} for an
     * error reply, {@link ConnectionClosedException} when the connection closes first, or a
     * {@link java.util.concurrent.TimeoutException} after the context's request timeout.
     */
    CompletableFuture<byte[]> request(int type, byte[] payload);

    /**
     * Sends a request whose payload is a segment's bytes (copied into the frame); otherwise the same as
     * {@link #request(int, byte[])}.
     *
     * @param type    message type.
     * @param payload bytes to send.
     * @return completes with the reply's payload (a copy); fails as {@link #request(int, byte[])} says.
     */
    CompletableFuture<byte[]> request(int type, MemorySegment payload);

    /**
     * A request whose reply may take as long as the work it waits for (a task's result): it has no
     * deadline of its own and fails only when the connection closes (the peer died, or was declared
     * dead and its connection closed) or with an error reply.
     *
     * @see #request(int, byte[])
     *
     * @param type    message type.
     * @param payload bytes to send.
     * @return completes with the reply's payload (a copy); fails with {@link RemoteException} or
     * {@link ConnectionClosedException}, never by timeout.
     */
    CompletableFuture<byte[]> requestUntilClosed(int type, byte[] payload);

    /**
     * Answers a request.
     *
     * @param correlationId the request's correlation id, as given to {@link MessageHandler#onMessage}.
     * @param type          message type of the reply (the requester sees only the payload).
     * @param payload       reply bytes.
     */
    void reply(long correlationId, int type, byte[] payload);

    /**
     * Answers a request with a segment's bytes (copied into the frame); otherwise the same as
     * {@link #reply(long, int, byte[])}.
     *
     * @param correlationId the request's correlation id, as given to {@link MessageHandler#onMessage}.
     * @param type          message type of the reply (the requester sees only the payload).
     * @param payload       reply bytes.
     */
    void reply(long correlationId, int type, MemorySegment payload);

    /**
     * Answers a request with an error: the requester's future fails with a {@link RemoteException}
     * carrying this message.
     *
     * @param correlationId the request's correlation id.
     * @param message       what went wrong.
     */
    void replyError(long correlationId, String message);

    /**
     * Keeps {@code attachment} with this connection, replacing what was attached before (read back with
     * {@link #attachment()}).
     *
     * @param attachment any object the engine wants to keep with this connection (its node record).
     */
    void attach(Object attachment);

    /**
     * Returns what {@link #attach} stored, or null.
     *
     * @return what {@link #attach} stored, or null.
     */
    Object attachment();

    /**
     * Returns a future that completes when the connection has closed, normally or with its cause.
     *
     * @return completes when the connection has closed, normally or with its cause.
     */
    CompletableFuture<Void> closeFuture();

    /**
     * Closes the connection: pending requests and pulls through it fail. Idempotent. A connection
     * made with {@link TransportClient#connect} also stops its event loop.
     */
    @Override
    void close();
}
