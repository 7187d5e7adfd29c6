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

import java.util.concurrent.TimeUnit;

/**
 * get (lookup + pin + read-only view) and release of one sealed object, 8 B against 1 GiB: the
 * latency must not depend on the size (no copy, no page touched). The 1 GiB object lives in a
 * sparse tmpfs file and is never written, so only the pages the store touches are allocated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class StoreGetLatency
{
    @Param({"8", "1073741824"})
    public long sizeBytes;

    private ObjectStore store;
    private final ObjectId id = ObjectId.of(8, 8);
    private final ObjectView reused = new ObjectView();

    @Setup(Level.Trial)
    public void setUp()
    {
        store = StoreBench.newStore(sizeBytes + (64L << 20), 1024);
        store.create(id, sizeBytes, 1);
        store.seal(id);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        store.close();
    }

    @Benchmark
    public void getRelease(final Blackhole bh)
    {
        final ObjectView view = store.get(id, 0);
        bh.consume(view.segment().address());
        store.release(id);
    }

    /** The same, into a view this reader reuses: nothing allocated per get. */
    @Benchmark
    public void getReleaseReusedView(final Blackhole bh)
    {
        store.get(id, 0, reused);
        bh.consume(reused.segment().address());
        store.release(id);
    }
}
