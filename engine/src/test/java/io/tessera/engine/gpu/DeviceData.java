package io.tessera.engine.gpu;

import io.tessera.TaskContext;
import io.tessera.gpu.GpuBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Moving float arrays between the heap and device memory in the GPU tests. */
final class DeviceData
{
    private DeviceData()
    {
    }

    /** The first device granted to the running task. */
    static int device()
    {
        final int[] ids = TaskContext.current().gpuIds();
        if (ids.length == 0)
        {
            throw new IllegalStateException("task " + TaskContext.current().name() + " holds no GPU");
        }
        return ids[0];
    }

    static GpuBuffer upload(int device, float[] values)
    {
        final GpuBuffer b = GpuBuffer.allocate(device, (long) values.length * Float.BYTES);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment host = arena.allocate((long) values.length * Float.BYTES, 64);
            MemorySegment.copy(values, 0, host, ValueLayout.JAVA_FLOAT, 0, values.length);
            b.copyFromHost(host);
        }
        catch (RuntimeException ex)
        {
            b.close();
            throw ex;
        }
        return b;
    }

    static float[] download(GpuBuffer b)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment host = arena.allocate(b.bytes(), 64);
            b.copyToHost(host);
            return host.toArray(ValueLayout.JAVA_FLOAT);
        }
    }

    static float[] ramp(int n, float scale)
    {
        final float[] a = new float[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = (i % 1000) * scale;
        }
        return a;
    }
}
