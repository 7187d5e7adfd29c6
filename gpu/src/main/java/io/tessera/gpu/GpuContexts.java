package io.tessera.gpu;

import jcuda.driver.CUcontext;
import jcuda.driver.JCudaDriver;

/**
 * Binds worker threads to devices. A bound thread's current CUDA context is the device's primary
 * context (shared by all threads and by other CUDA libraries in the process), so kernels it launches
 * run there. Buffers and modules do not need a bound thread: each operation makes its device's
 * context current for its own duration.
 */
public final class GpuContexts
{
    private GpuContexts()
    {
    }

    /**
     * Makes device {@code ordinal}'s primary context current on the calling thread, so kernels it launches
     * run there (what a node does for a task that holds that GPU).
     *
     * @param ordinal the device's driver ordinal.
     * @throws GpuException when CUDA is unavailable or the context cannot be made current.
     */
    public static void bind(int ordinal)
    {
        CUcontext ctx = Contexts.primary(ordinal);
        Driver.check(JCudaDriver.cuCtxSetCurrent(ctx), "cuCtxSetCurrent(device " + ordinal + ")");
    }

    /** Leaves the calling thread with no current CUDA context; a no-op without CUDA. */
    public static void unbind()
    {
        if (Cuda.isAvailable())
        {
            Driver.check(JCudaDriver.cuCtxSetCurrent(new CUcontext()), "cuCtxSetCurrent(null)");
        }
    }

    /**
     * The device bound to the calling thread.
     *
     * @return its driver ordinal, or -1 when none is (always -1 without CUDA).
     */
    public static int currentDevice()
    {
        return Contexts.current();
    }

    /**
     * Waits until all work queued on device {@code ordinal} (kernels, copies) has finished.
     *
     * @param ordinal the device's driver ordinal.
     * @throws GpuException when a queued kernel failed (the driver reports it here) or CUDA is unavailable.
     */
    public static void synchronize(int ordinal)
    {
        boolean pushed = Contexts.enter(ordinal);
        try
        {
            Driver.check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize(device " + ordinal + ")");
        }
        finally
        {
            Contexts.exit(pushed);
        }
    }
}
