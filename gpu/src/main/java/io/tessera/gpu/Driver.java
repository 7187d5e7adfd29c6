package io.tessera.gpu;

import jcuda.Pointer;
import jcuda.driver.CUresult;

/** Result checking and small helpers around JCuda's driver binding; exceptions stay disabled in JCuda. */
final class Driver
{
    private Driver()
    {
    }

    static void check(int result, String call)
    {
        if (result != CUresult.CUDA_SUCCESS)
        {
            String name = CUresult.stringFor(result);
            throw new GpuException(call + " failed: " + name, name);
        }
    }

    /** A JCuda pointer at a raw host address (a native {@code MemorySegment}'s address). */
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
