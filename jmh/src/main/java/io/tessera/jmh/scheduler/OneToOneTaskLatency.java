package io.tessera.jmh.scheduler;

import io.tessera.scheduler.LocalScheduler;
import io.tessera.scheduler.ResourceRequest;
import io.tessera.scheduler.SchedulerContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sync round trip of one no-op task holding 1 CPU: submit, then wait for it to finish. Baseline:
 * {@code CompletableFuture.supplyAsync(..., ForkJoinPool.commonPool()).join()}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class OneToOneTaskLatency
{
    private static final ResourceRequest ONE_CPU = ResourceRequest.builder().cpus(1).build();
    private static final Supplier<Integer> NOOP = () -> 1;

    private LocalScheduler scheduler;
    private final Completion completion = new Completion();

    @Setup(Level.Trial)
    public void start()
    {
        scheduler = new LocalScheduler(new SchedulerContext().cpus(Runtime.getRuntime().availableProcessors()));
    }

    @TearDown(Level.Trial)
    public void stop()
    {
        scheduler.close();
    }

    @Benchmark
    public void tesseraScheduler()
    {
        completion.reset(1);
        scheduler.submit(new NoopTask(ONE_CPU, completion));
        completion.await();
    }

    @Benchmark
    public Integer forkJoinSupplyAsyncJoin()
    {
        return CompletableFuture.supplyAsync(NOOP, ForkJoinPool.commonPool()).join();
    }
}
