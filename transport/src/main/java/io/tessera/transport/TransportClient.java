package io.tessera.transport;

/**
 * Connections for a process that does not listen (a driver): each connection gets its own small
 * event loop group, stopped when the connection closes.
 */
public final class TransportClient
{
    private TransportClient()
    {
    }

    /**
     * Connects and authenticates; incoming one-way messages are ignored, replies complete requests.
     *
     * @param ctx  this endpoint's configuration (token, node id, TLS, timeouts).
     * @param host peer host.
     * @param port peer port.
     * @return the authenticated connection.
     * @see #connect(TransportContext, String, int, MessageHandler)
     */
    public static Connection connect(final TransportContext ctx, final String host, final int port)
    {
        return connect(ctx, host, port, null);
    }

    /**
     * Connects to a node and completes the handshake.
     *
     * @param ctx     configuration; the token is required, {@link TransportContext#ioThreads(int)} is
     *                ignored (one thread), {@link TransportContext#store(io.tessera.memory.ObjectStore)}
     *                is served to the peer when set.
     * @param host    peer host.
     * @param port    peer port.
     * @param handler receives the peer's messages; null ignores them.
     * @return the authenticated connection; {@link Connection#close()} also stops its event loop.
     * @throws HandshakeException when either side refuses the other.
     * @throws TransportException when the peer cannot be reached.
     */
    public static Connection connect(final TransportContext ctx, final String host, final int port,
        final MessageHandler handler)
    {
        final Endpoint endpoint = new Endpoint(ctx.copy().ioThreads(1), handler, "client");
        try
        {
            return TransportServer.await(endpoint.connect(host, port, true), endpoint.ctx, host, port);
        }
        catch (final RuntimeException e)
        {
            endpoint.close();
            throw e;
        }
    }

    /**
     * Returns its endpoint's counters.
     *
     * @param connection a connection made by {@link #connect}.
     * @return its endpoint's counters.
     */
    public static TransportCounters counters(final Connection connection)
    {
        return ((ChannelConnection)connection).endpoint.counters;
    }
}
