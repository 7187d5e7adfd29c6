package io.tessera.jmh.gpu;

import io.tessera.ObjectRef;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import io.tessera.gpu.GpuBuffer;
import io.tessera.gpu.GpuContexts;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
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
 * A host reader of a GPU object through the engine: {@code put} of a device buffer, {@code getSegment}
 * (a store object of its size, one device→host copy into it, seal) and {@code free} of the store copy,
 * beside a raw {@code cuMemcpyDtoH} of the same size into a mapped /dev/shm segment (the baseline of
 * the same kind of host memory: a shared, pageable file mapping). Device 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class GpuObjectReadBandwidth
{
    @Param({"1048576", "67108864"})
    public long bytes;

    private Arena arena;
    private MemorySegment mapped;
    private CUdeviceptr raw;
    private GpuBuffer buffer;
    /** Keeps the buffer a GPU object across the trial, so freeing each read's ref drops only its store copy. */
    private ObjectRef<GpuBuffer> anchor;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        GpuBench.requireCuda();
        Tessera.init(TesseraConfig.builder().cpus(2).objectStoreBytes(4 * bytes + (64L << 20)).build());
        arena = Arena.ofShared();
        mapped = GpuBench.mapStore(bytes, arena);
        buffer = GpuBuffer.allocate(0, bytes);
        buffer.copyFromHost(mapped);
        anchor = Tessera.put(buffer);
        GpuContexts.bind(0);
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
        if (raw != null)
        {
            JCudaDriver.cuMemFree(raw);
            GpuContexts.unbind();
        }
        Tessera.shutdown();
        if (arena != null)
        {
            arena.close();
        }
    }

    @Benchmark
    public long getSegmentOfGpuObject()
    {
        final ObjectRef<GpuBuffer> ref = Tessera.put(buffer);
        final long n = Tessera.getSegment(ref).byteSize();
        Tessera.free(ref);
        return n;
    }

    @Benchmark
    public void rawCopyToMappedSegment()
    {
        GpuBench.check(JCudaDriver.cuMemcpyDtoH(GpuBench.host(mapped.address()), raw, bytes), "cuMemcpyDtoH");
    }
}
