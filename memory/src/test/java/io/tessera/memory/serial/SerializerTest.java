package io.tessera.memory.serial;

import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.ObjectView;
import io.tessera.memory.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SerializerTest
{
    record Point(int x, double y, String label)
    {
    }

    static final class Node implements Serializable
    {
        String name;
        Node next;
        List<Node> children = new ArrayList<>();
    }

    private final Serializer serializer = new Serializer();
    private StoreFixture fixture;
    private ObjectStore store;

    @BeforeEach
    void setUp()
    {
        fixture = StoreFixture.create(8L << 20);
        store = fixture.store();
    }

    @AfterEach
    void tearDown()
    {
        fixture.close();
    }

    private Object roundTrip(final Object value)
    {
        final ObjectId id = serializer.put(store, ObjectId.random(), value);
        final ObjectView view = store.get(id, 0);
        try
        {
            assertEquals(serializer.kindOf(value), view.kind());
            final Object viaStore = serializer.read(view);
            final byte[] heap = serializer.encode(value);
            final Object viaHeap = serializer.decode(serializer.kindOf(value), MemorySegment.ofArray(heap));
            if (value != null && value.getClass().isArray())
            {
                assertTrue(Arrays.deepEquals(new Object[] {viaStore}, new Object[] {viaHeap}));
            }
            return viaStore;
        }
        finally
        {
            store.release(id);
            store.delete(id);
        }
    }

    @Test
    void shouldRoundTripRecordsAndCollections()
    {
        assertEquals(new Point(1, 2.5, "p"), roundTrip(new Point(1, 2.5, "p")));
        final Map<String, List<Integer>> map = new HashMap<>();
        map.put("a", List.of(1, 2, 3));
        map.put("b", new ArrayList<>(List.of(4)));
        assertEquals(map, roundTrip(map));
        assertEquals(new LinkedHashSet<>(List.of("x", "y")), roundTrip(new LinkedHashSet<>(List.of("x", "y"))));
        assertEquals("hello", roundTrip("hello"));
        assertEquals(42, roundTrip(42));
        assertEquals(List.of(new Point(0, 0, null)), roundTrip(List.of(new Point(0, 0, null))));
    }

    @Test
    void shouldRoundTripNull()
    {
        assertEquals(Serializer.KIND_NULL, serializer.kindOf(null));
        assertNull(roundTrip(null));
    }

    @Test
    void shouldRoundTripNestedGraphWithCycles()
    {
        final Node a = new Node();
        a.name = "a";
        final Node b = new Node();
        b.name = "b";
        a.next = b;
        b.next = a;
        a.children.add(b);
        a.children.add(a);
        final Node copy = (Node)roundTrip(a);
        assertEquals("a", copy.name);
        assertEquals("b", copy.next.name);
        assertSame(copy, copy.next.next, "cycle preserved");
        assertSame(copy.next, copy.children.get(0), "shared reference preserved");
        assertSame(copy, copy.children.get(1));
    }

    @Test
    void shouldRoundTripExceptionWithMessageAndCause()
    {
        final IllegalStateException ex = new IllegalStateException("outer", new java.io.IOException("inner"));
        final Throwable copy = (Throwable)roundTrip(ex);
        assertInstanceOf(IllegalStateException.class, copy);
        assertEquals("outer", copy.getMessage());
        assertInstanceOf(java.io.IOException.class, copy.getCause());
        assertEquals("inner", copy.getCause().getMessage());
        assertTrue(copy.getStackTrace().length > 0, "stack trace kept");
    }

    @Test
    void shouldStorePrimitiveArraysRawInNativeOrder()
    {
        final double[] doubles = {1.5, -2.25, Double.NaN, 1e300};
        final ObjectId id = serializer.put(store, ObjectId.random(), doubles);
        final ObjectView view = store.get(id, 0);
        assertEquals(Serializer.KIND_DOUBLES, view.kind());
        assertEquals(doubles.length * 8L, view.size(), "no header");
        assertEquals(-2.25, view.segment().getAtIndex(ValueLayout.JAVA_DOUBLE, 1));
        store.release(id);

        assertArrayEquals(doubles, (double[])roundTrip(doubles));
        assertArrayEquals(new byte[] {1, -2, 3}, (byte[])roundTrip(new byte[] {1, -2, 3}));
        assertArrayEquals(new boolean[] {true, false, true}, (boolean[])roundTrip(new boolean[] {true, false, true}));
        assertArrayEquals(new char[] {'a', 'é', '\uffff'}, (char[])roundTrip(new char[] {'a', 'é', '\uffff'}));
        assertArrayEquals(new short[] {1, -1, Short.MAX_VALUE}, (short[])roundTrip(new short[] {1, -1, Short.MAX_VALUE}));
        assertArrayEquals(new int[] {1, -1, Integer.MIN_VALUE}, (int[])roundTrip(new int[] {1, -1, Integer.MIN_VALUE}));
        assertArrayEquals(new long[] {1, -1, Long.MAX_VALUE}, (long[])roundTrip(new long[] {1, -1, Long.MAX_VALUE}));
        assertArrayEquals(new float[] {1f, -0f, Float.MIN_VALUE}, (float[])roundTrip(new float[] {1f, -0f, Float.MIN_VALUE}));
        assertArrayEquals(new int[0], (int[])roundTrip(new int[0]));
    }

    @Test
    void shouldStoreByteBufferFromPositionToLimit()
    {
        final ByteBuffer direct = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        for (int i = 0; i < 16; i++)
        {
            direct.put((byte)i);
        }
        direct.position(4).limit(10);
        final ByteBuffer copy = (ByteBuffer)roundTrip(direct);
        assertTrue(copy.isReadOnly());
        assertEquals(6, copy.remaining());
        assertEquals(4, copy.get(0));
        assertEquals(9, copy.get(5));
        assertEquals(4, direct.position(), "source position untouched");
        final ByteBuffer heap = (ByteBuffer)roundTrip(ByteBuffer.wrap(new byte[] {7, 8, 9}));
        assertEquals(3, heap.remaining());
        assertEquals(8, heap.get(1));
    }

    @Test
    void shouldStoreMemorySegmentRaw()
    {
        final MemorySegment source = MemorySegment.ofArray(new long[] {11, 22, 33});
        final MemorySegment copy = (MemorySegment)roundTrip(source);
        assertEquals(24, copy.byteSize());
        assertEquals(-1, copy.mismatch(source));
    }

    @Test
    void shouldEncodeIntoCreatedSegment()
    {
        final Point p = new Point(3, 4, "q");
        final long size = serializer.encodedSize(p);
        final ObjectId id = ObjectId.random();
        final MemorySegment target = store.create(id, size, serializer.kindOf(p));
        assertEquals(size, serializer.encodeInto(p, target));
        store.seal(id);
        assertEquals(p, serializer.get(store, id, 0, null));
        assertEquals("absent", serializer.get(store, ObjectId.random(), 0, "absent"));
    }

    @Test
    void shouldDecodeRegisteredTypes()
    {
        final Serializer registered = new Serializer().register(Point.class);
        final byte[] bytes = registered.encode(new Point(5, 6, "r"));
        assertEquals(new Point(5, 6, "r"), registered.decode(Serializer.KIND_FORY, MemorySegment.ofArray(bytes)));
    }

    @Test
    void shouldRejectUnknownKind()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> serializer.decode(99, MemorySegment.ofArray(new byte[1])));
        assertTrue(ex.getMessage().contains("99"));
    }

    @Test
    void shouldRefuseKnownGadgetClassesFromAnotherProcess() throws Exception
    {
        // bytes as a peer without the check would send them
        final org.apache.fory.ThreadSafeFory unchecked = org.apache.fory.Fory.builder()
            .withLanguage(org.apache.fory.config.Language.JAVA).requireClassRegistration(false).withRefTracking(true)
            .buildThreadSafeFory();
        final byte[] gadget = unchecked.serialize(new javax.management.ObjectName("tessera:type=Gadget"));
        final Serializer serializer = new Serializer();
        final RuntimeException ex = assertThrows(RuntimeException.class,
            () -> serializer.decode(Serializer.KIND_FORY, MemorySegment.ofArray(gadget)));
        final StringBuilder chain = new StringBuilder();
        for (Throwable t = ex; t != null; t = t.getCause())
        {
            chain.append(t).append(" <- ");
        }
        assertTrue(chain.toString().contains("javax.management.ObjectName"), chain.toString());
        assertEquals(List.of(1, 2), serializer.decode(Serializer.KIND_FORY,
            MemorySegment.ofArray(unchecked.serialize(new ArrayList<>(List.of(1, 2))))), "other classes still read");
        assertTrue(io.tessera.memory.serial.DeniedClasses.isDenied("[Lorg.apache.commons.collections.functors.InvokerTransformer;"));
    }
}
