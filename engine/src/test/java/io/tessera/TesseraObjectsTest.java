package io.tessera;

import io.tessera.internal.LocalRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import static io.tessera.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class TesseraObjectsTest
{
    record Point(int x, int y) implements Serializable
    {
    }

    @AfterEach
    void stop()
    {
        Tessera.shutdown();
    }

    private static void start()
    {
        Tessera.init(TesseraConfig.builder().cpus(2).objectStoreBytes(64L << 20).build());
    }

    @Test
    void shouldRoundTripRawAndSerializedObjects()
    {
        start();
        final double[] d = {1.5, 2.5, -3};
        assertArrayEquals(d, Tessera.get(Tessera.put(d)));
        assertArrayEquals(new int[] {1, 2, 3}, Tessera.put(new int[] {1, 2, 3}).get());
        assertArrayEquals(new byte[] {9, 8}, Tessera.put(new byte[] {9, 8}).get());
        assertEquals(new Point(1, 2), Tessera.put(new Point(1, 2)).get());
        assertEquals(Map.of("a", List.of(1, 2)), Tessera.put(Map.of("a", List.of(1, 2))).get());
        assertNull(Tessera.put(null).get());
        final ByteBuffer bb = ByteBuffer.wrap(new byte[] {0, 1, 2, 3, 4}).position(1).limit(4);
        final ByteBuffer back = Tessera.put(bb).get();
        assertTrue(back.isReadOnly());
        assertEquals(3, back.remaining());
        assertEquals(1, back.get(back.position()));
    }

    @Test
    void shouldExposePrimitiveArraysAsRawNativeOrderSegments()
    {
        start();
        final ObjectRef<long[]> ref = Tessera.put(new long[] {7, 8, 9});
        final MemorySegment seg = Tessera.getSegment(ref);
        assertTrue(seg.isReadOnly());
        assertEquals(24, seg.byteSize());
        assertEquals(9L, seg.getAtIndex(ValueLayout.JAVA_LONG, 2));
        assertThrows(IllegalArgumentException.class, () -> seg.set(ValueLayout.JAVA_LONG, 0, 1L));
        final ByteBuffer direct = seg.asByteBuffer().order(ByteOrder.nativeOrder());
        assertEquals(7L, direct.getLong(0));
    }

    @Test
    void shouldGiveSerializedBytesForObjectsAndInlineResults()
    {
        start();
        final MemorySegment seg = Tessera.getSegment(Tessera.put(new Point(3, 4)));
        assertTrue(seg.byteSize() > 0);
        final ObjectRef<Integer> small = Tessera.task(TesseraObjectsTest::seven).remote();
        assertTrue(Tessera.getSegment(small).byteSize() > 0);
        assertEquals(7, small.get());
    }

    static int sumOfRefs(List<ObjectRef<Integer>> refs)
    {
        int s = 0;
        for (ObjectRef<Integer> r : refs)
        {
            s += r.get();
        }
        return s;
    }

    @Test
    void shouldResolveRefsNestedInsideObjects()
    {
        start();
        final List<ObjectRef<Integer>> refs = List.of(Tessera.put(1), Tessera.task(TesseraObjectsTest::seven).remote());
        assertEquals(8, Tessera.task(TesseraObjectsTest::sumOfRefs, refs).remote().get());
        final ObjectRef<List<ObjectRef<Integer>>> stored = Tessera.put(refs);
        final List<ObjectRef<Integer>> back = stored.get();
        assertEquals(refs, back);
        assertEquals(8, sumOfRefs(back));
    }

    static int seven()
    {
        return 7;
    }

    @Test
    void shouldFailFastOnFreedObjects()
    {
        start();
        final ObjectRef<int[]> ref = Tessera.put(new int[1000]);
        final long before = LocalRuntime.current().store().stats().objects();
        Tessera.free(ref);
        assertThrows(ObjectLostException.class, ref::get);
        assertThrows(ObjectLostException.class, () -> Tessera.getSegment(ref));
        assertEquals(before - 1, LocalRuntime.current().store().stats().objects());
        Tessera.free(ref);
    }

    @Test
    void shouldDeleteObjectOnceNoRefIsReachable() throws Exception
    {
        start();
        final long before = LocalRuntime.current().store().stats().objects();
        ObjectRef<byte[]> ref = Tessera.put(new byte[4096]);
        assertEquals(before + 1, LocalRuntime.current().store().stats().objects());
        ref = null;
        until("the unreachable ref's object freed", () ->
        {
            System.gc();
            return LocalRuntime.current().store().stats().objects() <= before;
        });
        assertEquals(before, LocalRuntime.current().store().stats().objects());
        assertNull(ref);
    }

    @Test
    void shouldRejectInitTwiceAndCallsAfterShutdown()
    {
        start();
        assertTrue(Tessera.isInitialized());
        assertThrows(IllegalStateException.class, Tessera::init);
        Tessera.shutdown();
        Tessera.shutdown();
        assertFalse(Tessera.isInitialized());
        assertThrows(IllegalStateException.class, () -> Tessera.put(1));
        assertThrows(IllegalStateException.class, () -> Tessera.task(TesseraObjectsTest::seven).remote());
        start();
        assertEquals(7, Tessera.task(TesseraObjectsTest::seven).remote().get());
    }

    @Test
    void shouldRejectOversizePutWithClearErrorAndKeepWorking()
    {
        Tessera.init(TesseraConfig.builder().cpus(1).objectStoreBytes(8L << 20).build());
        final TesseraException e = assertThrows(ObjectTooLargeForStoreException.class, () -> Tessera.put(new byte[16 << 20]));
        assertTrue(e.getMessage().contains(String.valueOf(16 << 20)), e.getMessage());
        // the store's own exception is the cause, with the same message: the engine translates, it does not reword
        assertInstanceOf(io.tessera.memory.ObjectTooLargeException.class, e.getCause());
        assertEquals(e.getCause().getMessage(), e.getMessage());
        assertArrayEquals(new byte[] {1}, Tessera.put(new byte[] {1}).get());
    }

    @Test
    void shouldFreeTheStoreFileOnShutdown()
    {
        start();
        final java.nio.file.Path file = LocalRuntime.current().store().path();
        assertTrue(java.nio.file.Files.exists(file));
        Tessera.shutdown();
        assertFalse(java.nio.file.Files.exists(file));
    }
}
