package io.tessera.gpu;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * Device memory owned by one device. Usable from any thread (each call makes the device's context
 * current for its duration); copies are synchronous and ordered after kernels launched before them
 * on the device's default stream. {@link #close()} frees the memory; any use after it throws
 * {@link IllegalStateException}. Close a buffer only once no other thread is copying to or from it
 * and no kernel queued on it is still running (a copy out, or {@link GpuContexts#synchronize}, waits).
 */
public final class GpuBuffer implements AutoCloseable
{
    private final int device;
    private final long bytes;
    private final CUdeviceptr pointer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private GpuBuffer(int device, long bytes, CUdeviceptr pointer)
    {
        this.device = device;
        this.bytes = bytes;
        this.pointer = pointer;
    }

    /**
     * Allocates uninitialised memory on a device.
     *
     * @param ordinal the device's driver ordinal.
     * @param bytes   the size, more than 0.
     * @return the buffer; close it to free the memory.
     * @throws GpuException when CUDA is unavailable or the device is out of memory ({@code CUDA_ERROR_OUT_OF_MEMORY}).
     * @throws IllegalArgumentException when {@code bytes} is not positive or {@code ordinal} is no device.
     */
    public static GpuBuffer allocate(int ordinal, long bytes)
    {
        if (bytes <= 0)
        {
            throw new IllegalArgumentException("GpuBuffer size must be > 0 bytes, got " + bytes);
        }
        Cuda.requireDevice(ordinal);
        boolean pushed = Contexts.enter(ordinal);
        try
        {
            CUdeviceptr ptr = new CUdeviceptr();
            Driver.check(JCudaDriver.cuMemAlloc(ptr, bytes), "cuMemAlloc(" + bytes + " bytes on device " + ordinal + ")");
            return new GpuBuffer(ordinal, bytes, ptr);
        }
        finally
        {
            Contexts.exit(pushed);
        }
    }

    /**
     * The device the memory lives on.
     *
     * @return its driver ordinal.
     */
    public int device()
    {
        return device;
    }

    /**
     * The buffer's size, as allocated.
     *
     * @return its size in bytes.
     */
    public long bytes()
    {
        return bytes;
    }

    /**
     * Whether {@link #close()} was called (the memory is freed; every other use throws).
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed.get();
    }

    /**
     * Copies all of {@code src} to the start of this buffer, in the {@link HostCopy#defaultMode()}.
     *
     * @param src the host bytes; at most {@link #bytes()} of them, native (heap segments are refused).
     */
    public void copyFromHost(MemorySegment src)
    {
        copyFromHost(src, 0, HostCopy.defaultMode());
    }

    /**
     * Copies all of {@code src} into this buffer at {@code deviceOffset}, moving the bytes as {@code how} says.
     *
     * @param src          the host bytes, native.
     * @param deviceOffset where in this buffer they go; {@code deviceOffset + src.byteSize()} must fit.
     * @param how          directly, or through Tessera's pinned staging buffers.
     */
    public void copyFromHost(MemorySegment src, long deviceOffset, HostCopy how)
    {
        CUdeviceptr dst = range(src, deviceOffset, "src");
        copy(src, dst, how, true);
    }

    /**
     * Fills all of {@code dst} from the start of this buffer, in the {@link HostCopy#defaultMode()}; waits for
     * kernels queued before it.
     *
     * @param dst the host destination, native and writable; at most {@link #bytes()} long.
     */
    public void copyToHost(MemorySegment dst)
    {
        copyToHost(dst, 0, HostCopy.defaultMode());
    }

    /**
     * Fills all of {@code dst} from this buffer at {@code deviceOffset}, moving the bytes as {@code how} says;
     * waits for kernels queued before it.
     *
     * @param dst          the host destination, native and writable.
     * @param deviceOffset where in this buffer the bytes start; {@code deviceOffset + dst.byteSize()} must fit.
     * @param how          directly, or through Tessera's pinned staging buffers.
     */
    public void copyToHost(MemorySegment dst, long deviceOffset, HostCopy how)
    {
        if (dst.isReadOnly())
        {
            throw new IllegalArgumentException("dst is a read-only segment");
        }
        CUdeviceptr src = range(dst, deviceOffset, "dst");
        copy(dst, src, how, false);
    }

    /** One host<->device copy of all of {@code host}: through a pinned staging buffer or straight, in this buffer's context. */
    private void copy(MemorySegment host, CUdeviceptr dev, HostCopy how, boolean toDevice)
    {
        long n = host.byteSize();
        if (n == 0)
        {
            return;
        }
        boolean pushed = Contexts.enter(device);
        try
        {
            if (how == HostCopy.STAGED && n > Staging.CHUNK_BYTES / 4)
            {
                Staging s = Staging.acquire(device);
                try
                {
                    if (toDevice)
                    {
                        s.toDevice(host, dev, n);
                    }
                    else
                    {
                        s.toHost(dev, host, n);
                    }
                }
                finally
                {
                    Staging.release(device, s);
                }
            }
            else if (toDevice)
            {
                Driver.check(JCudaDriver.cuMemcpyHtoD(dev, Driver.host(host.address()), n), "cuMemcpyHtoD(" + n + " bytes)");
            }
            else
            {
                Driver.check(JCudaDriver.cuMemcpyDtoH(Driver.host(host.address()), dev, n), "cuMemcpyDtoH(" + n + " bytes)");
            }
        }
        finally
        {
            Contexts.exit(pushed);
        }
    }

    /** Frees the device memory; idempotent. */
    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            boolean pushed = Contexts.enter(device);
            try
            {
                Driver.check(JCudaDriver.cuMemFree(pointer), "cuMemFree(" + bytes + " bytes on device " + device + ")");
            }
            finally
            {
                Contexts.exit(pushed);
            }
        }
    }

    @Override
    public String toString()
    {
        return "GpuBuffer[device=" + device + ", bytes=" + bytes + (closed.get() ? ", closed]" : "]");
    }

    /** The device pointer for a kernel argument; throws if closed. */
    CUdeviceptr pointer()
    {
        requireOpen();
        return pointer;
    }

    void requireOpen()
    {
        if (closed.get())
        {
            throw new IllegalStateException(this + " is closed; its device memory was freed");
        }
    }

    private CUdeviceptr range(MemorySegment host, long deviceOffset, String what)
    {
        requireOpen();
        requireNative(host, what);
        if (deviceOffset < 0 || deviceOffset > bytes || host.byteSize() > bytes - deviceOffset)
        {
            throw new IndexOutOfBoundsException(what + " of " + host.byteSize() + " bytes at device offset " + deviceOffset
                    + " does not fit in " + this);
        }
        return deviceOffset == 0 ? pointer : pointer.withByteOffset(deviceOffset);
    }

    static void requireNative(MemorySegment segment, String what)
    {
        if (!segment.isNative())
        {
            throw new IllegalArgumentException(what + " is a heap segment; CUDA copies need a native (off-heap or mapped) segment");
        }
    }
}
