package io.tessera.jmh.store;

import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Put of a large object from a heap array (create + one bulk copy + seal, then delete so the store
 * never fills) against the physical limit: {@code MemorySegment.copy} of the same bytes from the
 * same heap array into native memory, both into anonymous memory ({@code Arena.allocate}) and into a
 * mapped {@code /dev/shm} file like the store's. Bandwidth = size / time; target: put >= 80 % of copy.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class StorePutBandwidth
{
    @Param({"1048576", "67108864"})
    public int sizeBytes;

    private ObjectStore store;
    private Arena arena;
    private MemorySegment source;
    private MemorySegment target;
    private MemorySegment mappedTarget;
    private Path mappedFile;
    private final ObjectId id = ObjectId.of(7, 7);

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        store = StoreBench.newStore(2L * sizeBytes + (64L << 20), 1024);
        final byte[] bytes = new byte[sizeBytes];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)i;
        }
        source = MemorySegment.ofArray(bytes);
        arena = Arena.ofShared();
        target = arena.allocate(sizeBytes, 64);
        target.fill((byte)1);
        mappedFile = Path.of(store.path() + ".baseline");
        try (FileChannel channel = FileChannel.open(mappedFile, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            mappedTarget = channel.map(FileChannel.MapMode.READ_WRITE, 0, sizeBytes, arena);
        }
        mappedTarget.fill((byte)1);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        store.close();
        arena.close();
        Files.deleteIfExists(mappedFile);
    }

    @Benchmark
    public void storePut()
    {
        store.put(id, source, 1);
        store.delete(id);
    }

    @Benchmark
    public void segmentCopyBaseline()
    {
        MemorySegment.copy(source, 0, target, 0, sizeBytes);
    }

    @Benchmark
    public void mappedCopyBaseline()
    {
        MemorySegment.copy(source, 0, mappedTarget, 0, sizeBytes);
    }
}
