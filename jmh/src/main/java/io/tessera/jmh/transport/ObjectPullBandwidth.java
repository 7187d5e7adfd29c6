package io.tessera.jmh.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.StoreContext;
import io.tessera.transport.Connection;
import io.tessera.transport.ObjectTransfer;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time to move one object of {@code bytes} from a holder JVM ({@link TransportBenchPeer}) into this
 * JVM over loopback. {@code tesseraPull}: {@link ObjectTransfer#pull} from the peer's store into a
 * local store (create, credit-controlled chunks copied into the store segment, seal), then delete.
 * {@code rawNettyStream}: the baseline, the same number of bytes streamed by plain Netty on the same
 * transport kind and discarded on arrival. {@code rawNettyStreamIntoMemory}: the same stream copied
 * on arrival into a pre-touched off-heap buffer of the object's size, the memory traffic any receiver
 * that keeps the bytes pays (a reference point, not the target's baseline). Bandwidth = bytes / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class ObjectPullBandwidth
{
    @Param({"IO_URING", "EPOLL", "NIO"})
    public String kind;

    /** true: the Tessera connection runs mutual TLS (the raw Netty baselines stay plain text). */
    @Param({"false", "true"})
    public boolean tls;

    @Param({"67108864"})
    public long bytes;

    private TransportBenchPeer.Peer peer;
    private ObjectStore local;
    private Connection connection;
    private EventLoopGroup rawGroup;
    private Channel rawChannel;
    private RawNetty.CountingClient rawClient;
    private Channel rawCopyChannel;
    private RawNetty.CountingClient rawCopyClient;
    private Arena arena;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        final TransportKind transportKind = TransportKind.valueOf(kind);
        final byte[] token = TransportContext.randomToken();
        final java.nio.file.Path tlsKeyStore = tls ? BenchTls.createKeyStore() : null;
        peer = TransportBenchPeer.start(transportKind, bytes, token, tlsKeyStore);
        local = ObjectStore.create(new StoreContext()
            .path(Path.of("/dev/shm", "tessera-bench-puller-" + ProcessHandle.current().pid() + ".store"))
            .capacityBytes(bytes + (32L << 20)));
        connection = TransportClient.connect(
            BenchTls.apply(new TransportContext().kind(transportKind).nodeId("bench-puller").token(token), tlsKeyStore),
            "127.0.0.1", peer.tesseraPort());
        rawGroup = RawNetty.group(transportKind, 1, "raw-netty-client");
        rawClient = new RawNetty.CountingClient();
        rawChannel = RawNetty.connect(transportKind, rawGroup, peer.streamPort(), rawClient);
        arena = Arena.ofShared();
        final MemorySegment sink = arena.allocate(bytes, 64);
        sink.fill((byte)1);
        rawCopyClient = new RawNetty.CountingClient(sink);
        rawCopyChannel = RawNetty.connect(transportKind, rawGroup, peer.streamPort(), rawCopyClient);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        rawChannel.close().syncUninterruptibly();
        rawCopyChannel.close().syncUninterruptibly();
        rawGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        connection.close();
        local.close();
        arena.close();
        peer.stop();
    }

    @Benchmark
    public long tesseraPull()
    {
        final long size = ObjectTransfer.pull(local, peer.objectId(), connection).join().sizeBytes();
        local.delete(peer.objectId());
        return size;
    }

    @Benchmark
    public void rawNettyStream()
    {
        final CompletableFuture<Void> done = rawClient.expect(bytes);
        rawChannel.writeAndFlush(Unpooled.buffer(8).writeLongLE(bytes));
        done.join();
    }

    @Benchmark
    public void rawNettyStreamIntoMemory()
    {
        final CompletableFuture<Void> done = rawCopyClient.expect(bytes);
        rawCopyChannel.writeAndFlush(Unpooled.buffer(8).writeLongLE(bytes));
        done.join();
    }
}
