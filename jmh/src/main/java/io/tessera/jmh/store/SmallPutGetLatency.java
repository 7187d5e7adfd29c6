package io.tessera.jmh.store;

import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.ObjectView;
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
import org.openjdk.jmh.infra.Blackhole;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One small object's life in one process: put (create + copy + seal), get (pin + view), read one
 * byte, release, delete. Baseline: the same life in a {@code ConcurrentHashMap<ObjectId, byte[]>}
 * (put of a copy, get, read one byte, remove). Target: store p50 <= 1 us; issue #15 goal 4: 8 B in 0.25 us.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class SmallPutGetLatency
{
    @Param({"8", "64", "1024"})
    public int sizeBytes;

    private ObjectStore store;
    private final ConcurrentHashMap<ObjectId, byte[]> map = new ConcurrentHashMap<>();
    private byte[] bytes;
    private MemorySegment source;
    private final ObjectId id = ObjectId.of(9, 9);
    private final ObjectView view = new ObjectView();

    @Setup(Level.Trial)
    public void setUp()
    {
        store = StoreBench.newStore(64L << 20, 4096);
        bytes = new byte[sizeBytes];
        bytes[0] = 42;
        source = MemorySegment.ofArray(bytes);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        store.close();
    }

    @Benchmark
    public void storePutGet(final Blackhole bh)
    {
        store.put(id, source, 1);
        final ObjectView view = store.get(id, 0);
        bh.consume(view.segment().get(ValueLayout.JAVA_BYTE, 0));
        store.release(id);
        store.delete(id);
    }

    /** The same life, getting into a view this reader reuses ({@link ObjectStore#get(ObjectId, long, ObjectView)}). */
    @Benchmark
    public void storePutGetReusedView(final Blackhole bh)
    {
        store.put(id, source, 1);
        store.get(id, 0, view);
        bh.consume(view.segment().get(ValueLayout.JAVA_BYTE, 0));
        store.release(id);
        store.delete(id);
    }

    /**
     * The same life through {@link ObjectStore#create}: the writable segment is guarded by its own
     * shared arena, closed at seal so that writes after seal throw. Shows what that guard costs.
     */
    @Benchmark
    public void storeCreateSealGet(final Blackhole bh)
    {
        final MemorySegment writable = store.create(id, sizeBytes, 1);
        MemorySegment.copy(source, 0, writable, 0, sizeBytes);
        store.seal(id);
        final ObjectView view = store.get(id, 0);
        bh.consume(view.segment().get(ValueLayout.JAVA_BYTE, 0));
        store.release(id);
        store.delete(id);
    }

    @Benchmark
    public void concurrentHashMapBaseline(final Blackhole bh)
    {
        map.put(id, bytes.clone());
        bh.consume(map.get(id)[0]);
        map.remove(id);
    }
}
