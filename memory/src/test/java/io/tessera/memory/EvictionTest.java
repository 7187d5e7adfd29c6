package io.tessera.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EvictionTest
{
    private static final long CAPACITY = 4L << 20;
    private static final int OBJECT = 256 * 1024;

    private static MemorySegment filled(final long seed)
    {
        final long[] values = new long[OBJECT / 8];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = seed * 1_000_003L + i;
        }
        return MemorySegment.ofArray(values);
    }

    private static void assertContent(final ObjectStore store, final ObjectId id, final long seed)
    {
        final ObjectView view = store.get(id, 0);
        assertNotNull(view, "object " + id + " should be readable");
        try
        {
            assertEquals(-1, view.segment().mismatch(filled(seed)), "content of " + id);
        }
        finally
        {
            store.release(id);
        }
    }

    @Test
    void shouldEvictLeastRecentlyUsedWhenFull()
    {
        try (StoreFixture fixture = StoreFixture.create(CAPACITY))
        {
            final ObjectStore store = fixture.store();
            final List<ObjectId> ids = new ArrayList<>();
            int n = 0;
            while (store.stats().freeBytes() > 2L * OBJECT)
            {
                final ObjectId id = ObjectId.of(1, n);
                store.put(id, filled(n), 0);
                store.markSecondary(id);
                ids.add(id);
                n++;
            }
            assertEquals(0, store.stats().evicted());
            // touch the oldest object: it becomes most recently used
            assertContent(store, ids.get(0), 0);
            for (int i = 0; i < 3; i++)
            {
                store.put(ObjectId.of(2, i), filled(100 + i), 0);
            }
            assertTrue(store.stats().evicted() >= 1);
            assertTrue(store.contains(ids.get(0)), "recently used object kept");
            assertFalse(store.contains(ids.get(1)), "least recently used secondary copy dropped");
            assertEquals(0, store.stats().spilled(), "secondary copies are not spilled");
        }
    }

    @Test
    void shouldSpillPrimaryCopiesAndRestoreOnGet() throws IOException
    {
        try (StoreFixture fixture = StoreFixture.create(CAPACITY))
        {
            final ObjectStore store = fixture.store();
            final int count = (int)(3 * CAPACITY / OBJECT);
            for (int i = 0; i < count; i++)
            {
                store.put(ObjectId.of(3, i), filled(i), 5);
            }
            final StoreStats stats = store.stats();
            assertTrue(stats.spilled() > 0, stats.toString());
            assertEquals(count, stats.objects() + stats.spilled(), stats.toString());
            final var entries = store.entries();
            assertEquals(count, entries.size(), "spilled objects are listed too");
            assertEquals(stats.spilled(), entries.stream().filter(StoreEntry::spilled).count());
            try (var files = Files.list(fixture.spillDir()))
            {
                assertEquals(stats.spilled(), files.count());
            }
            for (int i = 0; i < count; i++)
            {
                assertTrue(store.contains(ObjectId.of(3, i)));
                assertContent(store, ObjectId.of(3, i), i);
            }
            assertTrue(store.stats().restored() > 0);
            final ObjectView view = store.get(ObjectId.of(3, 0), 0);
            assertEquals(5, view.kind());
            store.release(ObjectId.of(3, 0));
            for (int i = 0; i < count; i++)
            {
                assertTrue(store.delete(ObjectId.of(3, i)));
            }
            assertEquals(0, store.stats().spilled());
            assertEquals(0, store.stats().usedBytes());
            try (var files = Files.list(fixture.spillDir()))
            {
                assertEquals(0, files.count(), "spill files of deleted objects are removed");
            }
        }
    }

    @Test
    void shouldFailClearlyWhenEverythingIsPinned()
    {
        try (StoreFixture fixture = StoreFixture.create(CAPACITY))
        {
            final ObjectStore store = fixture.store();
            final List<ObjectId> pinned = new ArrayList<>();
            try
            {
                for (int i = 0; ; i++)
                {
                    final ObjectId id = ObjectId.of(4, i);
                    try
                    {
                        store.put(id, filled(i), 0);
                    }
                    catch (final StoreFullException ex)
                    {
                        assertTrue(ex.getMessage().contains("pinned"), ex.getMessage());
                        assertTrue(ex.getMessage().contains(id.toString()), ex.getMessage());
                        break;
                    }
                    assertNotNull(store.get(id, 0));
                    pinned.add(id);
                }
                assertEquals(0, store.stats().evicted());
                for (int i = 0; i < pinned.size(); i++)
                {
                    assertContent(store, pinned.get(i), i);
                }
            }
            finally
            {
                pinned.forEach(store::release);
            }
            store.put(ObjectId.of(4, 9999), filled(1), 0);
            assertTrue(store.stats().spilled() > 0);
        }
    }

    @Test
    void shouldFailClearlyWhenSpillingFails() throws IOException
    {
        final Path parent = Files.createTempDirectory("tessera-spill-blocked");
        final Path notADir = parent.resolve("spill");
        try
        {
            final StoreContext ctx = new StoreContext().capacityBytes(CAPACITY).spillDir(notADir);
            try (StoreFixture fixture = StoreFixture.create(ctx))
            {
                final ObjectStore store = fixture.store();
                Files.delete(notADir);
                Files.writeString(notADir, "a file where the spill directory was");
                final List<ObjectId> ids = new ArrayList<>();
                StoreFullException failure = null;
                for (int i = 0; i < 100 && failure == null; i++)
                {
                    try
                    {
                        store.put(ObjectId.of(5, i), filled(i), 0);
                        ids.add(ObjectId.of(5, i));
                    }
                    catch (final StoreFullException ex)
                    {
                        failure = ex;
                    }
                }
                assertNotNull(failure, "a full store whose spill dir is unusable must refuse");
                assertTrue(failure.getMessage().contains("spill"), failure.getMessage());
                assertNotNull(failure.getCause());
                for (int i = 0; i < ids.size(); i++)
                {
                    assertContent(store, ids.get(i), i);
                }
                assertEquals(0, store.stats().spilled());
                for (final ObjectId id : ids)
                {
                    store.markSecondary(id);
                }
                store.put(ObjectId.of(5, 1000), filled(7), 0);
                assertTrue(store.stats().evicted() > 0, "secondaries can still be dropped");
            }
        }
        finally
        {
            Files.deleteIfExists(notADir);
            Files.deleteIfExists(parent);
        }
    }

    @Test
    void shouldRecoverLockFromDeadHolder() throws Exception
    {
        try (StoreFixture fixture = StoreFixture.create(CAPACITY))
        {
            final ObjectStore store = fixture.store();
            final ObjectId id = ObjectId.random();
            store.put(id, filled(1), 0);
            final Process dead = new ProcessBuilder("true").start();
            dead.waitFor();
            final long deadPid = dead.pid();
            try (var channel = java.nio.channels.FileChannel.open(store.path(), java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE); var arena = java.lang.foreign.Arena.ofConfined())
            {
                final MemorySegment raw = channel.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0,
                    channel.size(), arena);
                raw.set(JAVA_LONG, io.tessera.memory.internal.StoreLayout.LOCK_OFFSET, (deadPid << 8) | 5);
                // a half-done bookkeeping update the dead holder left behind
                raw.set(JAVA_LONG, io.tessera.memory.internal.StoreLayout.USED_BYTES_OFFSET, 12345L);
            }
            final long usedBefore;
            store.put(ObjectId.random(), filled(2), 0);
            usedBefore = store.stats().usedBytes();
            assertEquals(2 * io.tessera.memory.internal.TlsfAllocator.blockSizeFor(OBJECT), usedBefore,
                "counters rebuilt from the table after the dead holder's lock was taken over");
            assertContent(store, id, 1);
            assertEquals(1, store.stats().lockRecoveries());
        }
    }

    @Test
    void shouldDeleteStoresWhoseOwnerDied() throws Exception
    {
        final Path dir = Files.createTempDirectory("tessera-orphans");
        final Path spill = Files.createTempDirectory("tessera-orphan-spill");
        final ObjectStore alive = ObjectStore.create(new StoreContext().capacityBytes(CAPACITY)
            .path(dir.resolve("alive.store")).spillDir(spill.resolve("alive.spill")));
        final ObjectStore orphan = ObjectStore.create(new StoreContext().capacityBytes(CAPACITY)
            .path(dir.resolve("orphan.store")).spillDir(spill.resolve("orphan.spill")));
        try
        {
            final Process dead = new ProcessBuilder("true").start();
            dead.waitFor();
            orphan.put(ObjectId.random(), filled(1), 0);
            Files.writeString(spill.resolve("orphan.spill").resolve("left-over.spill"), "x");
            try (var channel = java.nio.channels.FileChannel.open(orphan.path(), java.nio.file.StandardOpenOption.WRITE))
            {
                final java.nio.ByteBuffer pid = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder());
                pid.putLong(0, dead.pid());
                channel.write(pid, io.tessera.memory.internal.StoreLayout.OWNER_PID_OFFSET);
            }
            Files.writeString(dir.resolve("not-a-store.store"), "hello");

            assertEquals(1, ObjectStore.deleteOrphans(dir, spill));
            assertFalse(Files.exists(orphan.path()), "orphaned store deleted");
            assertFalse(Files.exists(spill.resolve("orphan.spill")), "its spill dir deleted");
            assertTrue(Files.exists(alive.path()), "live owner's store kept");
            assertTrue(Files.exists(dir.resolve("not-a-store.store")), "foreign files kept");
        }
        finally
        {
            alive.close();
            orphan.close();
            Files.deleteIfExists(dir.resolve("not-a-store.store"));
            Files.deleteIfExists(dir);
            Files.deleteIfExists(spill);
        }
    }
}
