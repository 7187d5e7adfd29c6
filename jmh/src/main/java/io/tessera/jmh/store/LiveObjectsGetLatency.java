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
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * get + release of a random one of N live 16-byte objects, N = 1 k against 1 M: the table lookup
 * must stay O(1). The ids are visited in a fixed random order, so at 1 M every get misses the CPU
 * caches (table slot and pin counter): the difference is the memory latency, not the algorithm.
 * Baseline: the same random gets from a {@code ConcurrentHashMap<ObjectId, byte[]>} of N entries.
 * {@code getReleaseHotSet} cycles through 1 024 of the N objects (spread over the whole table): with
 * the working set in cache, it shows what the store itself costs as N grows — the structure's
 * answer to "no slowdown at 1 M objects", where the random variant measures DRAM latency.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
public class LiveObjectsGetLatency
{
    @Param({"1000", "1000000"})
    public int liveObjects;

    private ObjectStore store;
    private ObjectId[] ids;
    private final ConcurrentHashMap<ObjectId, byte[]> map = new ConcurrentHashMap<>();
    private int next;
    private int nextHot;
    private static final int HOT_SET = 1024;

    @Setup(Level.Trial)
    public void setUp()
    {
        store = StoreBench.newStore(liveObjects * 192L + (256L << 20), Math.max(4096, liveObjects));
        final MemorySegment payload = MemorySegment.ofArray(new long[2]);
        final SplittableRandom random = new SplittableRandom(1);
        ids = new ObjectId[liveObjects];
        for (int i = 0; i < liveObjects; i++)
        {
            ids[i] = ObjectId.of(random.nextLong(), random.nextLong());
            store.put(ids[i], payload, 1);
            map.put(ids[i], new byte[16]);
        }
        for (int i = ids.length - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final ObjectId t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        store.close();
    }

    @Benchmark
    public void getReleaseHotSet(final Blackhole bh)
    {
        final ObjectId id = ids[nextHot];
        nextHot = nextHot + 1 == Math.min(HOT_SET, ids.length) ? 0 : nextHot + 1;
        final ObjectView view = store.get(id, 0);
        bh.consume(view.segment().address());
        store.release(id);
    }

    @Benchmark
    public void getRelease(final Blackhole bh)
    {
        final ObjectId id = ids[next];
        next = next + 1 == ids.length ? 0 : next + 1;
        final ObjectView view = store.get(id, 0);
        bh.consume(view.segment().address());
        store.release(id);
    }

    @Benchmark
    public void concurrentHashMapBaseline(final Blackhole bh)
    {
        final ObjectId id = ids[next];
        next = next + 1 == ids.length ? 0 : next + 1;
        bh.consume(map.get(id)[0]);
    }
}
