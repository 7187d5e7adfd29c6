package io.tessera.transport;

import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tessera.transport.TransportTestSupport.context;
import static io.tessera.transport.TransportTestSupport.crcOf;
import static io.tessera.transport.TransportTestSupport.newStore;
import static io.tessera.transport.TransportTestSupport.putPattern;
import static io.tessera.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Mutual TLS on loopback, on every transport kind: requests and object pulls inside TLS, and the peers
 * TLS refuses (plain text, an untrusted certificate) while the server keeps serving.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsTransportTest
{
    private static final long MIB = 1L << 20;
    private static final int ECHO = 100;

    @TempDir
    static Path certDir;
    private static TestCertificates certs;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void createCertificates()
    {
        certs = TestCertificates.create(certDir);
    }

    @AfterEach
    void tearDown()
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            TransportTestSupport.closeAll(resources.get(i));
        }
        TransportTestSupport.assertNoTransportThreads();
    }

    private <T extends AutoCloseable> T keep(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    private TransportContext tls(final TransportKind kind, final String nodeId)
    {
        return certs.apply(context(kind, nodeId));
    }

    private TransportServer echoServer(final TransportContext ctx)
    {
        return keep(TransportServer.bind(ctx, (c, type, correlationId, payload) -> c.reply(correlationId, type, payload)));
    }

    private static void assertEchoes(final Connection c) throws Exception
    {
        final byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++)
        {
            big[i] = (byte)(i * 7);
        }
        assertArrayEquals("ping".getBytes(StandardCharsets.UTF_8),
            c.request(ECHO, "ping".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS));
        assertArrayEquals(big, c.request(ECHO, MemorySegment.ofArray(big)).get(10, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldExchangeRequestsAndPullAnObjectIntactOverTls(final TransportKind kind) throws Exception
    {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        final ObjectStore remote = keep(newStore(64 * MIB));
        final ObjectStore local = keep(newStore(64 * MIB));
        final TransportServer holder = keep(TransportServer.bind(tls(kind, "holder").store(remote),
            (c, type, correlationId, payload) -> c.reply(correlationId, type, payload)));
        final Connection driver = keep(TransportClient.connect(tls(kind, "driver").store(local), "127.0.0.1", holder.port()));
        assertEquals("holder", driver.peerNodeId());
        assertEchoes(driver);

        final long size = 24 * MIB + 17;
        final ObjectId id = ObjectId.random();
        final long crc = putPattern(remote, id, size, 9, 11);
        final PulledObject pulled = ObjectTransfer.pull(local, id, driver).get(60, TimeUnit.SECONDS);
        assertEquals(size, pulled.sizeBytes());
        assertEquals(crc, crcOf(local, id), "checksum of the object pulled over TLS");
        assertEquals(0, TransportClient.counters(driver).directReadBytes(),
            "under TLS no socket read lands in the store: chunks are copied from decrypted buffers");
        until("holder released every pin", Duration.ofMillis(5_000), () -> remote.stats().pinned() == 0);
        assertEquals(0, holder.counters().rejectedHandshakes());
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldConnectServerToServerOverTlsWithHostnameVerification(final TransportKind kind) throws Exception
    {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        final TransportServer head = echoServer(tls(kind, "head"));
        final TransportServer worker = echoServer(tls(kind, "worker").tlsHostnameVerification(true));
        final Connection toHead = worker.connect("127.0.0.1", head.port());
        assertEquals("head", toHead.peerNodeId());
        assertEchoes(toHead);
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldRefuseAPlainTextPeerAndKeepServing(final TransportKind kind) throws Exception
    {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        final TransportServer server = echoServer(tls(kind, "server"));
        assertThrows(HandshakeException.class, () -> TransportClient.connect(context(kind, "plain"), "127.0.0.1", server.port()),
            "a client with the token but without TLS is refused");
        until("server counts the refused plain-text peer", Duration.ofMillis(5_000), () -> server.counters().rejectedHandshakes() == 1);
        final Connection ok = keep(TransportClient.connect(tls(kind, "member"), "127.0.0.1", server.port()));
        assertEchoes(ok);
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldRefuseAClientWhoseCertificateIsNotTrusted(final TransportKind kind) throws Exception
    {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        final TransportServer server = echoServer(tls(kind, "server"));
        assertThrows(TransportException.class,
            () -> TransportClient.connect(certs.applyRogue(context(kind, "rogue")), "127.0.0.1", server.port()).close(),
            "a client with the token but a certificate the CA did not sign is refused");
        until("server counts the refused certificate", Duration.ofMillis(5_000), () -> server.counters().rejectedHandshakes() == 1);
        final Connection ok = keep(TransportClient.connect(tls(kind, "member"), "127.0.0.1", server.port()));
        assertEchoes(ok);
    }

    @Test
    void shouldRefuseAServerWhoseCertificateIsNotTrusted() throws Exception
    {
        final TransportServer rogue = echoServer(certs.applyRogue(context(TransportKind.NIO, "rogue")));
        assertThrows(HandshakeException.class,
            () -> TransportClient.connect(tls(TransportKind.NIO, "driver"), "127.0.0.1", rogue.port()).close());
    }

    @Test
    void shouldNameTheFileWhenAKeyStoreCannotBeRead() throws Exception
    {
        final Path missing = certDir.resolve("missing.p12");
        final TransportException e = assertThrows(TransportException.class, () -> TransportServer.bind(
            context(TransportKind.NIO, "bad").tls(missing, certs.password(), certs.trustStore(), certs.password()), null));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        final TransportException wrongPassword = assertThrows(TransportException.class, () -> TransportServer.bind(
            context(TransportKind.NIO, "bad").tls(certs.keyStore(), "wrong".toCharArray(), certs.trustStore(),
                certs.password()), null));
        assertTrue(wrongPassword.getMessage().contains(certs.keyStore().toString()), wrongPassword.getMessage());
        final TransportException noKey = assertThrows(TransportException.class, () -> TransportServer.bind(
            context(TransportKind.NIO, "bad").tls(certs.trustStore(), certs.password(), certs.trustStore(),
                certs.password()), null));
        assertTrue(noKey.getMessage().contains("no private key"), noKey.getMessage());
        assertTrue(Files.exists(certs.keyStore()));
    }
}
