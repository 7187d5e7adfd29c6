package io.tessera.jmh.engine;

import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * Sync round trip of a no-op task: submit from the driver, wait for the result. Baseline:
 * {@code CompletableFuture.supplyAsync(..., ForkJoinPool.commonPool()).join()}. What the task metrics cost
 * (issue #14: within 3 %): {@code tesseraTaskWithoutMetrics} is the same round trip with the node's task
 * counters and latency histograms switched off ({@code -Dtessera.metrics.tasks=false}, in a fork of its own
 * since the switch is read once); {@code tesseraTask} has them on, as by default. {@code taskRecords}
 * is the node's task record ring ({@code tessera.taskRecords}): the default 10 000, and 0 = off, so one
 * run shows what writing the records costs per task. {@code tesseraTaskLowLatency} is the same round trip in
 * the low-latency mode ({@code -Dtessera.lowLatency=true -Dtessera.pinThreads=true}, a fork of its own: busy-spinning
 * dispatcher, workers and {@code get}, threads pinned; issue #15 goal 2: at most 1 µs where each spinning thread
 * has a core of its own, i.e. 4 cores or more).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OneToOneTaskLatency
{
    @Param({"10000", "0"})
    public int taskRecords;

    @Setup(Level.Trial)
    public void startNode()
    {
        System.setProperty("tessera.taskRecords", String.valueOf(taskRecords));
        Tessera.init(TesseraConfig.builder().objectStoreBytes(64L << 20).build());
    }

    @TearDown(Level.Trial)
    public void stopNode()
    {
        Tessera.shutdown();
        System.clearProperty("tessera.taskRecords");
    }

    static int noop(int x)
    {
        return x;
    }

    /** The measured round trip, shared with {@link SyncLatencyUnderLoad}. */
    static int taskRoundTrip()
    {
        return Tessera.task(OneToOneTaskLatency::noop, 1).remote().get();
    }

    /** The baseline's round trip, shared with {@link SyncLatencyUnderLoad}. */
    static int supplyAsyncRoundTrip()
    {
        return CompletableFuture.supplyAsync(() -> noop(1), ForkJoinPool.commonPool()).join();
    }

    @Benchmark
    public int tesseraTask()
    {
        return taskRoundTrip();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Dtessera.metrics.tasks=false")
    public int tesseraTaskWithoutMetrics()
    {
        return tesseraTask();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Dtessera.lowLatency=true", "-Dtessera.pinThreads=true"})
    public int tesseraTaskLowLatency()
    {
        return tesseraTask();
    }

    @Benchmark
    public int baselineForkJoinPool()
    {
        return supplyAsyncRoundTrip();
    }
}
