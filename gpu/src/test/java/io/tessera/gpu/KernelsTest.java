package io.tessera.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KernelsTest
{
    @BeforeAll
    static void requireCuda()
    {
        Assumptions.assumeTrue(Cuda.isAvailable(), Cuda.unavailabilityCause());
    }

    static float[] random(int n, long seed)
    {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    static GpuBuffer upload(float[] values, Arena arena)
    {
        MemorySegment host = arena.allocate((long) values.length * Float.BYTES);
        MemorySegment.copy(values, 0, host, ValueLayout.JAVA_FLOAT, 0, values.length);
        GpuBuffer buffer = GpuBuffer.allocate(0, host.byteSize());
        buffer.copyFromHost(host);
        return buffer;
    }

    static float[] download(GpuBuffer buffer, int n, Arena arena)
    {
        MemorySegment host = arena.allocate((long) n * Float.BYTES);
        buffer.copyToHost(host);
        return host.toArray(ValueLayout.JAVA_FLOAT);
    }

    @Test
    void shouldAddVectorsLikeTheCpu()
    {
        int n = 1_000_003;
        float[] a = random(n, 1);
        float[] b = random(n, 2);
        try (Arena arena = Arena.ofConfined(); GpuBuffer da = upload(a, arena); GpuBuffer db = upload(b, arena);
             GpuBuffer out = GpuBuffer.allocate(0, (long) n * Float.BYTES))
        {
            Kernels.vectorAdd(da, db, out, n);
            float[] got = download(out, n, arena);
            for (int i = 0; i < n; i++)
            {
                assertEquals(a[i] + b[i], got[i], 0f, "element " + i);
            }
        }
    }

    @Test
    void shouldComputeSaxpyLikeTheCpu()
    {
        int n = 300_007;
        float alpha = 2.5f;
        float[] x = random(n, 3);
        float[] y = random(n, 4);
        try (Arena arena = Arena.ofConfined(); GpuBuffer dx = upload(x, arena); GpuBuffer dy = upload(y, arena))
        {
            Kernels.saxpy(alpha, dx, dy, n);
            float[] got = download(dy, n, arena);
            for (int i = 0; i < n; i++)
            {
                assertEquals(alpha * x[i] + y[i], got[i], 1e-5f, "element " + i);
            }
        }
    }

    @Test
    void shouldMultiplyMatricesLikeTheCpu()
    {
        int m = 67;
        int n = 45;
        int k = 129;
        float[] a = random(m * k, 5);
        float[] b = random(k * n, 6);
        try (Arena arena = Arena.ofConfined(); GpuBuffer da = upload(a, arena); GpuBuffer db = upload(b, arena);
             GpuBuffer dc = GpuBuffer.allocate(0, (long) m * n * Float.BYTES))
        {
            Kernels.matmul(da, db, dc, m, n, k);
            float[] got = download(dc, m * n, arena);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double expected = 0;
                    for (int t = 0; t < k; t++)
                    {
                        expected += (double) a[i * k + t] * b[t * n + j];
                    }
                    assertEquals(expected, got[i * n + j], 1e-3, "c[" + i + "][" + j + "]");
                }
            }
        }
    }
}
