package io.tessera.engine.gpu;

import io.tessera.ObjectLostException;
import io.tessera.ObjectRef;
import io.tessera.Resources;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import io.tessera.gpu.Cuda;
import io.tessera.gpu.GpuBuffer;
import io.tessera.gpu.GpuContexts;
import io.tessera.gpu.Kernels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicReference;

import static io.tessera.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GPU-resident objects: kernels as tasks, buffers passed between tasks, host reads and freeing. Needs a GPU. */
@Timeout(120)
class GpuObjectsTest
{
    static final int N = 1 << 20;
    static final long BIG_BYTES = 512L << 20;
    static final AtomicReference<GpuBuffer> SEEN = new AtomicReference<>();
    static final AtomicReference<GpuBuffer> SEEN_COPY = new AtomicReference<>();

    @BeforeEach
    void start()
    {
        Assumptions.assumeTrue(Cuda.isAvailable(), Cuda.unavailabilityCause());
        Tessera.init(TesseraConfig.builder().cpus(4).objectStoreBytes(256L << 20).build());
        SEEN.set(null);
        SEEN_COPY.set(null);
    }

    @AfterEach
    void stop()
    {
        Tessera.shutdown();
    }

    @Resources(gpus = 1)
    static float[] vectorAdd(float[] a, float[] b)
    {
        final int d = DeviceData.device();
        try (GpuBuffer da = DeviceData.upload(d, a); GpuBuffer db = DeviceData.upload(d, b);
             GpuBuffer out = GpuBuffer.allocate(d, (long) a.length * Float.BYTES))
        {
            Kernels.vectorAdd(da, db, out, a.length);
            return DeviceData.download(out);
        }
    }

    /** Leaves its result on the device. */
    @Resources(gpus = 1)
    static GpuBuffer uploadRamp(int n, float scale)
    {
        final GpuBuffer b = DeviceData.upload(DeviceData.device(), DeviceData.ramp(n, scale));
        SEEN.set(b);
        return b;
    }

    /** y = a * x + y in place on the device; returns y, the same buffer. */
    @Resources(gpus = 1)
    static GpuBuffer saxpyInPlace(float a, GpuBuffer x, GpuBuffer y)
    {
        assertEquals(GpuContexts.currentDevice(), y.device());
        Kernels.saxpy(a, x, y, (int) (x.bytes() / Float.BYTES));
        return y;
    }

    @Resources(gpus = 1)
    static GpuBuffer matmul(float[] a, float[] b, int m, int n, int k)
    {
        final int d = DeviceData.device();
        try (GpuBuffer da = DeviceData.upload(d, a); GpuBuffer db = DeviceData.upload(d, b))
        {
            final GpuBuffer c = GpuBuffer.allocate(d, (long) m * n * Float.BYTES);
            Kernels.matmul(da, db, c, m, n, k);
            return c;
        }
    }

    @Resources(gpus = 1)
    static boolean receive(GpuBuffer b)
    {
        return SEEN.compareAndSet(b, null);
    }

    @Resources(gpus = 1)
    static GpuBuffer allocateBig()
    {
        final GpuBuffer b = GpuBuffer.allocate(DeviceData.device(), BIG_BYTES);
        SEEN.set(b);
        return b;
    }

    static int one()
    {
        return 1;
    }

    static GpuBuffer identity(GpuBuffer b)
    {
        return b;
    }

    @Test
    void shouldRunKernelsAsGpuTasks()
    {
        final float[] a = DeviceData.ramp(N + 3, 1f);
        final float[] b = DeviceData.ramp(N + 3, 2f);
        final float[] sum = Tessera.task(GpuObjectsTest::vectorAdd, a, b).remote().get();
        for (int i = 0; i < a.length; i++)
        {
            assertEquals(a[i] + b[i], sum[i], "element " + i);
        }

        final ObjectRef<GpuBuffer> x = Tessera.task(GpuObjectsTest::uploadRamp, N, 1f).remote();
        final ObjectRef<GpuBuffer> y = Tessera.task(GpuObjectsTest::uploadRamp, N, 0.5f).remote();
        final ObjectRef<GpuBuffer> y2 = Tessera.task(GpuObjectsTest::saxpyInPlace, 3f, x, y).options(o -> o.name("saxpy")).remote();
        final float[] expected = DeviceData.ramp(N, 0.5f);
        final float[] xs = DeviceData.ramp(N, 1f);
        for (int i = 0; i < N; i++)
        {
            expected[i] = 3f * xs[i] + expected[i];
        }
        assertArrayEquals(expected, Tessera.getSegment(y2).toArray(ValueLayout.JAVA_FLOAT));

        final int m = 67;
        final int n = 45;
        final int k = 129;
        final float[] ma = DeviceData.ramp(m * k, 0.01f);
        final float[] mb = DeviceData.ramp(k * n, 0.02f);
        final float[] c = Tessera.getSegment(Tessera.task(GpuObjectsTest::matmul, ma, mb, m, n, k).remote())
            .toArray(ValueLayout.JAVA_FLOAT);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double acc = 0;
                for (int p = 0; p < k; p++)
                {
                    acc += (double) ma[i * k + p] * mb[p * n + j];
                }
                assertEquals(acc, c[i * n + j], Math.abs(acc) * 1e-4 + 1e-3, "c[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void shouldPassGpuObjectToTaskOnSameDeviceWithoutCopy()
    {
        final ObjectRef<GpuBuffer> ref = Tessera.task(GpuObjectsTest::uploadRamp, 1024, 1f).remote();
        final GpuBuffer handle = Tessera.get(ref);
        assertSame(SEEN.get(), handle, "get returns the device buffer itself");
        assertTrue(Tessera.task(GpuObjectsTest::receive, ref).remote().get(), "the task received the same buffer");
        assertFalse(handle.isClosed());

        SEEN.set(handle);
        assertTrue(Tessera.task(GpuObjectsTest::receive, ref).options(o -> o.gpus(0).cpus(1)).remote().get(),
            "a CPU-only task gets the handle too");
        assertSame(handle, Tessera.get(ref));
    }

    @Test
    void shouldReadGpuObjectThroughTheStoreOnce()
    {
        final ObjectRef<GpuBuffer> ref = Tessera.task(GpuObjectsTest::uploadRamp, N + 5, 0.25f).remote();
        final MemorySegment first = Tessera.getSegment(ref);
        assertTrue(first.isReadOnly());
        assertEquals((long) (N + 5) * Float.BYTES, first.byteSize());
        assertArrayEquals(DeviceData.ramp(N + 5, 0.25f), first.toArray(ValueLayout.JAVA_FLOAT));
        final MemorySegment second = Tessera.getSegment(ref);
        assertEquals(first.address(), second.address(), "the store copy is made once and reused");
        assertFalse(Tessera.get(ref).isClosed(), "the device copy stays");
    }

    @Test
    void shouldFreeDeviceMemoryOnFree()
    {
        final long before = Cuda.memoryInfo(0)[0];
        final ObjectRef<GpuBuffer> ref = Tessera.task(GpuObjectsTest::allocateBig).remote();
        final GpuBuffer b = Tessera.get(ref);
        final int device = b.device();
        final long during = Cuda.memoryInfo(device)[0];
        if (device == 0)
        {
            assertTrue(before - during >= BIG_BYTES - (64L << 20), "allocated: free " + before + " -> " + during);
        }
        Tessera.free(ref);
        assertTrue(b.isClosed(), "free closes the device buffer");
        final long after = Cuda.memoryInfo(device)[0];
        assertTrue(after - during >= BIG_BYTES - (64L << 20), "freed: free " + during + " -> " + after);
        assertThrows(ObjectLostException.class, () -> Tessera.get(ref));
        assertThrows(ObjectLostException.class, () -> Tessera.getSegment(ref));
    }

    @Test
    void shouldFreeDeviceMemoryOnceNoRefIsReachable() throws InterruptedException
    {
        dropRef();
        final GpuBuffer b = SEEN.get();
        assertFalse(b.isClosed());
        final java.util.List<ObjectRef<Integer>> flush = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++)
        {
            flush.add(Tessera.task(GpuObjectsTest::one).remote());
            flush.add(Tessera.task(GpuObjectsTest::one).options(o -> o.gpus(1)).remote());
        }
        Tessera.get(flush);
        until("the Cleaner freed the device buffer of an unreachable object", () ->
        {
            System.gc();
            return b.isClosed();
        });
    }

    private static void dropRef()
    {
        final ObjectRef<GpuBuffer> ref = Tessera.task(GpuObjectsTest::allocateBig).remote();
        assertFalse(Tessera.get(ref).isClosed());
    }

    @Test
    void shouldKeepBufferWhileAnyObjectHoldsIt()
    {
        final ObjectRef<GpuBuffer> first = Tessera.task(GpuObjectsTest::uploadRamp, 4096, 1f).remote();
        final ObjectRef<GpuBuffer> second = Tessera.task(GpuObjectsTest::identity, first).remote();
        final GpuBuffer b = Tessera.get(second);
        assertSame(Tessera.get(first), b);
        Tessera.free(first);
        assertFalse(b.isClosed(), "the second object still holds the buffer");
        assertArrayEquals(DeviceData.ramp(4096, 1f), Tessera.getSegment(second).toArray(ValueLayout.JAVA_FLOAT));
        Tessera.free(second);
        assertTrue(b.isClosed());
    }

    @Test
    void shouldStoreAPutGpuBufferAsGpuObjectAndFreeItOnShutdown()
    {
        final GpuBuffer b = DeviceData.upload(0, DeviceData.ramp(1000, 1f));
        final ObjectRef<GpuBuffer> ref = Tessera.put(b);
        assertSame(b, Tessera.get(ref));
        assertArrayEquals(DeviceData.ramp(1000, 1f), Tessera.getSegment(ref).toArray(ValueLayout.JAVA_FLOAT));
        Tessera.shutdown();
        assertTrue(b.isClosed(), "node shutdown frees GPU objects");
    }

    /** Runs on a device other than the buffers': returns what it saw. */
    @Resources(gpus = 1)
    static float[] onAnotherDevice(GpuBuffer onZero, GpuBuffer onOne)
    {
        final int me = DeviceData.device();
        final GpuBuffer mine = me == 0 ? onOne : onZero;
        assertEquals(me, onZero.device());
        assertEquals(me, onOne.device());
        SEEN_COPY.set(me == 0 ? onOne : onZero);
        return DeviceData.download(mine);
    }

    @Test
    void shouldCopyGpuObjectThroughTheStoreToAnotherDevice()
    {
        Assumptions.assumeTrue(Cuda.devices().size() >= 2, "needs two GPUs, found " + Cuda.devices().size());
        final GpuBuffer zero = DeviceData.upload(0, DeviceData.ramp(N, 1f));
        final GpuBuffer one = DeviceData.upload(1, DeviceData.ramp(N, 1f));
        final ObjectRef<GpuBuffer> r0 = Tessera.put(zero);
        final ObjectRef<GpuBuffer> r1 = Tessera.put(one);
        final float[] seen = Tessera.task(GpuObjectsTest::onAnotherDevice, r0, r1).remote().get();
        assertArrayEquals(DeviceData.ramp(N, 1f), seen);
        final GpuBuffer copy = SEEN_COPY.get();
        assertNotSame(zero, copy);
        assertNotSame(one, copy);
        assertTrue(copy.isClosed(), "the engine closes the copy after the task");
        assertFalse(zero.isClosed());
        assertFalse(one.isClosed());
        Tessera.free(r0);
        Tessera.free(r1);
        assertTrue(zero.isClosed() && one.isClosed());
    }
}
