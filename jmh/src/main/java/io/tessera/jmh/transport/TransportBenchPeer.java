package io.tessera.jmh.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.StoreContext;
import io.tessera.transport.TransportContext;
import io.tessera.transport.TransportKind;
import io.tessera.transport.TransportServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The benchmarks' second JVM. Runs, on one transport kind: a Tessera node serving one object from its
 * store and echoing type-100 requests, a raw Netty stream server and a raw Netty echo server. Prints
 * {@code READY <object id> <tessera port> <stream port> <echo port>} and exits when stdin closes.
 * <p>
 * Arguments: kind, object size. Token: hex in {@value #TOKEN_ENV}; the Tessera node runs mutual TLS when
 * {@value BenchTls#KEY_STORE_ENV} names a key store (the raw Netty servers stay plain text).
 */
public final class TransportBenchPeer
{
    static final String TOKEN_ENV = "TESSERA_BENCH_TOKEN";
    static final int ECHO = 100;

    private TransportBenchPeer()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final TransportKind kind = TransportKind.valueOf(args[0]);
        final long size = Long.parseLong(args[1]);
        final byte[] token = HexFormat.of().parseHex(System.getenv(TOKEN_ENV));
        final String tlsEnv = System.getenv(BenchTls.KEY_STORE_ENV);
        final Path tlsKeyStore = tlsEnv == null ? null : Path.of(tlsEnv);
        final Path path = Path.of("/dev/shm", "tessera-bench-peer-" + ProcessHandle.current().pid() + ".store");
        final EventLoopGroup raw = RawNetty.group(kind, 1, "raw-netty-peer");
        final ByteBuf source = Unpooled.directBuffer((int)size);
        while (source.writableBytes() >= 8)
        {
            source.writeLong(ThreadLocalRandom.current().nextLong());
        }
        try (ObjectStore store = ObjectStore.create(new StoreContext().path(path).capacityBytes(size + (32L << 20)));
             TransportServer server = TransportServer.bind(BenchTls.apply(new TransportContext().kind(kind).nodeId("bench-peer")
                 .token(token).store(store).ioThreads(1), tlsKeyStore), (c, type, id, payload) -> c.reply(id, type, payload)))
        {
            final ObjectId id = ObjectId.random();
            final MemorySegment object = store.create(id, size, 1);
            for (long i = 0; i < size; i += 8)
            {
                object.set(ValueLayout.JAVA_LONG_UNALIGNED, Math.min(i, size - 8), ThreadLocalRandom.current().nextLong());
            }
            store.seal(id);
            final Channel stream = RawNetty.bind(kind, raw, () -> new RawNetty.StreamServer(source));
            final Channel echo = RawNetty.bind(kind, raw, RawNetty.EchoServer::new);
            System.out.println("READY " + id + " " + server.port() + " " + port(stream) + " " + port(echo));
            System.out.flush();
            while (System.in.read() >= 0)
            {
                continue;
            }
            stream.close().syncUninterruptibly();
            echo.close().syncUninterruptibly();
        }
        finally
        {
            source.release();
            raw.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static int port(final Channel channel)
    {
        return ((InetSocketAddress)channel.localAddress()).getPort();
    }

    /**
     * Starts a peer JVM with this JVM's java, class path and flags.
     */
    static Peer start(final TransportKind kind, final long objectSize, final byte[] token) throws IOException, InterruptedException
    {
        return start(kind, objectSize, token, null);
    }

    /**
     * The same, the Tessera node on mutual TLS from {@code tlsKeyStore} unless it is null.
     */
    static Peer start(final TransportKind kind, final long objectSize, final byte[] token, final Path tlsKeyStore)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--") || arg.startsWith("-D"))
            {
                command.add(arg);
            }
        }
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TransportBenchPeer.class.getName());
        command.add(kind.name());
        command.add(Long.toString(objectSize));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put(TOKEN_ENV, HexFormat.of().formatHex(token));
        if (tlsKeyStore != null)
        {
            builder.environment().put(BenchTls.KEY_STORE_ENV, tlsKeyStore.toString());
        }
        final Process process = builder.start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null)
        {
            if (line.startsWith("READY "))
            {
                final String[] f = line.split(" ");
                return new Peer(process, ObjectId.parse(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]));
            }
        }
        process.destroyForcibly();
        throw new IOException("benchmark peer exited before it was ready (exit " + process.waitFor() + ")");
    }

    record Peer(Process process, ObjectId objectId, int tesseraPort, int streamPort, int echoPort)
    {
        void stop() throws InterruptedException
        {
            try
            {
                process.getOutputStream().close();
            }
            catch (final IOException e)
            {
                process.destroyForcibly();
            }
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
