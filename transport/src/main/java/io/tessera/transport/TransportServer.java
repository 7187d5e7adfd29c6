package io.tessera.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A node's transport endpoint: listens for peers, connects to peers on the same event loops, and
 * serves objects from the context's store to pullers. Every connection, inbound or outbound, is
 * authenticated with the cluster token and delivers the engine's messages to one {@link MessageHandler}.
 */
public final class TransportServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(TransportServer.class);
    private final Endpoint endpoint;
    private final Channel serverChannel;

    private TransportServer(final Endpoint endpoint, final Channel serverChannel)
    {
        this.endpoint = endpoint;
        this.serverChannel = serverChannel;
    }

    /**
     * Starts the event loops and binds {@link TransportContext#host()}:{@link TransportContext#port()}.
     *
     * @param ctx     configuration; the token is required.
     * @param handler receives the engine's messages of every connection; null ignores them.
     * @return the bound server.
     * @throws TransportException when the transport kind is unavailable or the address cannot be bound.
     */
    public static TransportServer bind(final TransportContext ctx, final MessageHandler handler)
    {
        final Endpoint endpoint = new Endpoint(ctx, handler, "server");
        try
        {
            final ServerBootstrap bootstrap = new ServerBootstrap()
                .group(endpoint.group)
                .channel(endpoint.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, endpoint.waterMark())
                .childHandler(new ChannelInitializer<>()
                {
                    @Override
                    protected void initChannel(final Channel ch)
                    {
                        endpoint.initChannel(ch, true, null, false, null, 0);
                    }
                });
            final Channel channel = bootstrap.bind(endpoint.ctx.host(), endpoint.ctx.port()).syncUninterruptibly().channel();
            LOG.info("node {} listens on {} ({})", endpoint.nodeId,
                channel.localAddress(), endpoint.kind);
            return new TransportServer(endpoint, channel);
        }
        catch (final Exception e) // Netty rethrows a failed bind's checked IOException undeclared
        {
            endpoint.close();
            throw new TransportException("cannot bind node " + endpoint.nodeId + " to " + ctx.host() + ":" + ctx.port() +
                " over " + endpoint.kind + ": " + e, e);
        }
    }

    /**
     * Returns the bound port (the ephemeral one when the context asked for 0).
     *
     * @return the bound port (the ephemeral one when the context asked for 0).
     */
    public int port()
    {
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    /**
     * Returns the bound host.
     *
     * @return the bound host.
     */
    public String host()
    {
        return endpoint.ctx.host();
    }

    /**
     * Returns the transport that runs.
     *
     * @return the transport that runs.
     */
    public TransportKind kind()
    {
        return endpoint.kind;
    }

    /**
     * The node id this server announces in handshakes.
     *
     * @return the id from its {@link TransportContext#nodeId()}.
     */
    public String nodeId()
    {
        return endpoint.nodeId;
    }

    /**
     * This endpoint's counters (frames, bytes, refused peers, objects served and pulled), live.
     *
     * @return the counters.
     */
    public TransportCounters counters()
    {
        return endpoint.counters;
    }

    /**
     * Returns the open connections, inbound and outbound (a snapshot).
     *
     * @return the open connections, inbound and outbound (a snapshot).
     */
    public Collection<Connection> connections()
    {
        return List.copyOf(endpoint.connections);
    }

    /**
     * Connects to another node and completes the handshake, waiting up to connect + handshake timeout.
     *
     * @param host peer host.
     * @param port peer port.
     * @return the authenticated connection; closing it leaves this server running.
     * @throws HandshakeException when either side refuses the other.
     * @throws TransportException when the peer cannot be reached.
     */
    public Connection connect(final String host, final int port)
    {
        return await(connectAsync(host, port), endpoint.ctx, host, port);
    }

    /**
     * Connects to another node without waiting: the same as {@link #connect(String, int)}, as a future.
     *
     * @param host peer host.
     * @param port peer port.
     * @return completes with the authenticated connection; fails with {@link HandshakeException} or
     *         {@link TransportException}.
     */
    public CompletableFuture<Connection> connectAsync(final String host, final int port)
    {
        return endpoint.connect(host, port, false);
    }

    /**
     * Closes every connection (failing their pending requests and pulls), unbinds and stops the event
     * loops. Idempotent.
     */
    @Override
    public void close()
    {
        endpoint.channels.add(serverChannel);
        endpoint.close();
    }

    @Override
    public String toString()
    {
        return "TransportServer{node=" + endpoint.nodeId + ", address=" + serverChannel.localAddress() + ", kind=" +
            endpoint.kind + '}';
    }

    static Connection await(final CompletableFuture<Connection> future, final TransportContext ctx, final String host,
        final int port)
    {
        try
        {
            return future.get(ctx.connectTimeoutMs() + ctx.handshakeTimeoutMs() + 1_000, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException e)
        {
            if (e.getCause() instanceof TransportException te)
            {
                throw te;
            }
            throw new TransportException("cannot connect to " + host + ":" + port + ": " + e.getCause(), e.getCause());
        }
        catch (final TimeoutException e)
        {
            future.thenAccept(Connection::close);
            throw new TransportException("connecting to " + host + ":" + port + " timed out", e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            future.thenAccept(Connection::close);
            throw new TransportException("interrupted while connecting to " + host + ":" + port, e);
        }
    }
}
