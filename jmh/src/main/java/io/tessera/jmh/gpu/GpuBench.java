package io.tessera.jmh.gpu;

import io.tessera.gpu.Cuda;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import jcuda.Pointer;
import jcuda.driver.CUresult;

/** Shared set-up of the GPU benchmarks. */
final class GpuBench
{
    private GpuBench()
    {
    }

    /** Fails the trial at once, with the reason, where there is no GPU; the rest of a suite runs on. */
    static void requireCuda()
    {
        if (!Cuda.isAvailable())
        {
            throw new IllegalStateException("no GPU, skipping this benchmark: " + Cuda.unavailabilityCause()
                    + " (exclude GPU benchmarks with -e io.tessera.jmh.gpu)");
        }
    }

    static void check(int result, String call)
    {
        if (result != CUresult.CUDA_SUCCESS)
        {
            throw new IllegalStateException(call + " failed: " + CUresult.stringFor(result));
        }
    }

    /** A store-like segment: a file in /dev/shm mapped read-write and shared, pre-faulted. The file is deleted at once. */
    static MemorySegment mapStore(long bytes, Arena arena) throws IOException
    {
        Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path file = Files.createTempFile(dir, "tessera-jmh-gpu", ".store");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            MemorySegment segment = ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
            segment.fill((byte) 1);
            return segment;
        }
        finally
        {
            Files.delete(file);
        }
    }

    static Pointer host(long address)
    {
        return new HostPointer(address);
    }

    private static final class HostPointer extends Pointer
    {
        HostPointer(long address)
        {
            super(address);
        }
    }
}
