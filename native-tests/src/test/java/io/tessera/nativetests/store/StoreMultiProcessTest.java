package io.tessera.nativetests.store;

import java.time.Duration;
import io.tessera.testing.Await;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.ObjectView;
import io.tessera.memory.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Several JVMs on one store file: zero-copy reads, waiting for another process's seal, and a child
 * killed with SIGKILL while it pins and half-writes. Child logs go to
 * {@code target/child-logs}; they are deleted when the test passes and kept when it fails.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StoreMultiProcessTest
{
    private static final Path LOGS = Path.of("target", "child-logs");

    private StoreFixture fixture;
    private ObjectStore store;
    private final List<Process> children = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private String testName;
    private boolean passed;

    @BeforeEach
    void setUp(final TestInfo info) throws IOException
    {
        Files.createDirectories(LOGS);
        testName = info.getTestMethod().orElseThrow().getName();
        fixture = StoreFixture.create(64L << 20);
        store = fixture.store();
    }

    @AfterEach
    void tearDown() throws IOException
    {
        for (final Process child : children)
        {
            child.destroyForcibly();
        }
        for (final Process child : children)
        {
            try
            {
                child.waitFor(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        store.reapDeadClients();
        fixture.close();
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

    private Process startChild(final String... args) throws IOException
    {
        final List<String> command = io.tessera.nativetests.Jvm.command("256m");
        command.add(StoreChild.class.getName());
        command.addAll(List.of(args));
        final Path log = LOGS.resolve(testName + "-" + logs.size() + ".log");
        logs.add(log);
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        children.add(process);
        return process;
    }

    private String awaitExit(final Process child) throws Exception
    {
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not exit in time");
        final String output = Files.readString(logs.get(children.indexOf(child)));
        assertEquals(0, child.exitValue(), "child failed:\n" + output);
        return output;
    }

    private String awaitLine(final Process child, final String line) throws IOException
    {
        final Path log = logs.get(children.indexOf(child));
        return Await.await("child to print " + line + "; log: " + log, Duration.ofSeconds(30)).until(() ->
        {
            final String output = Files.readString(log);
            assertTrue(output.contains(line) || child.isAlive(), "child exited before printing " + line + ":\n" + output);
            return output;
        }, output -> output.contains(line));
    }

    @Test
    void shouldReadObjectZeroCopyFromSecondProcess() throws Exception
    {
        final ObjectId id = ObjectId.random();
        final long size = 1 << 20;
        final MemorySegment writable = store.create(id, size, 3);
        StoreChild.fill(writable, 42);
        store.seal(id);
        final ObjectView pinnedByUs = store.get(id, 0);

        final String output = awaitExit(startChild("read", store.path().toString(), id.toString(),
            Long.toString(size), "42"));

        assertTrue(output.contains("OK"), output);
        assertTrue(output.contains("mapped=true") && output.contains("readOnly=true"), output);
        System.out.println("[cross-process] " + output.lines().filter(l -> l.startsWith("getReleaseNs")).findFirst()
            .orElse("?"));
        assertEquals(pinnedByUs.segment().address(), store.get(id, 0).segment().address(), "same mapping");
        store.release(id);
        store.release(id);
        assertEquals(0, store.stats().pinned());
        assertEquals(1, store.stats().clients(), "child detached");
        passed = true;
    }

    @Test
    void shouldReturnFromGetWhenOtherProcessSeals() throws Exception
    {
        final ObjectId id = ObjectId.random();
        final long size = 64 * 1024;
        assertNull(store.get(id, 0));
        final Process child = startChild("write", store.path().toString(), id.toString(), Long.toString(size), "9");
        final long start = System.nanoTime();
        final ObjectView view = store.get(id, TimeUnit.SECONDS.toNanos(60));
        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertNotNull(view, "get timed out while the child wrote");
        assertTrue(StoreChild.verify(view.segment(), 9), "sealed object complete");
        assertEquals(1, view.kind());
        store.release(id);
        awaitExit(child);
        System.out.println("[cross-process] get waited " + waitedMs + " ms for the child's seal (JVM start included)");
        passed = true;
    }

    @Test
    void shouldLeaveNoPinsOrHalfWrittenObjectsAfterKill9() throws Exception
    {
        final ObjectId pinned = ObjectId.random();
        final MemorySegment w = store.create(pinned, 4096, 0);
        StoreChild.fill(w, 5);
        store.seal(pinned);
        final ObjectId unsealed = ObjectId.random();
        final long usedBefore = store.stats().usedBytes();

        final Process child = startChild("hang", store.path().toString(), pinned.toString(), unsealed.toString());
        awaitLine(child, "READY");
        assertEquals(1, store.stats().pinned(), "child pins the object");
        assertEquals(2, store.stats().clients());
        assertFalse(store.contains(unsealed), "half-written object invisible");
        assertNull(store.get(unsealed, 0));
        assertFalse(store.delete(pinned), "pinned by the child: delete deferred");

        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));

        assertEquals(1, store.reapDeadClients());
        assertEquals(0, store.stats().pinned(), "dead child's pins released");
        assertEquals(1, store.stats().clients());
        assertFalse(store.contains(pinned), "deferred delete completed when the dead pins were released");
        assertFalse(store.contains(unsealed), "half-written object freed");
        assertNull(store.get(unsealed, 0));
        assertEquals(usedBefore - io.tessera.memory.internal.TlsfAllocator.blockSizeFor(4096),
            store.stats().usedBytes(), "no leaked space");
        store.put(unsealed, MemorySegment.ofArray(new long[] {1}), 0);
        assertTrue(store.contains(unsealed), "the id is free again");
        passed = true;
    }

    @Test
    void shouldReapDeadClientWhenAnotherProcessAttaches() throws Exception
    {
        final ObjectId pinned = ObjectId.random();
        store.put(pinned, MemorySegment.ofArray(new long[512]), 0);
        final ObjectId unsealed = ObjectId.random();
        final Process child = startChild("hang", store.path().toString(), pinned.toString(), unsealed.toString());
        awaitLine(child, "READY");
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        try (ObjectStore other = ObjectStore.attach(store.path()))
        {
            assertEquals(0, other.stats().pinned(), "attach reaped the dead client");
            assertFalse(other.contains(unsealed));
        }
        assertTrue(store.delete(pinned));
        passed = true;
    }

    @Test
    void shouldStayConsistentWhenWriterIsKilledMidOperation() throws Exception
    {
        final long used0 = store.stats().usedBytes();
        final int rounds = 4;
        for (int round = 0; round < rounds; round++)
        {
            final Process child = startChild("churn", store.path().toString());
            awaitLine(child, "READY");
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));

            store.reapDeadClients();
            assertEquals(0, store.stats().pinned(), "round " + round + ": no pins left by the dead writer");
            int sealed = 0;
            for (int i = 0; i < StoreChild.CHURN_IDS; i++)
            {
                final ObjectId id = ObjectId.of(StoreChild.CHURN_HI, i);
                final ObjectView view = store.get(id, 0);
                if (view != null)
                {
                    assertTrue(StoreChild.verifySelfDescribing(view.segment()),
                        "round " + round + ": visible object " + id + " is complete");
                    store.release(id);
                    sealed++;
                }
            }
            assertEquals(sealed, store.stats().objects(), "round " + round + ": only sealed objects remain");
            if (round == rounds - 1)
            {
                for (int i = 0; i < StoreChild.CHURN_IDS; i++)
                {
                    final ObjectId id = ObjectId.of(StoreChild.CHURN_HI, i);
                    if (store.contains(id))
                    {
                        assertTrue(store.delete(id));
                    }
                }
            }
        }
        assertEquals(0, store.stats().objects());
        assertEquals(used0, store.stats().usedBytes(), "no leaked blocks");
        System.out.println("[kill -9 churn] lock taken over from a killed holder " +
            store.stats().lockRecoveries() + " times in " + rounds + " kills");
        final ObjectId big = ObjectId.random();
        store.create(big, store.stats().capacityBytes() - 64, 0);
        store.abort(big);
        passed = true;
    }
}
