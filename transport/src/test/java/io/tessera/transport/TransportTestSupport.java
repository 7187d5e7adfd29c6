package io.tessera.transport;

import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.ObjectView;
import io.tessera.memory.StoreContext;
import io.tessera.testing.Await;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Stores, deterministic object contents, checksums and the leak check shared by the
 * transport tests.
 */
final class TransportTestSupport
{
    static final byte[] TOKEN = "tessera-test-cluster-token-0123456789".getBytes();

    private TransportTestSupport()
    {
    }

    static TransportContext context(final TransportKind kind, final String nodeId)
    {
        return new TransportContext().kind(kind).nodeId(nodeId).token(TOKEN).ioThreads(1);
    }

    static ObjectStore newStore(final long capacityBytes)
    {
        final Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        final String name = "tessera-transport-test-" + ProcessHandle.current().pid() + "-" +
            Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8);
        return ObjectStore.create(new StoreContext().path(dir.resolve(name + ".store")).capacityBytes(capacityBytes)
            .spillDir(Path.of(System.getProperty("java.io.tmpdir"), name + "-spill")));
    }

    /**
     * Creates and seals an object whose bytes are a function of (seed, offset).
     *
     * @return the CRC32C of its bytes.
     */
    static long putPattern(final ObjectStore store, final ObjectId id, final long size, final int kind, final long seed)
    {
        final MemorySegment segment = store.create(id, size, kind);
        fill(segment, seed);
        final long crc = crc(segment);
        store.seal(id);
        return crc;
    }

    static void fill(final MemorySegment segment, final long seed)
    {
        final long size = segment.byteSize();
        final long words = size >>> 3;
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (long i = 0; i < words; i++)
        {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            segment.set(ValueLayout.JAVA_LONG_UNALIGNED, i << 3, x);
        }
        for (long i = words << 3; i < size; i++)
        {
            segment.set(ValueLayout.JAVA_BYTE, i, (byte)(i * 31 + seed));
        }
    }

    static long crc(final MemorySegment segment)
    {
        final CRC32C crc = new CRC32C();
        crc.update(segment.asByteBuffer());
        return crc.getValue();
    }

    static long crcOf(final ObjectStore store, final ObjectId id)
    {
        final ObjectView view = store.get(id, 0);
        if (view == null)
        {
            fail("object " + id + " is not in store " + store.path());
        }
        try
        {
            return crc(view.segment());
        }
        finally
        {
            store.release(id);
        }
    }

    /**
     * Fails when an event loop thread of the transport is still alive after a short deadline.
     */
    static void assertNoTransportThreads()
    {
        Await.untilAsserted("the transport's event loop threads to end", () ->
            assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(Endpoint.THREAD_PREFIX))
                .toList(), "transport threads leaked after close"));
    }

    static void closeAll(final AutoCloseable... closeables)
    {
        for (final AutoCloseable c : closeables)
        {
            if (c != null)
            {
                try
                {
                    c.close();
                }
                catch (final Exception e)
                {
                    throw new AssertionError("close failed: " + c, e);
                }
            }
        }
    }
}
