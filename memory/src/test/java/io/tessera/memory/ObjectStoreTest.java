package io.tessera.memory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ObjectStoreTest
{
    private StoreFixture fixture;
    private ObjectStore store;

    @BeforeEach
    void setUp()
    {
        fixture = StoreFixture.create(16L << 20);
        store = fixture.store();
    }

    @AfterEach
    void tearDown()
    {
        fixture.close();
    }

    private static MemorySegment bytes(final int size, final int seed)
    {
        final byte[] b = new byte[size];
        for (int i = 0; i < size; i++)
        {
            b[i] = (byte)(i * 31 + seed);
        }
        return MemorySegment.ofArray(b);
    }

    @Test
    void shouldCreateSealAndGetObject()
    {
        final ObjectId id = ObjectId.random();
        final MemorySegment w = store.create(id, 100, 7);
        assertEquals(100, w.byteSize());
        assertEquals(0, w.address() % 64, "64-byte aligned");
        w.copyFrom(bytes(100, 1));
        assertFalse(store.contains(id));
        assertNull(store.get(id, 0), "unsealed objects are invisible");
        store.seal(id);
        assertTrue(store.contains(id));
        final ObjectView view = store.get(id, 0);
        assertNotNull(view);
        assertEquals(7, view.kind());
        assertEquals(100, view.size());
        assertEquals(id, view.id());
        assertTrue(view.segment().isReadOnly());
        assertEquals(-1, view.segment().mismatch(bytes(100, 1)));
        assertEquals(1, store.stats().pinned());
        store.release(id);
        assertEquals(0, store.stats().pinned());
    }

    @Test
    void shouldListSealedObjectsWithTheirPinsAndCopies()
    {
        final ObjectId a = ObjectId.of(1, 1);
        final ObjectId b = ObjectId.of(1, 2);
        final ObjectId unsealed = ObjectId.of(1, 3);
        store.put(a, bytes(100, 1), 0);
        store.put(b, bytes(300, 2), 0);
        store.markSecondary(b);
        store.create(unsealed, 50, 0);
        assertNotNull(store.get(a, 0));
        final long before = System.nanoTime();
        final List<StoreEntry> entries = new ArrayList<>(store.entries());
        entries.sort((x, y) -> x.id().compareTo(y.id()));
        assertEquals(2, entries.size(), "an unsealed object is not listed: " + entries);
        assertEquals(new StoreEntry(a, 100, 1, false, false, entries.get(0).lastUsedNanos()), entries.get(0));
        assertEquals(new StoreEntry(b, 300, 0, false, true, entries.get(1).lastUsedNanos()), entries.get(1));
        assertTrue(entries.get(0).lastUsedNanos() <= before, "stamped when read");
        store.release(a);
        assertTrue(store.delete(a));
        assertEquals(List.of(b), store.entries().stream().map(StoreEntry::id).toList(), "a deleted object is gone");
        store.abort(unsealed);
    }

    @Test
    void shouldWrapReusedViewKeepingItsSegmentForTheSameBytes()
    {
        final ObjectId a = ObjectId.random();
        final ObjectId b = ObjectId.random();
        store.put(a, bytes(64, 1), 3);
        store.put(b, bytes(32, 2), 4);
        final ObjectView view = new ObjectView();
        assertThrows(IllegalStateException.class, view::segment, "an unwrapped view has no bytes");

        assertTrue(store.get(a, 0, view));
        final MemorySegment first = view.segment();
        assertEquals(a, view.id());
        assertEquals(3, view.kind());
        assertTrue(first.isReadOnly());
        assertEquals(-1, first.mismatch(bytes(64, 1)));
        store.release(a);

        assertTrue(store.get(a, 0, view));
        assertSame(first, view.segment(), "same bytes: the slice is reused, nothing allocated");
        store.release(a);

        assertTrue(store.get(b, 0, view));
        assertNotSame(first, view.segment());
        assertEquals(b, view.id());
        assertEquals(4, view.kind());
        assertEquals(-1, view.segment().mismatch(bytes(32, 2)));
        assertEquals(1, store.stats().pinned());
        store.release(b);

        assertFalse(store.get(ObjectId.random(), 0, view), "absent: false");
        assertEquals(b, view.id(), "a failed get leaves the view as it was");
        assertFalse(store.get(ObjectId.random(), TimeUnit.MILLISECONDS.toNanos(5), view), "timed out: false");
        assertThrows(NullPointerException.class, () -> store.get(a, 0, null));
        assertEquals(0, store.stats().pinned());
    }

    @Test
    void shouldPutInOneCall()
    {
        final ObjectId id = ObjectId.random();
        store.put(id, bytes(1000, 3), 1);
        final ObjectView view = store.get(id, 0);
        assertEquals(-1, view.segment().mismatch(bytes(1000, 3)));
        store.release(id);
    }

    @Test
    void shouldStoreEmptyObject()
    {
        final ObjectId id = ObjectId.random();
        store.create(id, 0, 0);
        store.seal(id);
        final ObjectView view = store.get(id, 0);
        assertEquals(0, view.size());
        store.release(id);
    }

    @Test
    void shouldCountNestedPinsPerProcess()
    {
        final ObjectId id = ObjectId.random();
        store.put(id, bytes(8, 0), 0);
        store.get(id, 0);
        store.get(id, 0);
        assertFalse(store.delete(id), "pinned: deferred");
        assertFalse(store.contains(id));
        assertNull(store.get(id, 0), "deleted objects take no new pins");
        store.release(id);
        assertEquals(1, store.stats().objects());
        store.release(id);
        assertEquals(0, store.stats().objects());
        assertEquals(0, store.stats().usedBytes());
        assertThrows(UnknownObjectException.class, () -> store.release(id));
    }

    @Test
    void shouldDeleteUnpinnedObjectAndReuseSpace()
    {
        final long used0 = store.stats().usedBytes();
        final ObjectId id = ObjectId.random();
        store.put(id, bytes(4096, 0), 0);
        assertTrue(store.stats().usedBytes() > used0);
        assertTrue(store.delete(id));
        assertFalse(store.contains(id));
        assertEquals(used0, store.stats().usedBytes());
        assertThrows(UnknownObjectException.class, () -> store.delete(id));
        store.put(id, bytes(16, 0), 0);
        assertTrue(store.contains(id), "an id may be reused after delete");
        assertTrue(store.delete(id));
    }

    @Test
    void shouldRejectNegativeSize()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> store.create(ObjectId.random(), -1, 0));
        assertTrue(ex.getMessage().contains("-1"), ex.getMessage());
    }

    @Test
    void shouldRejectOversizeObjectNamingTheLimit()
    {
        final ObjectId id = ObjectId.random();
        final ObjectTooLargeException ex = assertThrows(ObjectTooLargeException.class,
            () -> store.create(id, 1L << 30, 0));
        assertTrue(ex.getMessage().contains(id.toString()) && ex.getMessage().contains("at most"), ex.getMessage());
        assertEquals(0, store.stats().objects());
    }

    @Test
    void shouldRejectUnknownIds()
    {
        final ObjectId id = ObjectId.random();
        assertThrows(UnknownObjectException.class, () -> store.seal(id));
        assertThrows(UnknownObjectException.class, () -> store.release(id));
        assertThrows(UnknownObjectException.class, () -> store.delete(id));
        assertThrows(UnknownObjectException.class, () -> store.abort(id));
        assertThrows(UnknownObjectException.class, () -> store.markSecondary(id));
        assertNull(store.get(id, 0));
        assertFalse(store.contains(id));
    }

    @Test
    void shouldRejectDoubleSeal()
    {
        final ObjectId id = ObjectId.random();
        store.create(id, 8, 0);
        store.seal(id);
        final ObjectStateException ex = assertThrows(ObjectStateException.class, () -> store.seal(id));
        assertTrue(ex.getMessage().contains("SEALED"), ex.getMessage());
        assertThrows(ObjectStateException.class, () -> store.abort(id));
    }

    @Test
    void shouldRejectSealOfAbortedObject()
    {
        final ObjectId id = ObjectId.random();
        final MemorySegment w = store.create(id, 64, 0);
        store.abort(id);
        assertThrows(UnknownObjectException.class, () -> store.seal(id));
        assertThrows(IllegalStateException.class, () -> w.set(JAVA_BYTE, 0, (byte)1));
        assertEquals(0, store.stats().objects());
    }

    @Test
    void shouldRejectWriteAfterSeal()
    {
        final ObjectId id = ObjectId.random();
        final MemorySegment w = store.create(id, 64, 0);
        w.set(JAVA_LONG, 0, 42L);
        store.seal(id);
        assertThrows(IllegalStateException.class, () -> w.set(JAVA_LONG, 0, 43L));
        final ObjectView view = store.get(id, 0);
        assertThrows(IllegalArgumentException.class, () -> view.segment().set(JAVA_LONG, 0, 44L));
        assertEquals(42L, view.segment().get(JAVA_LONG, 0));
        store.release(id);
    }

    @Test
    void shouldRejectDuplicateId()
    {
        final ObjectId id = ObjectId.random();
        store.create(id, 8, 0);
        assertThrows(ObjectExistsException.class, () -> store.create(id, 8, 0));
        store.seal(id);
        final ObjectExistsException ex = assertThrows(ObjectExistsException.class,
            () -> store.put(id, bytes(8, 0), 0));
        assertTrue(ex.getMessage().contains(id.toString()), ex.getMessage());
    }

    @Test
    void shouldRejectReleaseWithoutPin()
    {
        final ObjectId id = ObjectId.random();
        store.put(id, bytes(8, 0), 0);
        assertThrows(ObjectStateException.class, () -> store.release(id));
    }

    @Test
    void shouldRejectDeleteOfUnsealedObject()
    {
        final ObjectId id = ObjectId.random();
        store.create(id, 8, 0);
        assertThrows(ObjectStateException.class, () -> store.delete(id));
        store.abort(id);
    }

    @Test
    void shouldReturnNullOnGetTimeout()
    {
        final long start = System.nanoTime();
        assertNull(store.get(ObjectId.random(), TimeUnit.MILLISECONDS.toNanos(20)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(20));
    }

    @Test
    void shouldWakeGetWhenAnotherThreadSeals() throws Exception
    {
        final ObjectId id = ObjectId.random();
        final CompletableFuture<ObjectView> waiter = CompletableFuture.supplyAsync(
            () -> store.get(id, TimeUnit.SECONDS.toNanos(10)));
        final MemorySegment w = store.create(id, 8, 0);
        w.set(JAVA_LONG, 0, 99L);
        store.seal(id);
        final ObjectView view = waiter.get(10, TimeUnit.SECONDS);
        assertNotNull(view);
        assertEquals(99L, view.segment().get(JAVA_LONG, 0));
        store.release(id);
    }

    @Test
    void shouldPinConcurrentlyFromManyThreads() throws Exception
    {
        final ObjectId id = ObjectId.random();
        store.put(id, bytes(64, 0), 0);
        final List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++)
        {
            futures.add(CompletableFuture.runAsync(() ->
            {
                for (int i = 0; i < 20_000; i++)
                {
                    assertNotNull(store.get(id, 0));
                    store.release(id);
                }
            }));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertEquals(0, store.stats().pinned());
        assertTrue(store.delete(id));
    }

    @Test
    void shouldAttachInSameProcessAndShareObjects()
    {
        final ObjectId id = ObjectId.random();
        store.put(id, bytes(256, 5), 3);
        try (ObjectStore other = ObjectStore.attach(store.path()))
        {
            assertFalse(other.isOwner());
            final ObjectView view = other.get(id, 0);
            assertEquals(-1, view.segment().mismatch(bytes(256, 5)));
            assertEquals(2, store.stats().clients());
            assertEquals(1, store.stats().pinned());
            assertFalse(store.delete(id), "pinned by the other client");
            other.release(id);
            assertEquals(0, store.stats().objects());
        }
        assertEquals(1, store.stats().clients());
    }

    @Test
    void shouldReleasePinsOfClientOnClose()
    {
        final ObjectId id = ObjectId.random();
        store.put(id, bytes(256, 5), 3);
        final ObjectStore other = ObjectStore.attach(store.path());
        other.get(id, 0);
        other.get(id, 0);
        final ObjectId unsealed = ObjectId.random();
        other.create(unsealed, 100, 0);
        assertEquals(1, store.stats().pinned());
        other.close();
        assertEquals(0, store.stats().pinned());
        assertFalse(store.contains(unsealed));
        assertThrows(UnknownObjectException.class, () -> store.seal(unsealed));
        assertTrue(store.delete(id));
    }

    @Test
    void shouldRejectAttachToFileWithWrongMagic() throws IOException
    {
        final Path bogus = Files.createTempFile("tessera-bogus", ".store");
        try
        {
            Files.write(bogus, new byte[64 * 1024]);
            final IncompatibleStoreException ex = assertThrows(IncompatibleStoreException.class,
                () -> ObjectStore.attach(bogus));
            assertTrue(ex.getMessage().contains("magic") && ex.getMessage().contains(bogus.toString()),
                ex.getMessage());
        }
        finally
        {
            Files.deleteIfExists(bogus);
        }
    }

    @Test
    void shouldRejectAttachToFileWithWrongVersion() throws IOException
    {
        final Path copy = Files.createTempFile("tessera-version", ".store");
        try
        {
            Files.copy(store.path(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE))
            {
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {99, 0, 0, 0}), 8);
            }
            final IncompatibleStoreException ex = assertThrows(IncompatibleStoreException.class,
                () -> ObjectStore.attach(copy));
            assertTrue(ex.getMessage().contains("version 99"), ex.getMessage());
        }
        finally
        {
            Files.deleteIfExists(copy);
        }
    }

    @Test
    void shouldRejectAttachToMissingFile()
    {
        final Path missing = Path.of("/dev/shm/tessera-missing-" + System.nanoTime());
        final IncompatibleStoreException ex = assertThrows(IncompatibleStoreException.class,
            () -> ObjectStore.attach(missing));
        assertTrue(ex.getMessage().contains(missing.toString()), ex.getMessage());
    }

    @Test
    void shouldReportDeletedStoreFile() throws IOException
    {
        final ObjectId id = ObjectId.random();
        store.put(id, bytes(64, 9), 0);
        store.checkHealth();
        Files.delete(store.path());
        final IncompatibleStoreException ex = assertThrows(IncompatibleStoreException.class, store::checkHealth);
        assertTrue(ex.getMessage().contains("deleted"), ex.getMessage());
        assertThrows(IncompatibleStoreException.class, () -> ObjectStore.attach(store.path()));
        final ObjectView view = store.get(id, 0);
        assertEquals(-1, view.segment().mismatch(bytes(64, 9)), "the mapping stays readable");
        store.release(id);
    }

    @Test
    void shouldRejectOperationsAfterClose()
    {
        final StoreFixture other = StoreFixture.create(2L << 20);
        other.close();
        assertThrows(IllegalStateException.class, () -> other.store().get(ObjectId.random(), 0));
        other.store().close();
    }

    @Test
    void shouldFailTableFullWithClearMessage()
    {
        try (StoreFixture small = StoreFixture.create(new StoreContext().capacityBytes(4L << 20).maxObjects(100)))
        {
            for (int i = 0; i < 100; i++)
            {
                small.store().put(ObjectId.random(), bytes(8, i), 0);
            }
            final StoreFullException ex = assertThrows(StoreFullException.class,
                () -> small.store().put(ObjectId.random(), bytes(8, 0), 0));
            assertTrue(ex.getMessage().contains("maxObjects"), ex.getMessage());
        }
    }

    @Test
    void shouldKeepLookupsCorrectAcrossTombstoneChurn()
    {
        final List<ObjectId> live = new ArrayList<>();
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i < 300; i++)
            {
                final ObjectId id = ObjectId.of(round, i);
                store.put(id, bytes(16, i), 0);
                live.add(id);
            }
            for (int i = 0; i < live.size(); i += 2)
            {
                assertTrue(store.delete(live.get(i)));
            }
            live.removeIf(id -> !store.contains(id));
            for (final ObjectId id : live)
            {
                assertTrue(store.contains(id), id.toString());
            }
        }
        assertEquals(live.size(), store.stats().objects());
    }

    @Test
    void objectIdShouldRoundTripThroughHex()
    {
        final ObjectId id = ObjectId.of(0x0123456789abcdefL, -1L);
        assertEquals("0123456789abcdefffffffffffffffff", id.toString());
        assertEquals(id, ObjectId.parse(id.toString()));
        assertTrue(ObjectId.of(0, 1).compareTo(ObjectId.of(0, -1)) < 0, "unsigned order");
        assertEquals(32, ObjectId.random().toString().length());
    }

    @Test
    void shouldReadLongsInNativeOrder()
    {
        final ObjectId id = ObjectId.random();
        final long[] values = {1, 2, 3, Long.MIN_VALUE};
        store.put(id, MemorySegment.ofArray(values), 0);
        final ObjectView view = store.get(id, 0);
        assertArrayEquals(values, view.segment().toArray(ValueLayout.JAVA_LONG));
        store.release(id);
    }

    @Test
    void shouldConfineWritableSegmentToCreatingThread() throws Exception
    {
        final ObjectId id = ObjectId.random();
        final MemorySegment w = store.create(id, 64, 0);
        final CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                w.set(JAVA_LONG, 0, 1L);
                return null;
            }
            catch (final Throwable t)
            {
                return t;
            }
        });
        assertInstanceOf(WrongThreadException.class, other.get(10, TimeUnit.SECONDS));
        w.set(JAVA_LONG, 0, 2L);
        CompletableFuture.runAsync(() -> store.seal(id)).get(10, TimeUnit.SECONDS);
        assertTrue(store.contains(id), "sealed from another thread");
        store.create(ObjectId.random(), 8, 0);
        assertThrows(IllegalStateException.class, () -> w.set(JAVA_LONG, 0, 3L),
            "invalidated at the creating thread's next create");
        final ObjectView view = store.get(id, 0);
        assertEquals(2L, view.segment().get(JAVA_LONG, 0));
        store.release(id);
    }

    @Test
    void shouldWriteSharedSegmentFromAnyThreadUntilSeal() throws Exception
    {
        final ObjectId id = ObjectId.random();
        final MemorySegment w = store.createShared(id, 128, 4);
        CompletableFuture.runAsync(() -> w.set(JAVA_LONG, 0, 5L)).get(10, TimeUnit.SECONDS);
        w.set(JAVA_LONG, 64, 6L);
        CompletableFuture.runAsync(() -> store.seal(id)).get(10, TimeUnit.SECONDS);
        assertThrows(IllegalStateException.class, () -> w.set(JAVA_LONG, 0, 7L));
        final ObjectView view = store.get(id, 0);
        assertEquals(5L, view.segment().get(JAVA_LONG, 0));
        assertEquals(6L, view.segment().get(JAVA_LONG, 64));
        store.release(id);
    }
}
