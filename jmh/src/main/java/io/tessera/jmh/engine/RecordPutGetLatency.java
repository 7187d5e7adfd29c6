package io.tessera.jmh.engine;

import io.tessera.Tessera;
import io.tessera.memory.serial.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

/**
 * Put then get of a small application record (a serialized value, not a raw array), freed at once.
 * Baseline in the same run: the serializer's own encode + decode of the same record on the heap (the
 * floor: what the store and the engine add is the difference).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordPutGetLatency extends EmbeddedNode
{
    /** A small application type. */
    public record Point(String label, int x, int y, double[] weights) implements Serializable
    {
    }

    private final Point value = new Point("p", 3, 4, new double[] {0.5, 0.25});
    private final Serializer serializer = new Serializer();

    @Benchmark
    public Object tesseraPutGet()
    {
        final var ref = Tessera.put(value);
        final Object back = ref.get();
        Tessera.free(ref);
        return back;
    }

    @Benchmark
    public Object baselineSerializerRoundTrip()
    {
        return serializer.decode(Serializer.KIND_FORY, java.lang.foreign.MemorySegment.ofArray(serializer.encode(value)));
    }
}
