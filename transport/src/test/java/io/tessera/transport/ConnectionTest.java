package io.tessera.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.tessera.transport.internal.FrameLayout;
import io.tessera.transport.internal.HandshakeLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.tessera.testing.Await.until;
import static io.tessera.transport.TransportTestSupport.context;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Handshake, request/reply and one-way messages, run on every transport kind this machine has.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionTest
{
    private static final int ECHO = 100;
    private static final int FAIL = 101;
    private static final int NOTE = 102;

    private TransportServer server;
    private Connection client;

    @AfterEach
    void tearDown()
    {
        TransportTestSupport.closeAll(client, server);
        TransportTestSupport.assertNoTransportThreads();
    }

    private TransportServer echoServer(final TransportKind kind, final BlockingQueue<String> notes)
    {
        return TransportServer.bind(context(kind, "server"), new MessageHandler()
        {
            @Override
            public void onMessage(final Connection c, final int type, final long correlationId, final MemorySegment payload)
            {
                switch (type)
                {
                    case ECHO -> c.reply(correlationId, ECHO, payload);
                    case FAIL -> c.replyError(correlationId, "no such task " + new String(payload.toArray(
                        java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
                    case NOTE -> notes.add(c.peerNodeId() + ":" + new String(payload.toArray(
                        java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
                    default -> throw new IllegalStateException("unexpected type " + type);
                }
            }
        });
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldHandshakeAndExchangeNodeIds(final TransportKind kind) throws Exception
    {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        final CompletableFuture<Connection> opened = new CompletableFuture<>();
        server = TransportServer.bind(context(kind, "head"), new MessageHandler()
        {
            @Override
            public void onMessage(final Connection c, final int type, final long id, final MemorySegment payload)
            {
            }

            @Override
            public void onOpen(final Connection c)
            {
                opened.complete(c);
            }
        });
        assertEquals(kind, server.kind());
        assertTrue(server.port() > 0);
        client = TransportClient.connect(context(kind, "worker-1"), "127.0.0.1", server.port());
        assertEquals("head", client.peerNodeId());
        assertEquals("worker-1", client.localNodeId());
        assertEquals(kind, client.kind());
        final Connection accepted = opened.get(5, TimeUnit.SECONDS);
        assertEquals("worker-1", accepted.peerNodeId());
        assertEquals(0, server.counters().rejectedHandshakes());
        for (final Connection c : List.of(client, accepted))
        {
            final ChannelPipeline pipeline = ((ChannelConnection)c).channel.pipeline();
            until("the handshake handler leaves the pipeline of " + c, Duration.ofSeconds(5),
                () -> pipeline.get(HandshakeHandler.class) == null);
            assertInstanceOf(FrameAdapter.class, pipeline.get("frames"), "frames are decoded by the adapter alone");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldAnswerRequestsAndDeliverOneWayMessages(final TransportKind kind) throws Exception
    {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        final BlockingQueue<String> notes = new ArrayBlockingQueue<>(16);
        server = echoServer(kind, notes);
        client = TransportClient.connect(context(kind, "driver"), "127.0.0.1", server.port());

        final byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++)
        {
            big[i] = (byte)(i * 7);
        }
        final CompletableFuture<byte[]> a = client.request(ECHO, "ping".getBytes(StandardCharsets.UTF_8));
        final CompletableFuture<byte[]> b = client.request(ECHO, MemorySegment.ofArray(big));
        final CompletableFuture<byte[]> empty = client.request(ECHO, new byte[0]);
        assertEquals("ping", new String(a.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        assertArrayEquals(big, b.get(5, TimeUnit.SECONDS));
        assertEquals(0, empty.get(5, TimeUnit.SECONDS).length);

        client.send(NOTE, "hello".getBytes(StandardCharsets.UTF_8));
        client.send(NOTE, Unpooled.wrappedBuffer("buf".getBytes(StandardCharsets.UTF_8)));
        assertEquals("driver:hello", notes.poll(5, TimeUnit.SECONDS));
        assertEquals("driver:buf", notes.poll(5, TimeUnit.SECONDS));

        final ExecutionException failed = assertThrows(ExecutionException.class,
            () -> client.request(FAIL, "42".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS));
        assertInstanceOf(RemoteException.class, failed.getCause());
        assertTrue(failed.getCause().getMessage().contains("no such task 42"), failed.getCause().getMessage());

        final CompletableFuture<byte[]> handlerFailure = client.request(103, new byte[1]);
        final ExecutionException thrown = assertThrows(ExecutionException.class, () -> handlerFailure.get(5, TimeUnit.SECONDS));
        assertTrue(thrown.getCause().getMessage().contains("unexpected type 103"), thrown.getCause().getMessage());

        assertTrue(server.counters().framesIn() >= 7);
        assertTrue(TransportClient.counters(client).bytesOut() > big.length);
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldKeepEachThreadsMessagesInOrderWhenBurstsFromManyThreadsShareFlushes(final TransportKind kind) throws Exception
    {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        final int threads = 4;
        final int each = 3_000;
        final BlockingQueue<String> notes = new ArrayBlockingQueue<>(threads * each);
        server = echoServer(kind, notes);
        client = TransportClient.connect(context(kind, "driver"), "127.0.0.1", server.port());
        final List<Thread> senders = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final int thread = t;
            senders.add(Thread.ofPlatform().start(() ->
            {
                for (int i = 0; i < each; i++)
                {
                    final byte[] note = (thread + "/" + i).getBytes(StandardCharsets.UTF_8);
                    if (i % 2 == 0)
                    {
                        client.send(NOTE, note);
                    }
                    else
                    {
                        client.send(NOTE, Unpooled.wrappedBuffer(note));
                    }
                }
            }));
        }
        final CompletableFuture<?>[] echoes = new CompletableFuture<?>[1_000];
        for (int i = 0; i < echoes.length; i++)
        {
            echoes[i] = client.request(ECHO, new byte[] {(byte)i});
        }
        for (Thread s : senders)
        {
            s.join();
        }
        for (int i = 0; i < echoes.length; i++)
        {
            assertArrayEquals(new byte[] {(byte)i}, (byte[])echoes[i].get(10, TimeUnit.SECONDS));
        }
        final int[] next = new int[threads];
        for (int n = 0; n < threads * each; n++)
        {
            final String note = notes.poll(10, TimeUnit.SECONDS);
            assertTrue(note != null, "only " + n + " of " + threads * each + " messages arrived");
            final String[] threadAndIndex = note.substring("driver:".length()).split("/");
            final int thread = Integer.parseInt(threadAndIndex[0]);
            assertEquals(next[thread], Integer.parseInt(threadAndIndex[1]), "thread " + thread + "'s messages out of order");
            next[thread]++;
        }
        assertTrue(server.counters().framesIn() >= threads * each + echoes.length);
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldFlushABurstFromAnotherThreadOnce(final TransportKind kind) throws Exception
    {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        final int burst = 100;
        final BlockingQueue<String> notes = new ArrayBlockingQueue<>(burst);
        server = echoServer(kind, notes);
        client = TransportClient.connect(context(kind, "driver"), "127.0.0.1", server.port());
        final TransportCounters counters = TransportClient.counters(client);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        // the event loop busy elsewhere while this thread sends a burst
        ((ChannelConnection)client).channel.eventLoop().execute(() ->
        {
            held.countDown();
            try
            {
                release.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        held.await();
        final long flushesBefore = counters.messageFlushes();
        final long framesBefore = counters.framesOut();
        for (int i = 0; i < burst; i++)
        {
            client.send(NOTE, String.valueOf(i).getBytes(StandardCharsets.UTF_8));
        }
        release.countDown();
        for (int i = 0; i < burst; i++)
        {
            assertEquals("driver:" + i, notes.poll(10, TimeUnit.SECONDS));
        }
        assertEquals(burst, counters.framesOut() - framesBefore);
        assertEquals(1, counters.messageFlushes() - flushesBefore, "one flush for the whole burst");
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldLetTheServerSideSendRequestsToo(final TransportKind kind) throws Exception
    {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        final CompletableFuture<Connection> inbound = new CompletableFuture<>();
        server = TransportServer.bind(context(kind, "head"), new MessageHandler()
        {
            @Override
            public void onMessage(final Connection c, final int type, final long id, final MemorySegment payload)
            {
            }

            @Override
            public void onOpen(final Connection c)
            {
                inbound.complete(c);
            }
        });
        client = TransportClient.connect(context(kind, "worker"), "127.0.0.1", server.port(),
            (c, type, id, payload) -> c.reply(id, type, MemorySegment.ofArray(new byte[]{(byte)payload.byteSize()})));
        final byte[] reply = inbound.get(5, TimeUnit.SECONDS).request(200, new byte[5]).get(5, TimeUnit.SECONDS);
        assertArrayEquals(new byte[]{5}, reply);
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldRefuseAPeerWithTheWrongToken(final TransportKind kind)
    {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        server = echoServer(kind, new ArrayBlockingQueue<>(1));
        final TransportContext wrong = context(kind, "intruder").token("not-the-cluster-token-at-all");
        final HandshakeException e = assertThrows(HandshakeException.class,
            () -> TransportClient.connect(wrong, "127.0.0.1", server.port()));
        assertTrue(e.getMessage().contains("cluster token"), e.getMessage());
        until("server counts the refused handshake", Duration.ofMillis(5_000), () -> server.counters().rejectedHandshakes() == 1);
        assertTrue(server.connections().isEmpty());
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldCloseConnectionsBeyondTheCapOfHandshakesInProgress(final TransportKind kind) throws Exception
    {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        server = TransportServer.bind(context(kind, "capped").maxPendingHandshakes(2), MessageHandler.ignoring());
        final Socket silent1 = new Socket("127.0.0.1", server.port());
        final Socket silent2 = new Socket("127.0.0.1", server.port());
        try (Socket third = new Socket("127.0.0.1", server.port()))
        {
            third.setSoTimeout(4_000);
            assertEquals(-1, third.getInputStream().read(), "a third unauthenticated peer is closed at once");
            until("server counts the refusal", Duration.ofMillis(5_000), () -> server.counters().rejectedHandshakes() == 1);
            assertThrows(HandshakeException.class, () -> TransportClient.connect(context(kind, "late"), "127.0.0.1", server.port()),
                "while two peers sit in the handshake, even a peer with the token waits for a free place");
        }
        finally
        {
            silent1.close();
            silent2.close();
        }
        until("the silent peers' places are free again", Duration.ofMillis(5_000), () ->
        {
            try (Connection ok = TransportClient.connect(context(kind, "member"), "127.0.0.1", server.port()))
            {
                return ok.isOpen();
            }
            catch (final RuntimeException stillFull)
            {
                return false;
            }
        });
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldRefuseAPeerWithAnotherProtocolVersion(final TransportKind kind) throws IOException
    {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        server = echoServer(kind, new ArrayBlockingQueue<>(1));
        try (Socket socket = new Socket("127.0.0.1", server.port()))
        {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(hello(HandshakeLayout.MAGIC, HandshakeLayout.PROTOCOL_VERSION + 1, "future-node"));
            final String reason = readReject(socket.getInputStream());
            assertTrue(reason.contains("protocol version " + (HandshakeLayout.PROTOCOL_VERSION + 1)), reason);
            assertEquals(-1, socket.getInputStream().read(), "server closes after REJECT");
        }
        until("server counts the refused handshake", Duration.ofMillis(5_000), () -> server.counters().rejectedHandshakes() == 1);
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldFailPendingRequestsWhenTheConnectionCloses(final TransportKind kind) throws Exception
    {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        final CompletableFuture<Connection> inbound = new CompletableFuture<>();
        server = TransportServer.bind(context(kind, "silent"), new MessageHandler()
        {
            @Override
            public void onMessage(final Connection c, final int type, final long id, final MemorySegment payload)
            {
            }

            @Override
            public void onOpen(final Connection c)
            {
                inbound.complete(c);
            }
        });
        client = TransportClient.connect(context(kind, "driver"), "127.0.0.1", server.port());
        final CompletableFuture<byte[]> unanswered = client.request(ECHO, new byte[3]);
        until("request reached the server", Duration.ofMillis(5_000), () -> server.counters().framesIn() >= 3);
        inbound.get(5, TimeUnit.SECONDS).close();
        final ExecutionException e = assertThrows(ExecutionException.class, () -> unanswered.get(5, TimeUnit.SECONDS));
        assertInstanceOf(ConnectionClosedException.class, e.getCause());
        client.closeFuture().get(5, TimeUnit.SECONDS);
        assertFalse(client.isOpen());
        assertThrows(ConnectionClosedException.class, () -> client.send(ECHO, new byte[1]));
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"NIO"})
    void shouldRejectReservedTypesAndOversizePayloads(final TransportKind kind)
    {
        server = echoServer(kind, new ArrayBlockingQueue<>(1));
        client = TransportClient.connect(context(kind, "driver"), "127.0.0.1", server.port());
        final TransportException reserved = assertThrows(TransportException.class, () -> client.send(FrameLayout.TYPE_PULL, new byte[1]));
        assertTrue(reserved.getMessage().contains("got " + FrameLayout.TYPE_PULL), reserved.getMessage());
        assertThrows(TransportException.class, () -> client.send(70_000, new byte[1]));
        final TransportException tooBig = assertThrows(TransportException.class, () -> client.request(ECHO, new byte[2 << 20]));
        assertTrue(tooBig.getMessage().contains("exceeds the frame limit"), tooBig.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"AUTO"})
    void shouldTimeOutARequestNobodyAnswers(final TransportKind kind)
    {
        server = TransportServer.bind(context(kind, "mute"), MessageHandler.ignoring());
        client = TransportClient.connect(context(kind, "driver").requestTimeoutMs(200), "127.0.0.1", server.port());
        final ExecutionException e = assertThrows(ExecutionException.class,
            () -> client.request(ECHO, new byte[1]).get(5, TimeUnit.SECONDS));
        assertInstanceOf(java.util.concurrent.TimeoutException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("node mute"), e.getCause().getMessage());
        assertTrue(client.isOpen(), "a timed-out request leaves the connection open");
    }

    static byte[] hello(final int magic, final int version, final String nodeId)
    {
        final byte[] id = nodeId.getBytes(StandardCharsets.UTF_8);
        final int length = FrameLayout.HEADER_LENGTH + HandshakeLayout.HELLO_NODE_ID_OFFSET + id.length;
        final ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(length).putShort((short)FrameLayout.TYPE_HELLO).put((byte)0).put((byte)0).putLong(0);
        b.putInt(magic).putShort((short)version).putShort((short)0).put(new byte[HandshakeLayout.NONCE_LENGTH]);
        b.putShort((short)id.length).put(id);
        return b.array();
    }

    static String readReject(final InputStream in) throws IOException
    {
        final DataInputStream data = new DataInputStream(in);
        final byte[] header = new byte[FrameLayout.HEADER_LENGTH];
        data.readFully(header);
        final ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        final int length = h.getInt(0);
        assertEquals(FrameLayout.TYPE_REJECT, h.getShort(4));
        final byte[] reason = new byte[length - FrameLayout.HEADER_LENGTH];
        data.readFully(reason);
        return new String(reason, StandardCharsets.UTF_8);
    }
}
