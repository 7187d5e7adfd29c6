package io.tessera.gpu;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * Double-buffered pinned staging for copies between pageable host memory and a device: while the DMA
 * engine moves one chunk, the CPU fills (or drains) the other. Instances are pooled per device and
 * used by one thread at a time; the pool grows to the number of threads copying at once and keeps
 * its pinned buffers (2 x {@link #CHUNK_BYTES} each) for the life of the JVM.
 */
final class Staging
{
    static final int CHUNK_BYTES = Integer.getInteger("tessera.gpu.stagingChunkBytes", 4 << 20);
    private static final int EVENT_DISABLE_TIMING = 2;
    private static final List<ConcurrentLinkedQueue<Staging>> POOLS =
            Stream.generate(ConcurrentLinkedQueue<Staging>::new).limit(64).toList();

    private final Pointer[] pinned = new Pointer[2];
    private final MemorySegment[] chunks = new MemorySegment[2];
    private final CUevent[] done = {new CUevent(), new CUevent()};
    private final CUstream stream = new CUstream();

    /** Called with the device's context current. */
    private Staging()
    {
        Driver.check(JCudaDriver.cuStreamCreate(stream, 0), "cuStreamCreate");
        for (int i = 0; i < 2; i++)
        {
            pinned[i] = new Pointer();
            Driver.check(JCudaDriver.cuMemHostAlloc(pinned[i], CHUNK_BYTES, JCudaDriver.CU_MEMHOSTALLOC_PORTABLE),
                    "cuMemHostAlloc(" + CHUNK_BYTES + " bytes)");
            chunks[i] = MemorySegment.ofBuffer(pinned[i].getByteBuffer(0, CHUNK_BYTES));
            Driver.check(JCudaDriver.cuEventCreate(done[i], EVENT_DISABLE_TIMING), "cuEventCreate");
        }
    }

    /** Called with the device's context current. */
    static Staging acquire(int device)
    {
        Staging s = POOLS.get(device).poll();
        return s != null ? s : new Staging();
    }

    static void release(int device, Staging s)
    {
        POOLS.get(device).offer(s);
    }

    void toDevice(MemorySegment src, CUdeviceptr dst, long bytes)
    {
        boolean[] inFlight = new boolean[2];
        int k = 0;
        for (long off = 0; off < bytes; off += CHUNK_BYTES, k ^= 1)
        {
            int len = (int) Math.min(CHUNK_BYTES, bytes - off);
            if (inFlight[k])
            {
                Driver.check(JCudaDriver.cuEventSynchronize(done[k]), "cuEventSynchronize");
            }
            MemorySegment.copy(src, off, chunks[k], 0, len);
            Driver.check(JCudaDriver.cuMemcpyHtoDAsync(dst.withByteOffset(off), pinned[k], len, stream),
                    "cuMemcpyHtoDAsync(" + len + " bytes)");
            Driver.check(JCudaDriver.cuEventRecord(done[k], stream), "cuEventRecord");
            inFlight[k] = true;
        }
        Driver.check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    void toHost(CUdeviceptr src, MemorySegment dst, long bytes)
    {
        long chunkCount = (bytes + CHUNK_BYTES - 1) / CHUNK_BYTES;
        issue(src, bytes, 0);
        for (long c = 0; c < chunkCount; c++)
        {
            if (c + 1 < chunkCount)
            {
                issue(src, bytes, c + 1);
            }
            int k = (int) (c & 1);
            Driver.check(JCudaDriver.cuEventSynchronize(done[k]), "cuEventSynchronize");
            long off = c * CHUNK_BYTES;
            MemorySegment.copy(chunks[k], 0, dst, off, Math.min(CHUNK_BYTES, bytes - off));
        }
    }

    private void issue(CUdeviceptr src, long bytes, long chunk)
    {
        int k = (int) (chunk & 1);
        long off = chunk * CHUNK_BYTES;
        int len = (int) Math.min(CHUNK_BYTES, bytes - off);
        Driver.check(JCudaDriver.cuMemcpyDtoHAsync(pinned[k], src.withByteOffset(off), len, stream),
                "cuMemcpyDtoHAsync(" + len + " bytes)");
        Driver.check(JCudaDriver.cuEventRecord(done[k], stream), "cuEventRecord");
    }
}
