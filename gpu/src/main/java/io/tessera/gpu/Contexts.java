package io.tessera.gpu;

import java.util.concurrent.atomic.AtomicReferenceArray;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

/**
 * The devices' primary contexts, retained once per device for the life of the JVM, and the
 * enter/exit pair that makes a device's context current for one operation on any thread.
 */
final class Contexts
{
    private static final AtomicReferenceArray<CUcontext> PRIMARY = new AtomicReferenceArray<>(64);

    private Contexts()
    {
    }

    static CUcontext primary(int ordinal)
    {
        CUcontext ctx = ordinal < PRIMARY.length() ? PRIMARY.get(ordinal) : null;
        if (ctx != null)
        {
            return ctx;
        }
        Cuda.requireDevice(ordinal);
        if (ordinal >= PRIMARY.length())
        {
            throw new IllegalArgumentException("device ordinal " + ordinal + " above the supported 63");
        }
        CUdevice device = new CUdevice();
        Driver.check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        CUcontext fresh = new CUcontext();
        Driver.check(JCudaDriver.cuDevicePrimaryCtxRetain(fresh, device), "cuDevicePrimaryCtxRetain(" + ordinal + ")");
        if (!PRIMARY.compareAndSet(ordinal, null, fresh))
        {
            JCudaDriver.cuDevicePrimaryCtxRelease(device);
        }
        return PRIMARY.get(ordinal);
    }

    /** The ordinal whose primary context is current on this thread, or -1. */
    static int current()
    {
        if (!Cuda.isAvailable())
        {
            return -1;
        }
        CUcontext current = new CUcontext();
        Driver.check(JCudaDriver.cuCtxGetCurrent(current), "cuCtxGetCurrent");
        int count = Math.min(Cuda.devices().size(), PRIMARY.length());
        for (int i = 0; i < count; i++)
        {
            CUcontext ctx = PRIMARY.get(i);
            if (ctx != null && ctx.equals(current))
            {
                return i;
            }
        }
        return -1;
    }

    /** Makes the device's primary context current if it is not; returns whether {@link #exit} must pop it. */
    static boolean enter(int ordinal)
    {
        CUcontext ctx = primary(ordinal);
        CUcontext current = new CUcontext();
        Driver.check(JCudaDriver.cuCtxGetCurrent(current), "cuCtxGetCurrent");
        if (ctx.equals(current))
        {
            return false;
        }
        Driver.check(JCudaDriver.cuCtxPushCurrent(ctx), "cuCtxPushCurrent(device " + ordinal + ")");
        return true;
    }

    static void exit(boolean pushed)
    {
        if (pushed)
        {
            Driver.check(JCudaDriver.cuCtxPopCurrent(new CUcontext()), "cuCtxPopCurrent");
        }
    }
}
