package io.tessera.jmh.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.tessera.transport.Connection;
import io.tessera.transport.TransportClient;
import io.tessera.transport.TransportContext;
import io.tessera.transport.TransportKind;

import java.util.concurrent.CompletableFuture;

/**
 * The wire's floor for other suites (the cluster ones): a {@link TransportBenchPeer} JVM answering
 * Tessera transport requests and a raw Netty echo, on the auto-selected transport kind.
 */
public final class TransportBaseline implements AutoCloseable
{
    private static final int WIRE_BYTES = 32;

    private final TransportBenchPeer.Peer peer;
    private final Connection connection;
    private final EventLoopGroup rawGroup;
    private final Channel rawChannel;
    private final RawNetty.CountingClient rawClient;
    private final byte[] payload = new byte[16];

    private TransportBaseline(TransportKind kind) throws Exception
    {
        final byte[] token = TransportContext.randomToken();
        peer = TransportBenchPeer.start(kind, 1 << 16, token);
        connection = TransportClient.connect(new TransportContext().kind(kind).nodeId("bench-baseline").token(token),
            "127.0.0.1", peer.tesseraPort());
        rawGroup = RawNetty.group(kind, 1, "bench-baseline-raw");
        rawClient = new RawNetty.CountingClient();
        rawChannel = RawNetty.connect(kind, rawGroup, peer.echoPort(), rawClient);
    }

    public static TransportBaseline start() throws Exception
    {
        return new TransportBaseline(TransportKind.AUTO.resolve());
    }

    /** One Tessera transport request/reply to the peer JVM. */
    public void requestReply()
    {
        connection.request(TransportBenchPeer.ECHO, payload).join();
    }

    /** {@code n} requests in flight at once, then all replies. */
    public void pipelinedRequests(int n)
    {
        final CompletableFuture<?>[] f = new CompletableFuture<?>[n];
        for (int i = 0; i < n; i++)
        {
            f[i] = connection.request(TransportBenchPeer.ECHO, payload);
        }
        CompletableFuture.allOf(f).join();
    }

    /** 32 bytes to the raw Netty echo and back. */
    public void rawPingPong()
    {
        final CompletableFuture<Void> done = rawClient.expect(WIRE_BYTES);
        rawChannel.writeAndFlush(Unpooled.directBuffer(WIRE_BYTES).writeZero(WIRE_BYTES));
        done.join();
    }

    @Override
    public void close() throws Exception
    {
        connection.close();
        rawChannel.close().sync();
        rawGroup.shutdownGracefully().sync();
        peer.stop();
    }
}
