package io.tessera.engine.gpu;

import io.tessera.ActorHandle;
import io.tessera.ObjectRef;
import io.tessera.Resources;
import io.tessera.TaskContext;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device pinning of GPU tasks and actors. Needs a GPU. */
@Timeout(120)
class GpuPinningTest
{
    static final Map<Integer, AtomicInteger> ON_DEVICE = new ConcurrentHashMap<>();
    static final AtomicInteger OVERLAPS = new AtomicInteger();
    static volatile CountDownLatch together;

    @BeforeEach
    void start()
    {
        Assumptions.assumeTrue(Cuda.isAvailable(), Cuda.unavailabilityCause());
        Tessera.init(TesseraConfig.builder().cpus(8).objectStoreBytes(64L << 20).build());
        ON_DEVICE.clear();
        OVERLAPS.set(0);
    }

    @AfterEach
    void stop()
    {
        Tessera.shutdown();
    }

    /** {granted ids..., the thread's current device}. */
    @Resources(gpus = 1)
    static int[] whereAmI()
    {
        final int[] ids = TaskContext.current().gpuIds();
        final int[] out = java.util.Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = GpuContexts.currentDevice();
        return out;
    }

    static int[] whereAmIUnannotated()
    {
        return whereAmI();
    }

    /** Holds its device for a while with real work; counts how many tasks hold the same device at once. */
    @Resources(gpus = 1)
    static long[] busyOnDevice()
    {
        final int d = DeviceData.device();
        final AtomicInteger here = ON_DEVICE.computeIfAbsent(d, k -> new AtomicInteger());
        final long startNs = System.nanoTime();
        if (here.incrementAndGet() != 1)
        {
            OVERLAPS.incrementAndGet();
        }
        try (GpuBuffer x = GpuBuffer.allocate(d, 4L << 20); GpuBuffer y = GpuBuffer.allocate(d, 4L << 20))
        {
            for (int i = 0; i < 200; i++)
            {
                Kernels.saxpy(1f, x, y, 1 << 20);
            }
            GpuContexts.synchronize(d);
        }
        finally
        {
            here.decrementAndGet();
        }
        return new long[] {d, startNs, System.nanoTime()};
    }

    /** Both halves of a device must run at once for either to return true. */
    static int[] halfGpuRendezvous() throws InterruptedException
    {
        final CountDownLatch l = together;
        l.countDown();
        final boolean met = l.await(30, TimeUnit.SECONDS);
        return new int[] {met ? 1 : 0, TaskContext.current().gpuIds()[0], GpuContexts.currentDevice()};
    }

    @Test
    void shouldPinTasksToTheirGrantedDevice()
    {
        final int[] annotated = Tessera.task(GpuPinningTest::whereAmI).remote().get();
        assertEquals(2, annotated.length);
        assertEquals(annotated[0], annotated[1], "current context is the granted device");
        assertTrue(annotated[0] >= 0 && annotated[0] < Cuda.devices().size());
        final int[] optioned = Tessera.task(GpuPinningTest::whereAmIUnannotated).options(o -> o.gpus(1)).remote().get();
        assertEquals(optioned[0], optioned[1]);
        final int[] cpuOnly = Tessera.task(GpuPinningTest::whereAmIUnannotated).options(o -> o.gpus(0)).remote().get();
        assertArrayEquals(new int[] {-1}, cpuOnly, "no grant, no device, no current context");
        assertEquals(-1, GpuContexts.currentDevice(), "the driver thread is not bound");
    }

    @Test
    void shouldNeverRunTwoWholeGpuTasksOnOneDeviceAtOnce()
    {
        final int devices = Cuda.devices().size();
        final List<ObjectRef<long[]>> refs = new ArrayList<>();
        for (int i = 0; i < 3 * devices + 1; i++)
        {
            refs.add(Tessera.task(GpuPinningTest::busyOnDevice).remote());
        }
        final List<long[]> runs = Tessera.get(refs);
        assertEquals(0, OVERLAPS.get(), "a task found its device already held");
        for (int i = 0; i < runs.size(); i++)
        {
            for (int j = i + 1; j < runs.size(); j++)
            {
                final long[] a = runs.get(i);
                final long[] b = runs.get(j);
                if (a[0] == b[0])
                {
                    assertTrue(a[2] <= b[1] || b[2] <= a[1], "runs " + i + " and " + j + " on device " + a[0] + " overlap");
                }
            }
        }
    }

    @Test
    void shouldLetFractionalGpuTasksShareADevice()
    {
        together = new CountDownLatch(2);
        final ObjectRef<int[]> a = Tessera.task(GpuPinningTest::halfGpuRendezvous).options(o -> o.gpus(0.5)).remote();
        final ObjectRef<int[]> b = Tessera.task(GpuPinningTest::halfGpuRendezvous).options(o -> o.gpus(0.5)).remote();
        final int[] ra = a.get();
        final int[] rb = b.get();
        assertEquals(1, ra[0], "both halves ran at once");
        assertEquals(1, rb[0], "both halves ran at once");
        assertEquals(ra[1], ra[2]);
        assertEquals(rb[1], rb[2]);
        if (Cuda.devices().size() == 1)
        {
            assertEquals(ra[1], rb[1], "they shared the one device");
        }
    }

    public static class DeviceHolder
    {
        public int[] where()
        {
            return whereAmI();
        }
    }

    @Test
    void shouldKeepAnActorOnItsDeviceForLife()
    {
        final ActorHandle<DeviceHolder> actor = Tessera.actor(DeviceHolder::new).options(o -> o.gpus(1)).remote();
        final int[] first = actor.task(DeviceHolder::where).remote().get();
        assertEquals(first[0], first[1]);
        for (int i = 0; i < 20; i++)
        {
            assertArrayEquals(first, actor.task(DeviceHolder::where).remote().get(), "call " + i);
        }
        if (Cuda.devices().size() == 1)
        {
            final ObjectRef<int[]> waiting = Tessera.task(GpuPinningTest::whereAmI).remote();
            assertTrue(Tessera.wait(List.of(waiting), 1, java.time.Duration.ofMillis(200)).ready().isEmpty(),
                "a whole-GPU task waits while the actor holds the only device");
            actor.kill();
            assertEquals(first[0], Tessera.get(waiting, java.time.Duration.ofSeconds(20))[0],
                "it runs once the actor released the device");
        }
    }
}
