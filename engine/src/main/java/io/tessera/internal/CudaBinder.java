package io.tessera.internal;

import io.tessera.gpu.GpuContexts;
import io.tessera.scheduler.GpuBinder;

/** Makes the first granted device's CUDA context current on the worker thread for the task's run. */
final class CudaBinder implements GpuBinder
{
    @Override
    public void bind(int[] gpuIds)
    {
        if (gpuIds.length > 0)
        {
            GpuContexts.bind(gpuIds[0]);
        }
    }

    @Override
    public void unbind()
    {
        GpuContexts.unbind();
    }
}
