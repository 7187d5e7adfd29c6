package io.tessera.gpu;

import jcuda.driver.CUcontext;
import jcuda.driver.JCudaDriver;

/**
 * Binds worker threads to devices. A bound thread's current CUDA context is the device's primary
 * context (shared by all threads and by other CUDA libraries in the process), so kernels it launches
 * run there. Buffers and modules do not need a bound thread: each operation makes its device's
 * context current for its own duration.
 */
public final class GpuContexts {
    private GpuContexts() {
    }

    /** Makes device {@code ordinal}'s primary context current on the calling thread. */
    public static void bind(int ordinal) {
        CUcontext ctx = Contexts.primary(ordinal);
        Driver.check(JCudaDriver.cuCtxSetCurrent(ctx), "cuCtxSetCurrent(device " + ordinal + ")");
    }

    /** Leaves the calling thread with no current CUDA context; a no-op without CUDA. */
    public static void unbind() {
        if (Cuda.isAvailable()) {
            Driver.check(JCudaDriver.cuCtxSetCurrent(new CUcontext()), "cuCtxSetCurrent(null)");
        }
    }

    /** The device bound to the calling thread, or -1 if none (always -1 without CUDA). */
    public static int currentDevice() {
        return Contexts.current();
    }

    /** Waits until all work queued on device {@code ordinal} (kernels, copies) has finished. */
    public static void synchronize(int ordinal) {
        boolean pushed = Contexts.enter(ordinal);
        try {
            Driver.check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize(device " + ordinal + ")");
        } finally {
            Contexts.exit(pushed);
        }
    }
}
