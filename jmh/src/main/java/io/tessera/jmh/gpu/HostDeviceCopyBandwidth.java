package io.tessera.jmh.gpu;

import io.tessera.gpu.GpuBuffer;
import io.tessera.gpu.GpuContexts;
import io.tessera.gpu.HostCopy;
import io.tessera.gpu.HostRegistration;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
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

/**
 * Host↔device copy time of one object of {@code bytes} on device 0, through {@link GpuBuffer} from a
 * store-like mapped /dev/shm segment, beside the raw driver copies of the same size:
 * {@code raw*Pageable} (cuMemcpy on the same mapped segment — the baseline of the 90 % target) and
 * {@code raw*Pinned} (cuMemcpy from cuMemAllocHost memory — the link's physical limit).
 * Bandwidth = bytes / time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class HostDeviceCopyBandwidth
{
    @Param({"1048576", "67108864"})
    public int bytes;

    private Arena arena;
    private MemorySegment store;
    private MemorySegment registeredStore;
    private HostRegistration registration;
    private String registrationFailure;
    private Pointer pinned;
    private GpuBuffer buffer;
    private CUdeviceptr raw;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        GpuBench.requireCuda();
        GpuContexts.bind(0);
        arena = Arena.ofShared();
        store = GpuBench.mapStore(bytes, arena);
        registeredStore = GpuBench.mapStore(bytes, arena);
        try
        {
            registration = HostRegistration.register(registeredStore);
        }
        catch (RuntimeException e)
        {
            registrationFailure = e.toString();
        }
        pinned = new Pointer();
        GpuBench.check(JCudaDriver.cuMemAllocHost(pinned, bytes), "cuMemAllocHost");
        buffer = GpuBuffer.allocate(0, bytes);
        raw = new CUdeviceptr();
        GpuBench.check(JCudaDriver.cuMemAlloc(raw, bytes), "cuMemAlloc");
    }

    @Setup(Level.Iteration)
    public void bindThread()
    {
        GpuContexts.bind(0);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (buffer != null)
        {
            buffer.close();
            JCudaDriver.cuMemFree(raw);
            JCudaDriver.cuMemFreeHost(pinned);
            if (registration != null)
            {
                registration.close();
            }
            arena.close();
            GpuContexts.unbind();
        }
    }

    @Benchmark
    public void htodGpuBufferDirect()
    {
        buffer.copyFromHost(store, 0, HostCopy.DIRECT);
    }

    @Benchmark
    public void htodGpuBufferStaged()
    {
        buffer.copyFromHost(store, 0, HostCopy.STAGED);
    }

    @Benchmark
    public void htodGpuBufferRegistered()
    {
        requireRegistered();
        buffer.copyFromHost(registeredStore, 0, HostCopy.DIRECT);
    }

    @Benchmark
    public void htodRawPageable()
    {
        GpuBench.check(JCudaDriver.cuMemcpyHtoD(raw, GpuBench.host(store.address()), bytes), "cuMemcpyHtoD");
    }

    @Benchmark
    public void htodRawPinned()
    {
        GpuBench.check(JCudaDriver.cuMemcpyHtoD(raw, pinned, bytes), "cuMemcpyHtoD");
    }

    @Benchmark
    public void dtohGpuBufferDirect()
    {
        buffer.copyToHost(store, 0, HostCopy.DIRECT);
    }

    @Benchmark
    public void dtohGpuBufferStaged()
    {
        buffer.copyToHost(store, 0, HostCopy.STAGED);
    }

    @Benchmark
    public void dtohGpuBufferRegistered()
    {
        requireRegistered();
        buffer.copyToHost(registeredStore, 0, HostCopy.DIRECT);
    }

    @Benchmark
    public void dtohRawPageable()
    {
        GpuBench.check(JCudaDriver.cuMemcpyDtoH(GpuBench.host(store.address()), raw, bytes), "cuMemcpyDtoH");
    }

    @Benchmark
    public void dtohRawPinned()
    {
        GpuBench.check(JCudaDriver.cuMemcpyDtoH(pinned, raw, bytes), "cuMemcpyDtoH");
    }

    private void requireRegistered()
    {
        if (registration == null)
        {
            throw new IllegalStateException("cuMemHostRegister of the mapped store failed: " + registrationFailure);
        }
    }
}
