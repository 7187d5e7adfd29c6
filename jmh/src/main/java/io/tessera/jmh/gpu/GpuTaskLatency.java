package io.tessera.jmh.gpu;

import io.tessera.Resources;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import io.tessera.gpu.GpuBuffer;
import io.tessera.gpu.GpuContexts;
import io.tessera.gpu.Kernels;
import java.util.concurrent.TimeUnit;
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
 * A small vectorAdd (1024 floats, launch + synchronize) run as a {@code gpus = 1} Tessera task and
 * waited for with {@code get}, beside the same launch made directly on the benchmark thread (the
 * baseline), and an empty CPU task (the engine's own round trip). Task overhead = p50(task) − p50(direct).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class GpuTaskLatency
{
    private static final int N = 1024;
    private static GpuBuffer a;
    private static GpuBuffer b;
    private static GpuBuffer out;

    @Setup(Level.Trial)
    public void setUp()
    {
        GpuBench.requireCuda();
        Tessera.init(TesseraConfig.builder().cpus(2).objectStoreBytes(64L << 20).build());
        a = GpuBuffer.allocate(0, N * Float.BYTES);
        b = GpuBuffer.allocate(0, N * Float.BYTES);
        out = GpuBuffer.allocate(0, N * Float.BYTES);
    }

    @Setup(Level.Iteration)
    public void bindThread()
    {
        GpuContexts.bind(0);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (a != null)
        {
            a.close();
            b.close();
            out.close();
            GpuContexts.unbind();
        }
        Tessera.shutdown();
    }

    /** The task body: the same launch as {@link #direct()}, on the device the task was granted. */
    @Resources(gpus = 1)
    static int vectorAddOnDevice()
    {
        Kernels.vectorAdd(a, b, out, N);
        GpuContexts.synchronize(0);
        return N;
    }

    static int empty()
    {
        return 0;
    }

    @Benchmark
    public int direct()
    {
        Kernels.vectorAdd(a, b, out, N);
        GpuContexts.synchronize(0);
        return N;
    }

    @Benchmark
    public int asGpuTask()
    {
        return Tessera.task(GpuTaskLatency::vectorAddOnDevice).remote().get();
    }

    @Benchmark
    public int emptyCpuTask()
    {
        return Tessera.task(GpuTaskLatency::empty).remote().get();
    }
}
