package io.tessera.jmh.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.tessera.transport.Connection;
import io.tessera.transport.TransportClient;
import io.tessera.transport.TransportContext;
import io.tessera.transport.TransportKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Round trip of a small message to a peer JVM ({@link TransportBenchPeer}) and back over loopback.
 * {@code tesseraRequestReply}: {@link Connection#request} with a 16-byte payload (32 bytes on the
 * wire) answered by the peer's handler with {@link Connection#reply}. {@code rawNettyPingPong}: the
 * baseline, 32 bytes written by plain Netty on the same transport kind and echoed back.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class RequestReplyLatency
{
    private static final int WIRE_BYTES = 32;

    @Param({"IO_URING", "EPOLL", "NIO"})
    public String kind;

    /** true: the Tessera connection runs mutual TLS (the raw Netty baselines stay plain text). */
    @Param({"false", "true"})
    public boolean tls;

    private TransportBenchPeer.Peer peer;
    private Connection connection;
    private EventLoopGroup rawGroup;
    private Channel rawChannel;
    private RawNetty.CountingClient rawClient;
    private final byte[] payload = new byte[16];

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        final TransportKind transportKind = TransportKind.valueOf(kind);
        final byte[] token = TransportContext.randomToken();
        final java.nio.file.Path tlsKeyStore = tls ? BenchTls.createKeyStore() : null;
        peer = TransportBenchPeer.start(transportKind, 1 << 16, token, tlsKeyStore);
        connection = TransportClient.connect(
            BenchTls.apply(new TransportContext().kind(transportKind).nodeId("bench-client").token(token), tlsKeyStore),
            "127.0.0.1", peer.tesseraPort());
        rawGroup = RawNetty.group(transportKind, 1, "raw-netty-client");
        rawClient = new RawNetty.CountingClient();
        rawChannel = RawNetty.connect(transportKind, rawGroup, peer.echoPort(), rawClient);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        rawChannel.close().syncUninterruptibly();
        rawGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        connection.close();
        peer.stop();
    }

    @Benchmark
    public byte[] tesseraRequestReply()
    {
        return connection.request(TransportBenchPeer.ECHO, payload).join();
    }

    @Benchmark
    public void rawNettyPingPong()
    {
        final CompletableFuture<Void> done = rawClient.expect(WIRE_BYTES);
        rawChannel.writeAndFlush(Unpooled.directBuffer(WIRE_BYTES).writeZero(WIRE_BYTES));
        done.join();
    }
}
