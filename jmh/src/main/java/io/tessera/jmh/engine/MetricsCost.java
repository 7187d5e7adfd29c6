package io.tessera.jmh.engine;

import io.tessera.Tessera;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What the task metrics cost on the sync round trip of a no-op task (issue #14: within 3 %): the same
 * round trip with the node's task counters and latency histograms on (the default) and switched off
 * ({@code -Dtessera.metrics.tasks=false}, a fork of its own since the switch is read once).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MetricsCost extends EmbeddedNode
{
    static int noop(int x)
    {
        return x;
    }

    @Benchmark
    public int taskWithMetrics()
    {
        return Tessera.task(MetricsCost::noop, 1).remote().get();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Dtessera.metrics.tasks=false")
    public int taskWithoutMetrics()
    {
        return Tessera.task(MetricsCost::noop, 1).remote().get();
    }
}
