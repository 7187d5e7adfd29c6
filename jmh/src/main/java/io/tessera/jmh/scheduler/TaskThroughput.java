package io.tessera.jmh.scheduler;

import io.tessera.scheduler.LocalScheduler;
import io.tessera.scheduler.ResourceRequest;
import io.tessera.scheduler.SchedulerContext;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Async throughput: submit {@value #BATCH} no-op tasks holding 1 CPU each, then wait for all. One
 * operation is one task. Baseline: the same through {@code ForkJoinPool.commonPool().execute}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class TaskThroughput
{
    static final int BATCH = 10_000;
    private static final ResourceRequest ONE_CPU = ResourceRequest.builder().cpus(1).build();

    private LocalScheduler scheduler;
    private final Completion completion = new Completion();
    private final Runnable countDown = completion::countDown;

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
    @OperationsPerInvocation(BATCH)
    public void tesseraScheduler()
    {
        completion.reset(BATCH);
        for (int i = 0; i < BATCH; i++)
        {
            scheduler.submit(new NoopTask(ONE_CPU, completion));
        }
        completion.await();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void forkJoinExecute()
    {
        completion.reset(BATCH);
        final ForkJoinPool pool = ForkJoinPool.commonPool();
        for (int i = 0; i < BATCH; i++)
        {
            pool.execute(new Runnable()
            {
                @Override
                public void run()
                {
                    countDown.run();
                }
            });
        }
        completion.await();
    }
}
