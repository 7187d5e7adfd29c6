package io.tessera.jmh.gpu;

import io.tessera.gpu.GpuBuffer;
import io.tessera.gpu.GpuContexts;
import io.tessera.gpu.Kernels;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
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
 * Latency of one small vectorAdd (1024 floats) launched and waited for on device 0: through
 * {@link Kernels#vectorAdd} and {@link GpuContexts#synchronize}, beside a raw {@code cuLaunchKernel}
 * of the same PTX with prebuilt parameters and {@code cuCtxSynchronize}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class KernelLaunchLatency
{
    private static final int N = 1024;

    private GpuBuffer a;
    private GpuBuffer b;
    private GpuBuffer out;
    private CUmodule module;
    private CUfunction function;
    private Pointer rawParams;
    private CUdeviceptr[] rawBuffers;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        GpuBench.requireCuda();
        GpuContexts.bind(0);
        a = GpuBuffer.allocate(0, N * Float.BYTES);
        b = GpuBuffer.allocate(0, N * Float.BYTES);
        out = GpuBuffer.allocate(0, N * Float.BYTES);
        byte[] ptx;
        try (InputStream in = KernelLaunchLatency.class.getClassLoader()
                .getResourceAsStream("io/tessera/gpu/kernels/tessera_kernels.ptx"))
        {
            ptx = in.readAllBytes();
        }
        module = new CUmodule();
        GpuBench.check(JCudaDriver.cuModuleLoadData(module, Arrays.copyOf(ptx, ptx.length + 1)), "cuModuleLoadData");
        function = new CUfunction();
        GpuBench.check(JCudaDriver.cuModuleGetFunction(function, module, "vectorAdd"), "cuModuleGetFunction");
        rawBuffers = new CUdeviceptr[3];
        for (int i = 0; i < 3; i++)
        {
            rawBuffers[i] = new CUdeviceptr();
            GpuBench.check(JCudaDriver.cuMemAlloc(rawBuffers[i], N * Float.BYTES), "cuMemAlloc");
        }
        rawParams = Pointer.to(Pointer.to(rawBuffers[0]), Pointer.to(rawBuffers[1]), Pointer.to(rawBuffers[2]),
                Pointer.to(new int[] {N}));
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
            for (CUdeviceptr p : rawBuffers)
            {
                JCudaDriver.cuMemFree(p);
            }
            JCudaDriver.cuModuleUnload(module);
            GpuContexts.unbind();
        }
    }

    @Benchmark
    public void kernelsVectorAdd()
    {
        Kernels.vectorAdd(a, b, out, N);
        GpuContexts.synchronize(0);
    }

    @Benchmark
    public void rawLaunchVectorAdd()
    {
        GpuBench.check(JCudaDriver.cuLaunchKernel(function, N / 256, 1, 1, 256, 1, 1, 0, null, rawParams, null),
                "cuLaunchKernel");
        GpuBench.check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
    }
}
