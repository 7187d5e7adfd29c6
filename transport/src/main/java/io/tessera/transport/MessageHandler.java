package io.tessera.transport;

import java.lang.foreign.MemorySegment;

/**
 * Receives the engine's messages (types &gt;= 100) of every connection of an endpoint. Called on the
 * connection's event loop thread: do not block; hand long work to another thread.
 */
@FunctionalInterface
public interface MessageHandler
{
    /**
     * A message arrived.
     *
     * @param connection    where it came from; reply on it.
     * @param type          the sender's message type (&gt;= 100).
     * @param correlationId non-zero for a request: answer with {@link Connection#reply} or
     *                      {@link Connection#replyError}; 0 for a one-way message.
     * @param payload       read-only view of the payload, valid only until this method returns; copy
     *                      what must outlive the call.
     */
    void onMessage(Connection connection, int type, long correlationId, MemorySegment payload);

    /**
     * A connection completed its handshake (either direction).
     *
     * @param connection the new connection.
     */
    default void onOpen(final Connection connection)
    {
    }

    /**
     * An authenticated connection closed.
     *
     * @param connection the closed connection.
     * @param cause      why, or null for an orderly close by either side.
     */
    default void onClose(final Connection connection, final Throwable cause)
    {
    }

    /**
     * Returns a handler that ignores every message (replies still complete requests).
     *
     * @return a handler that ignores every message (replies still complete requests).
     */
    static MessageHandler ignoring()
    {
        return (connection, type, correlationId, payload) ->
        {
        };
    }
}
