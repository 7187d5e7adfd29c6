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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tails under CPU contention (issue #15 goal 9): the sync round trip of a no-op task, as {@link OneToOneTaskLatency},
 * with {@code background} busy threads per core running in the same JVM for the whole trial (0 = idle, 1 = every
 * core has a competing thread). The goal compares the p99 of {@code background=1} with that of {@code background=0}
 * (within 3×); the baseline is {@code supplyAsync().join()} under the same load, in the same fork.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SyncLatencyUnderLoad
{
    /** Busy background threads per core. */
    @Param({"0", "1"})
    public int background;

    private final List<Thread> burners = new ArrayList<>();
    private volatile boolean burning;

    @Setup(Level.Trial)
    public void start()
    {
        Tessera.init(TesseraConfig.builder().objectStoreBytes(64L << 20).build());
        burning = true;
        final int n = background * Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < n; i++)
        {
            final Thread t = new Thread(this::burn, "background-load-" + i);
            t.setDaemon(true);
            t.start();
            burners.add(t);
        }
    }

    /** A busy loop that never blocks, as a compute-bound thread of another part of the application. */
    private void burn()
    {
        long x = 0;
        while (burning)
        {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        if (x == 42)
        {
            System.out.print("");
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException
    {
        burning = false;
        for (final Thread t : burners)
        {
            t.join();
        }
        burners.clear();
        Tessera.shutdown();
    }

    @Benchmark
    public int tesseraTask()
    {
        return OneToOneTaskLatency.taskRoundTrip();
    }

    @Benchmark
    public int baselineForkJoinPool()
    {
        return OneToOneTaskLatency.supplyAsyncRoundTrip();
    }
}
