package io.tessera.nativetests.transport;

import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.StoreContext;
import io.tessera.transport.TransportContext;
import io.tessera.transport.TransportKind;
import io.tessera.transport.TransportServer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * A holder node in its own JVM: creates a store with one object of a seeded pattern, serves it over
 * a {@link TransportServer}, prints {@code READY <port> <crc32c> <store path>} and runs until its
 * stdin closes (or it is killed). The cluster token comes from the environment, never argv.
 * <p>
 * Arguments: object id (32 hex), object size, seed, chunk bytes, node id.
 */
public final class TransportHolderChild
{
    static final String TOKEN_ENV = "TESSERA_TEST_TOKEN";

    private TransportHolderChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final ObjectId id = ObjectId.parse(args[0]);
        final long size = Long.parseLong(args[1]);
        final long seed = Long.parseLong(args[2]);
        final int chunkBytes = Integer.parseInt(args[3]);
        final String nodeId = args[4];
        final byte[] token = HexFormat.of().parseHex(System.getenv(TOKEN_ENV));
        final Path path = Path.of("/dev/shm", "tessera-nt-holder-" + ProcessHandle.current().pid() + ".store");
        try (ObjectStore store = ObjectStore.create(new StoreContext().path(path).capacityBytes(size + (32L << 20))))
        {
            final MemorySegment segment = store.create(id, size, 77);
            fill(segment, seed);
            final CRC32C crc = new CRC32C();
            crc.update(segment.asByteBuffer());
            store.seal(id);
            try (TransportServer server = TransportServer.bind(new TransportContext()
                .kind(TransportKind.AUTO).nodeId(nodeId).token(token).store(store).chunkBytes(chunkBytes), null))
            {
                System.out.println("READY " + server.port() + " " + crc.getValue() + " " + path);
                System.out.flush();
                while (System.in.read() >= 0)
                {
                    continue;
                }
                System.out.println("served " + server.counters());
            }
        }
    }

    /**
     * The pattern: xorshift64 words from the seed, then bytes for the tail.
     */
    static void fill(final MemorySegment segment, final long seed)
    {
        final long size = segment.byteSize();
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (long i = 0; i < size >>> 3; i++)
        {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            segment.set(ValueLayout.JAVA_LONG_UNALIGNED, i << 3, x);
        }
        for (long i = size & ~7L; i < size; i++)
        {
            segment.set(ValueLayout.JAVA_BYTE, i, (byte)(i * 31 + seed));
        }
    }
}
