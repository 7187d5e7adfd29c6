package io.tessera.nativetests.transport;

import java.time.Duration;
import io.tessera.testing.Await;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.ObjectView;
import io.tessera.memory.StoreContext;
import io.tessera.transport.Connection;
import io.tessera.transport.ObjectTransfer;
import io.tessera.transport.ObjectTransferException;
import io.tessera.transport.PulledObject;
import io.tessera.transport.TransportClient;
import io.tessera.transport.TransportContext;
import io.tessera.transport.TransportKind;
import io.tessera.transport.TransportServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Object pulls from holder nodes in other JVMs ({@link TransportHolderChild}) over loopback, and a
 * holder killed with SIGKILL mid-transfer. Child logs go to {@code target/child-logs}; they are
 * deleted when the test passes and kept when it fails.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TransportMultiProcessTest
{
    private static final Path LOGS = Path.of("target", "child-logs");
    private static final long MIB = 1L << 20;

    private final byte[] token = TransportContext.randomToken();
    private final List<Process> children = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final List<Path> childStores = new ArrayList<>();
    private ObjectStore local;
    private String testName;
    private boolean passed;

    @BeforeEach
    void setUp(final TestInfo info) throws IOException
    {
        Files.createDirectories(LOGS);
        testName = info.getTestMethod().orElseThrow().getName();
        local = ObjectStore.create(new StoreContext()
            .path(Path.of("/dev/shm", "tessera-nt-puller-" + ProcessHandle.current().pid() + ".store"))
            .capacityBytes(160 * MIB));
    }

    @AfterEach
    void tearDown() throws Exception
    {
        for (final Process child : children)
        {
            child.getOutputStream().close();
        }
        for (final Process child : children)
        {
            if (!child.waitFor(10, TimeUnit.SECONDS))
            {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (final Path store : childStores)
        {
            Files.deleteIfExists(store);
        }
        local.close();
        if (passed)
        {
            for (final Path log : logs)
            {
                Files.deleteIfExists(log);
            }
        }
        else
        {
            System.err.println("child logs kept: " + logs);
        }
    }

    @Test
    void shouldPullAnObjectFromTwoHolderProcessesAtOnce() throws Exception
    {
        final ObjectId id = ObjectId.random();
        final long size = 96 * MIB + 13;
        final Process a = startHolder(id, size, 5, 256 << 10, "holder-a");
        final Process b = startHolder(id, size, 5, 256 << 10, "holder-b");
        final String[] readyA = awaitReady(a);
        final String[] readyB = awaitReady(b);
        assertEquals(readyA[2], readyB[2], "both holders hold the same bytes");

        try (TransportServer puller = TransportServer.bind(new TransportContext().nodeId("puller").token(token).store(local), null))
        {
            final Connection toA = puller.connect("127.0.0.1", Integer.parseInt(readyA[1]));
            final Connection toB = puller.connect("127.0.0.1", Integer.parseInt(readyB[1]));
            assertEquals("holder-a", toA.peerNodeId());
            assertEquals("holder-b", toB.peerNodeId());
            final PulledObject pulled = ObjectTransfer.pull(local, id, List.of(toA, toB)).get(60, TimeUnit.SECONDS);
            assertEquals(size, pulled.sizeBytes());
            assertEquals(77, pulled.kind());
            assertEquals(2, pulled.holders());
            assertEquals(Long.parseLong(readyA[2]), crc(local, id));
        }
        for (final Process child : children)
        {
            child.getOutputStream().close();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "holder exits when its stdin closes");
            assertEquals(0, child.exitValue());
        }
        passed = true;
    }

    @Test
    void shouldFailAndAbortWhenTheHolderProcessIsKilledMidTransfer() throws Exception
    {
        final ObjectId id = ObjectId.random();
        final long size = 128 * MIB;
        final Process holder = startHolder(id, size, 9, 4096, "victim");
        final String[] ready = awaitReady(holder);
        try (Connection toHolder = TransportClient.connect(new TransportContext().kind(TransportKind.AUTO)
            .nodeId("survivor").token(token).windowBytes(4096), "127.0.0.1", Integer.parseInt(ready[1])))
        {
            final CompletableFuture<PulledObject> pull = ObjectTransfer.pull(local, id, toHolder);
            Await.until("bytes to arrive from the holder", Duration.ofSeconds(30), () ->
            {
                assertFalse(pull.isDone(), "pull ended before the kill: " + pull);
                return TransportClient.counters(toHolder).bytesIn() >= MIB;
            });
            holder.destroyForcibly();
            assertTrue(holder.waitFor(10, TimeUnit.SECONDS));

            final ExecutionException e = assertThrows(ExecutionException.class, () -> pull.get(20, TimeUnit.SECONDS));
            final ObjectTransferException failure = assertInstanceOf(ObjectTransferException.class, e.getCause());
            assertEquals(ObjectTransferException.Reason.PEER_CLOSED, failure.reason());
            assertTrue(failure.getMessage().contains(id.toString()) && failure.getMessage().contains("victim"),
                failure.getMessage());
            assertFalse(local.contains(id), "the half-pulled object is never visible");
            assertEquals(0, local.stats().objects(), "the half-pulled object was aborted");
            assertFalse(toHolder.isOpen());
        }
        passed = true;
    }

    private Process startHolder(final ObjectId id, final long size, final long seed, final int chunkBytes,
        final String nodeId) throws IOException
    {
        final List<String> command = io.tessera.nativetests.Jvm.command("256m");
        command.add(TransportHolderChild.class.getName());
        command.addAll(List.of(id.toString(), Long.toString(size), Long.toString(seed), Integer.toString(chunkBytes), nodeId));
        final Path log = LOGS.resolve(testName + "-" + nodeId + ".log");
        logs.add(log);
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put(TransportHolderChild.TOKEN_ENV, HexFormat.of().formatHex(token));
        final Process process = builder.start();
        children.add(process);
        return process;
    }

    /**
     * @return {@code READY}, port, crc, store path.
     */
    private String[] awaitReady(final Process child) throws IOException
    {
        final Path log = logs.get(children.indexOf(child));
        final String line = Await.await("the holder to print READY; log: " + log, Duration.ofSeconds(30)).until(() ->
        {
            final String ready = Files.readAllLines(log).stream().filter(l -> l.startsWith("READY ")).findFirst().orElse(null);
            assertTrue(ready != null || child.isAlive(), "holder exited before it was ready:\n" + Files.readString(log));
            return ready;
        }, ready -> ready != null);
        final String[] ready = line.trim().split(" ");
        childStores.add(Path.of(ready[3]));
        return ready;
    }

    private static long crc(final ObjectStore store, final ObjectId id)
    {
        final ObjectView view = store.get(id, 0);
        assertTrue(view != null, "object " + id + " is in the store");
        try
        {
            final CRC32C crc = new CRC32C();
            crc.update(view.segment().asByteBuffer());
            return crc.getValue();
        }
        finally
        {
            store.release(id);
        }
    }
}
