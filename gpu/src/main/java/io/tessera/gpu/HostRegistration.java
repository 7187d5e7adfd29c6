package io.tessera.gpu;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import jcuda.driver.JCudaDriver;

/**
 * A host range page-locked with {@code cuMemHostRegister} for every device (portable), so that
 * {@link HostCopy#DIRECT} copies from or to it run at full DMA speed. Meant for long-lived ranges such
 * as a node's whole object-store mapping: registering costs about as much as copying the range once.
 * {@link #close()} unregisters it; the segment must stay mapped until then.
 */
public final class HostRegistration implements AutoCloseable
{
    private final MemorySegment segment;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HostRegistration(MemorySegment segment)
    {
        this.segment = segment;
    }

    /**
     * Page-locks a native segment for every device.
     *
     * @param segment the range, native and not empty (heap segments are refused with {@link IllegalArgumentException}).
     * @return the registration; close it before the segment is unmapped.
     * @throws GpuException when CUDA is unavailable or the driver refuses (e.g. the range is registered already).
     */
    public static HostRegistration register(MemorySegment segment)
    {
        GpuBuffer.requireNative(segment, "segment");
        if (segment.byteSize() == 0)
        {
            throw new IllegalArgumentException("cannot register an empty segment");
        }
        boolean pushed = Contexts.enter(0);
        try
        {
            Driver.check(JCudaDriver.cuMemHostRegister(Driver.host(segment.address()), segment.byteSize(),
                    JCudaDriver.CU_MEMHOSTREGISTER_PORTABLE), "cuMemHostRegister(" + segment.byteSize() + " bytes)");
        }
        finally
        {
            Contexts.exit(pushed);
        }
        return new HostRegistration(segment);
    }

    /**
     * The registered range, as given to {@link #register}.
     *
     * @return the segment.
     */
    public MemorySegment segment()
    {
        return segment;
    }

    /** Unregisters the range; idempotent. */
    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            boolean pushed = Contexts.enter(0);
            try
            {
                Driver.check(JCudaDriver.cuMemHostUnregister(Driver.host(segment.address())), "cuMemHostUnregister");
            }
            finally
            {
                Contexts.exit(pushed);
            }
        }
    }
}
