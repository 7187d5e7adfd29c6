package io.tessera.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KernelLaunchTest
{
    @BeforeAll
    static void requireCuda()
    {
        Assumptions.assumeTrue(Cuda.isAvailable(), Cuda.unavailabilityCause());
    }

    @Test
    void shouldNamePositionAndTypeOfAWrongArgument()
    {
        try (CudaModule module = CudaModule.loadResource(Kernels.RESOURCE); GpuBuffer x = GpuBuffer.allocate(0, 64))
        {
            Kernel saxpy = module.kernel("saxpy");
            assertSame(saxpy, module.kernel("saxpy"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> saxpy.launch(Dim3.of(1), Dim3.of(16), 0, 2f, "x", x, 16));
            assertTrue(e.getMessage().contains("argument 1") && e.getMessage().contains("java.lang.String"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> saxpy.launch(Dim3.of(1), Dim3.of(16), 0, 2f, x, null, 16));
            assertTrue(e.getMessage().contains("argument 2") && e.getMessage().contains("null"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> saxpy.launch(Dim3.of(1), Dim3.of(16), 0, 2f, x, x, (short) 3));
            assertTrue(e.getMessage().contains("argument 3") && e.getMessage().contains("java.lang.Short"), e.getMessage());
        }
    }

    @Test
    void shouldFailWithTheCudaErrorForAnUnknownKernel()
    {
        try (CudaModule module = CudaModule.loadResource(Kernels.RESOURCE))
        {
            GpuException e = assertThrows(GpuException.class, () -> module.kernel("noSuchKernel"));
            assertEquals("CUDA_ERROR_NOT_FOUND", e.cudaError());
        }
    }

    @Test
    void shouldLoadAModuleFromAFileAndRefuseItAfterClose() throws IOException
    {
        Path file = Files.createTempFile("tessera-kernels", ".ptx");
        try (InputStream in = KernelLaunchTest.class.getClassLoader().getResourceAsStream(Kernels.RESOURCE))
        {
            Files.write(file, in.readAllBytes());
        }
        try (Arena arena = Arena.ofConfined(); GpuBuffer y = GpuBuffer.allocate(0, 4 * 4))
        {
            CudaModule module = CudaModule.loadFile(file);
            Kernel saxpy = module.kernel("saxpy");
            MemorySegment host = arena.allocate(16);
            MemorySegment.copy(new float[] {1, 2, 3, 4}, 0, host, ValueLayout.JAVA_FLOAT, 0, 4);
            y.copyFromHost(host);
            saxpy.launch(Dim3.of(1), Dim3.of(32), 0, 3f, y, y, 4);
            y.copyToHost(host);
            assertEquals(-1, MemorySegment.mismatch(host, 0, 16,
                    MemorySegment.ofArray(new float[] {4, 8, 12, 16}), 0, 16));
            module.close();
            module.close();
            assertThrows(IllegalStateException.class, () -> saxpy.launch(Dim3.of(1), Dim3.of(32), 0, 3f, y, y, 4));
            assertThrows(IllegalStateException.class, () -> module.kernel("saxpy"));
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void shouldBindWorkerThreadsToADeviceIndependently() throws Exception
    {
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try
        {
            Future<int[]> first = workers.submit(() ->
            {
                int before = GpuContexts.currentDevice();
                GpuContexts.bind(0);
                int bound = GpuContexts.currentDevice();
                try (Arena arena = Arena.ofConfined(); GpuBuffer a = KernelsTest.upload(new float[] {1, 2}, arena);
                     GpuBuffer out = GpuBuffer.allocate(0, 8))
                {
                    Kernels.vectorAdd(a, a, out, 2);
                    float[] sum = KernelsTest.download(out, 2, arena);
                    assertEquals(2f, sum[0]);
                    assertEquals(4f, sum[1]);
                }
                int stillBound = GpuContexts.currentDevice();
                GpuContexts.unbind();
                return new int[] {before, bound, stillBound, GpuContexts.currentDevice()};
            });
            assertEquals(-1, first.get(30, TimeUnit.SECONDS)[0]);
            assertEquals(0, first.get()[1]);
            assertEquals(0, first.get()[2], "buffer and kernel calls leave the binding as it was");
            assertEquals(-1, first.get()[3]);
            Future<Integer> unboundUse = workers.submit(() ->
            {
                try (GpuBuffer _ = GpuBuffer.allocate(0, 16))
                {
                    return GpuContexts.currentDevice();
                }
            });
            assertEquals(-1, unboundUse.get(30, TimeUnit.SECONDS), "an unbound thread stays unbound after using a buffer");
            assertThrows(IllegalArgumentException.class, () -> GpuContexts.bind(Cuda.devices().size()));
            assertEquals(-1, GpuContexts.currentDevice());
        }
        finally
        {
            workers.shutdownNow();
            assertTrue(workers.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
