package io.tessera.jmh.engine;

import io.tessera.ObjectRef;
import io.tessera.Tessera;
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

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * Async throughput: submit a batch of no-op tasks, then wait for all of them. Baseline: the same
 * batch through {@code CompletableFuture.supplyAsync} on the common {@code ForkJoinPool}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TaskThroughput extends EmbeddedNode
{
    static final int BATCH = 10_000;

    private final ObjectRef<?>[] refs = new ObjectRef<?>[BATCH];
    private final CompletableFuture<?>[] futures = new CompletableFuture<?>[BATCH];

    static int noop(int x)
    {
        return x;
    }


    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object tesseraTasks()
    {
        for (int i = 0; i < BATCH; i++)
        {
            refs[i] = Tessera.task(TaskThroughput::noop, i).remote();
        }
        Object last = null;
        for (ObjectRef<?> r : refs)
        {
            last = r.get();
        }
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object baselineForkJoinPool()
    {
        for (int i = 0; i < BATCH; i++)
        {
            final int x = i;
            futures[i] = CompletableFuture.supplyAsync(() -> noop(x), ForkJoinPool.commonPool());
        }
        Object last = null;
        for (CompletableFuture<?> f : futures)
        {
            last = f.join();
        }
        return last;
    }
}
