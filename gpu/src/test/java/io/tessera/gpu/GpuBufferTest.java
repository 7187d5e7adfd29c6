package io.tessera.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class GpuBufferTest
{
    private static final long[] SIZES = {1, 4095, 1 << 20, (9L << 20) + 3};

    @BeforeAll
    static void requireCuda()
    {
        Assumptions.assumeTrue(Cuda.isAvailable(), Cuda.unavailabilityCause());
    }

    private static void fill(MemorySegment s, int seed)
    {
        for (long i = 0; i < s.byteSize(); i++)
        {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + seed));
        }
    }

    private static void roundTrip(MemorySegment src, MemorySegment dst, HostCopy how)
    {
        fill(src, 7);
        dst.fill((byte) 0);
        try (GpuBuffer buffer = GpuBuffer.allocate(0, src.byteSize() + 64))
        {
            buffer.copyFromHost(src, 64, how);
            buffer.copyToHost(dst, 64, how);
        }
        assertEquals(-1, src.mismatch(dst), how + " round trip of " + src.byteSize() + " bytes");
    }

    @ParameterizedTest
    @EnumSource(HostCopy.class)
    void shouldRoundTripOffHeapSegmentsOfSeveralSizes(HostCopy how)
    {
        for (long size : SIZES)
        {
            try (Arena arena = Arena.ofConfined())
            {
                roundTrip(arena.allocate(size), arena.allocate(size), how);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(HostCopy.class)
    void shouldRoundTripThroughAMappedShmSegment(HostCopy how) throws IOException
    {
        Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path file = Files.createTempFile(dir, "tessera-gpu-test", ".store");
        long size = (9L << 20) + 3;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             Arena arena = Arena.ofShared())
        {
            MemorySegment store = ch.map(FileChannel.MapMode.READ_WRITE, 0, 2 * size, arena);
            roundTrip(store.asSlice(0, size), store.asSlice(size, size), how);
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void shouldRoundTripARegisteredSegment()
    {
        long size = 8L << 20;
        try (Arena arena = Arena.ofConfined())
        {
            MemorySegment src = arena.allocate(size, 4096);
            MemorySegment dst = arena.allocate(size, 4096);
            try (HostRegistration a = HostRegistration.register(src); HostRegistration _ = HostRegistration.register(dst))
            {
                assertEquals(src, a.segment());
                roundTrip(src, dst, HostCopy.DIRECT);
            }
        }
    }

    @Test
    void shouldRefuseUseAfterClose()
    {
        GpuBuffer buffer = GpuBuffer.allocate(0, 1024);
        buffer.close();
        buffer.close();
        assertTrue(buffer.isClosed());
        try (Arena arena = Arena.ofConfined())
        {
            MemorySegment host = arena.allocate(16);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> buffer.copyFromHost(host));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> buffer.copyToHost(host));
            assertThrows(IllegalStateException.class, () -> Kernels.saxpy(1f, buffer, buffer, 4));
        }
    }

    @Test
    void shouldRejectBadArguments()
    {
        assertThrows(IllegalArgumentException.class, () -> GpuBuffer.allocate(0, 0));
        assertThrows(IllegalArgumentException.class, () -> GpuBuffer.allocate(Cuda.devices().size(), 16));
        try (GpuBuffer buffer = GpuBuffer.allocate(0, 64); Arena arena = Arena.ofConfined())
        {
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.copyFromHost(arena.allocate(65)));
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.copyToHost(arena.allocate(8), 60, HostCopy.DIRECT));
            assertThrows(IllegalArgumentException.class, () -> buffer.copyFromHost(MemorySegment.ofArray(new byte[8])));
        }
    }

    @Test
    void shouldFreeDeviceMemoryOnClose()
    {
        long bytes = 512L << 20;
        long slack = 16L << 20;
        long before = Cuda.memoryInfo(0)[0];
        GpuBuffer buffer = GpuBuffer.allocate(0, bytes);
        long during = Cuda.memoryInfo(0)[0];
        buffer.close();
        long after = Cuda.memoryInfo(0)[0];
        assertTrue(before - during >= bytes - slack, "free before " + before + ", with buffer " + during);
        assertTrue(after >= before - slack, "free before " + before + ", after close " + after);
    }
}
