package io.tessera.nativetests.cluster;

import io.tessera.internal.cluster.ClusterClient;
import io.tessera.internal.cluster.ClusterMember;
import io.tessera.transport.Connection;
import io.tessera.transport.TransportClient;
import io.tessera.transport.TransportContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every engine message type, after the handshake, with random, truncated and plausible-but-wrong
 * bodies, from a peer with the token that declared the most privileged role (node), at the head
 * (which is also a worker node): it answers or ignores each, stays up, keeps the connection and
 * keeps serving. {@code -Dtessera.fuzz.frames=N} sets the number of frames (default 20 000; the
 * {@code fuzz} Maven profile sends 1 000 000). Seeded: a failure names its seed and frame.
 */
class ClusterFuzzTest
{
    private static final int FRAMES = Integer.getInteger("tessera.fuzz.frames", 20_000);
    private static final long SEED = Long.getLong("tessera.fuzz.seed", 0x5EEDL);
    /** Every engine message type (Msg.java) but ROLE, which is sent once per connection. */
    private static final int[] TYPES = IntStream.concat(IntStream.rangeClosed(100, 124), IntStream.of(130, 131)).toArray();
    /** Types that carry no reply (Msg.java): sent one-way only, as their senders do. */
    private static final java.util.Set<Integer> ONE_WAY = java.util.Set.of(101, 106, 107, 108, 109, 116, 117, 119, 120, 121, 123, 130);
    private static final int ROLE = 125;
    private static final int STATUS = 103;
    private static final int WINDOW = 64;

    private ClusterFixture cluster;

    @AfterEach
    void tearDown() throws Exception
    {
        if (cluster != null)
        {
            cluster.close();
        }
    }

    @Test
    void shouldAnswerOrIgnoreEveryMalformedEngineMessageAndKeepServing()
    {
        assertTimeoutPreemptively(Duration.ofSeconds(120 + FRAMES / 200), this::fuzz);
    }

    private void fuzz() throws Exception
    {
        cluster = new ClusterFixture("fuzz");
        cluster.startHead(0, "--cpus", "1");
        final String address = cluster.headAddress();
        final Random random = new Random(SEED);
        final TransportContext ctx = new TransportContext().token(ClusterFixture.TOKEN).nodeId("fuzzer");
        final String host = address.substring(0, address.lastIndexOf(':'));
        final int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        final io.tessera.transport.MessageHandler watcher = new io.tessera.transport.MessageHandler()
        {
            @Override
            public void onMessage(Connection from, int type, long correlationId, java.lang.foreign.MemorySegment payload)
            {
                // the head asks back (e.g. FETCH_JAR for a class path the fuzzer announced): refuse at once
                if (correlationId != 0)
                {
                    from.replyError(correlationId, "the fuzzer serves nothing");
                }
            }

            @Override
            public void onClose(Connection closed, Throwable cause)
            {
                System.out.println("fuzz: connection closed: " + cause);
                if (cause != null)
                {
                    cause.printStackTrace(System.out);
                }
            }
        };
        Connection c = TransportClient.connect(ctx, host, port, watcher);
        ClusterMember.declareRole(c, "node");
        final List<CompletableFuture<byte[]>> window = new ArrayList<>();
        final List<Integer> windowTypes = new ArrayList<>();
        int sent = 0;
        final long started = System.nanoTime();
        int reconnects = 0;
        final java.util.ArrayDeque<String> recent = new java.util.ArrayDeque<>();
        for (int frame = 0; frame < FRAMES; frame++)
        {
            if (!c.isOpen())
            {
                System.out.println("fuzz: connection closed at frame " + frame + " (head alive: " + cluster.head.isAlive()
                    + "), after " + recent);
                reconnects++;
                c = TransportClient.connect(ctx, host, port, watcher);
                ClusterMember.declareRole(c, "node");
            }
            final int type = TYPES[random.nextInt(TYPES.length)];
            final byte[] body = body(random);
            recent.addLast(type + ":" + body.length);
            if (recent.size() > 12)
            {
                recent.removeFirst();
            }
            if (!ONE_WAY.contains(type) && random.nextInt(4) != 0)
            {
                window.add(c.request(type, body));
                windowTypes.add(type);
            }
            else
            {
                c.send(type, body);
            }
            sent++;
            if (window.size() >= WINDOW || frame % 5_000 == 4_999)
            {
                drain(window, windowTypes, frame);
                final byte[] status;
                try
                {
                    status = c.request(STATUS, new byte[0]).get(10, TimeUnit.SECONDS);
                }
                catch (Exception ex)
                {
                    throw new AssertionError("STATUS failed at frame " + frame + " (seed " + SEED + ", head alive: "
                        + cluster.head.isAlive() + ") after " + recent, ex);
                }
                assertTrue(status.length > 0, "the head answers STATUS after frame " + frame + " (seed " + SEED + ")");
            }
            if (frame % 10_000 == 9_999 && random.nextBoolean())
            {
                // a second ROLE on its own connection: refused, that connection closes, others are untouched
                try (Connection again = TransportClient.connect(ctx, host, port))
                {
                    ClusterMember.declareRole(again, "node");
                    again.send(ROLE, body(random));
                }
            }
        }
        final long fuzzNs = System.nanoTime() - started;
        drain(window, windowTypes, FRAMES);
        System.out.println("fuzz: " + FRAMES + " frames in " + fuzzNs / 1_000_000 + " ms");
        System.out.println("fuzz: unanswered requests by type " + SILENT);
        assertEquals(FRAMES, sent);
        assertTrue(reconnects <= FRAMES / 1000, "the head closed the fuzzer's connection " + reconnects + " times");
        final String status = ClusterClient.status(address, ClusterFixture.TOKEN);
        assertTrue(status.startsWith("nodes: "), status);
        // and real work still runs there
        final Process p = cluster.startDriver("driver", SoakDriver.class, address, "exit", "1");
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), java.nio.file.Files.readString(cluster.logs.resolve("driver.log")));
        c.close();
        System.out.println("fuzz: " + FRAMES + " engine frames (seed " + SEED + "), " + reconnects + " reconnects");
    }

    /** Waits for the replies in flight: errors are fine; silence is fine only for requests that wait on something. */
    private static final java.util.Map<Integer, Integer> SILENT = new java.util.TreeMap<>();

    private static void drain(List<CompletableFuture<byte[]>> window, List<Integer> types, int frame)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (int i = 0; i < window.size(); i++)
        {
            final CompletableFuture<byte[]> f = window.get(i);
            try
            {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (java.util.concurrent.ExecutionException answeredWithAnError)
            {
                // a refusal or a malformed-message error: what we want
            }
            catch (java.util.concurrent.TimeoutException waitsOnSomething)
            {
                // e.g. a GET_OBJECT for an object still being made
                SILENT.merge(types.get(i), 1, Integer::sum);
                f.cancel(true);
            }
            catch (InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted at frame " + frame);
            }
        }
        window.clear();
        types.clear();
    }

    /** Empty, random bytes, or a plausible body of Wire fields (strings, counts, ids) with random values. */
    private static byte[] body(Random random) throws IOException
    {
        switch (random.nextInt(4))
        {
            case 0 ->
            {
                return new byte[0];
            }
            case 1 ->
            {
                final byte[] junk = new byte[random.nextInt(300)];
                random.nextBytes(junk);
                return junk;
            }
            default ->
            {
                final ByteArrayOutputStream b = new ByteArrayOutputStream();
                final DataOutputStream out = new DataOutputStream(b);
                final int fields = 1 + random.nextInt(8);
                for (int i = 0; i < fields; i++)
                {
                    switch (random.nextInt(6))
                    {
                        case 0 ->
                        {
                            out.writeBoolean(true);
                            out.writeUTF(random.nextBoolean() ? "node-" + random.nextInt(3) : "127.0.0.1:" + random.nextInt(65536));
                        }
                        case 1 -> out.writeInt(random.nextBoolean() ? random.nextInt(4) : random.nextInt());
                        case 2 -> out.writeLong(random.nextLong());
                        case 3 -> out.writeBoolean(random.nextBoolean());
                        case 4 ->
                        {
                            out.writeBoolean(true);
                            out.writeUTF("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".substring(random.nextInt(2)));
                        }
                        default -> out.writeDouble(random.nextDouble());
                    }
                }
                final byte[] all = b.toByteArray();
                return random.nextInt(4) == 0 ? java.util.Arrays.copyOf(all, random.nextInt(all.length + 1)) : all;
            }
        }
    }
}
