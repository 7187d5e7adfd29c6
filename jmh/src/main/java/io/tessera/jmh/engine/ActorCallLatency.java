package io.tessera.jmh.engine;

import io.tessera.ActorHandle;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;
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

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Sync actor call round trip. Baseline: a single-thread executor owning the same object. {@code tesseraActorCallLowLatency}:
 * the same call in the low-latency mode (a fork with {@code -Dtessera.lowLatency=true -Dtessera.pinThreads=true}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ActorCallLatency
{
    /** The actor: a counter. */
    public static final class Counter
    {
        private long n;

        public long inc()
        {
            return ++n;
        }
    }

    private ActorHandle<Counter> actor;
    private ExecutorService executor;
    private final Counter local = new Counter();

    @Setup(Level.Trial)
    public void start()
    {
        Tessera.init(TesseraConfig.builder().objectStoreBytes(64L << 20).build());
        actor = Tessera.actor(Counter::new).remote();
        executor = Executors.newSingleThreadExecutor();
    }

    @TearDown(Level.Trial)
    public void stop()
    {
        executor.shutdownNow();
        Tessera.shutdown();
    }

    @Benchmark
    public long tesseraActorCall()
    {
        return actor.task(Counter::inc).remote().get();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Dtessera.lowLatency=true", "-Dtessera.pinThreads=true"})
    public long tesseraActorCallLowLatency()
    {
        return tesseraActorCall();
    }

    @Benchmark
    public long baselineSingleThreadExecutor() throws ExecutionException, InterruptedException
    {
        return executor.submit(local::inc).get();
    }
}
