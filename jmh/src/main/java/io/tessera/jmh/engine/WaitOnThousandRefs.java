package io.tessera.jmh.engine;

import io.tessera.ObjectRef;
import io.tessera.Tessera;
import io.tessera.WaitResult;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Submit {@value #REFS} no-op tasks, then {@code Tessera.wait(refs, 1000, 10 s)} until all are ready:
 * the time from the first submission to the wait's return. Baseline: the same number of
 * {@code CompletableFuture.supplyAsync} on the common {@link ForkJoinPool} and
 * {@code CompletableFuture.allOf(...).get(10 s)}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WaitOnThousandRefs extends EmbeddedNode
{
    static final int REFS = 1_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CompletableFuture<?>[] futures = new CompletableFuture<?>[REFS];

    static int noop(int x)
    {
        return x;
    }


    @Benchmark
    public int tesseraWait()
    {
        final List<ObjectRef<Integer>> refs = new ArrayList<>(REFS);
        for (int i = 0; i < REFS; i++)
        {
            refs.add(Tessera.task(WaitOnThousandRefs::noop, i).remote());
        }
        final WaitResult<Integer> r = Tessera.wait(refs, REFS, TIMEOUT);
        if (r.ready().size() != REFS)
        {
            throw new IllegalStateException("wait returned " + r.ready().size() + " of " + REFS + " refs after " + TIMEOUT);
        }
        return r.ready().size();
    }

    @Benchmark
    public int baselineAllOf() throws ExecutionException, InterruptedException, TimeoutException
    {
        for (int i = 0; i < REFS; i++)
        {
            final int x = i;
            futures[i] = CompletableFuture.supplyAsync(() -> noop(x), ForkJoinPool.commonPool());
        }
        CompletableFuture.allOf(futures).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return futures.length;
    }
}
