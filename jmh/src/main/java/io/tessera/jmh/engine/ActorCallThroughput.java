package io.tessera.jmh.engine;

import io.tessera.ActorHandle;
import io.tessera.ObjectRef;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;
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

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Async actor calls: a batch of calls on one actor, then the last result (calls run in order). Baseline: a single-thread executor. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ActorCallThroughput
{
    static final int BATCH = 10_000;

    private ActorHandle<ActorCallLatency.Counter> actor;
    private ExecutorService executor;
    private final ActorCallLatency.Counter local = new ActorCallLatency.Counter();

    @Setup(Level.Trial)
    public void start()
    {
        Tessera.init(TesseraConfig.builder().objectStoreBytes(64L << 20).build());
        actor = Tessera.actor(ActorCallLatency.Counter::new).remote();
        executor = Executors.newSingleThreadExecutor();
    }

    @TearDown(Level.Trial)
    public void stop()
    {
        executor.shutdownNow();
        Tessera.shutdown();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long tesseraActorCalls()
    {
        ObjectRef<Long> last = null;
        for (int i = 0; i < BATCH; i++)
        {
            last = actor.task(ActorCallLatency.Counter::inc).remote();
        }
        return last.get();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long baselineSingleThreadExecutor() throws ExecutionException, InterruptedException
    {
        Future<Long> last = null;
        for (int i = 0; i < BATCH; i++)
        {
            last = executor.submit(local::inc);
        }
        return last.get();
    }
}
