package io.tessera.memory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tessera.memory.internal.EntryLayout.*;
import static io.tessera.memory.internal.StoreLayout.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EvictorTest
{
    private static final long CAPACITY = 1L << 20;
    private static final long OBJECT = 64 * 1024;
    /** LRU stamps 1 ms apart: eviction orders by age in microseconds. */
    private static final long STAMP_STEP_NS = 1_000_000L;

    @TempDir
    Path tmp;
    private Path spillDir;
    private StoreRoles roles;

    @BeforeEach
    void setUp() throws IOException
    {
        spillDir = Files.createDirectory(tmp.resolve("spill"));
        roles = new StoreRoles(CAPACITY, 64, spillDir);
    }

    @AfterEach
    void tearDown()
    {
        roles.close();
    }

    /** Fills the store with sealed objects, oldest first; returns their ids in that order. */
    private List<ObjectId> fillStore(final boolean secondary)
    {
        final List<ObjectId> ids = new ArrayList<>();
        for (int i = 1; roles.allocator.largestFreePayload() >= OBJECT; i++)
        {
            final ObjectId id = ObjectId.of(9, i);
            roles.sealed(id, OBJECT, i * STAMP_STEP_NS, secondary);
            ids.add(id);
        }
        assertTrue(ids.size() >= 4, "the store holds a few objects: " + ids.size());
        return ids;
    }

    private boolean present(final ObjectId id)
    {
        return roles.table.lookup(id.hi(), id.lo()) >= 0;
    }

    private long slot(final ObjectId id)
    {
        return roles.table.lookup(id.hi(), id.lo());
    }

    private long allocateWithEviction(final ObjectId id)
    {
        roles.lock.lock();
        try
        {
            return roles.evictor.allocateWithEviction(id, OBJECT);
        }
        finally
        {
            roles.lock.unlock();
        }
    }

    /** The objects gone are exactly the {@code k >= 1} least recently used of {@code byAge}. */
    private int assertEvictedOldestFirst(final List<ObjectId> byAge)
    {
        int k = 0;
        while (k < byAge.size() && !present(byAge.get(k)))
        {
            k++;
        }
        assertTrue(k >= 1, "something was evicted");
        for (int i = k; i < byAge.size(); i++)
        {
            assertTrue(present(byAge.get(i)), "evicted out of LRU order: " + byAge.get(i) + " gone, " +
                byAge.get(k - 1) + " older and gone too, but not all older ones before it");
        }
        assertTrue(k < byAge.size(), "the most recently used object stays");
        return k;
    }

    @Test
    void shouldAllocateWithoutEvictingWhileThereIsRoom()
    {
        final ObjectId id = ObjectId.of(9, 1);
        roles.sealed(id, OBJECT, STAMP_STEP_NS, true);
        assertTrue(allocateWithEviction(ObjectId.of(9, 2)) >= 0);
        assertTrue(present(id));
        assertEquals(0, roles.counter(EVICTED_OFFSET));
    }

    @Test
    void shouldDropLeastRecentlyUsedSecondaryCopiesWhenFull()
    {
        final List<ObjectId> ids = fillStore(true);
        final long used = roles.counter(USED_BYTES_OFFSET);

        final long payload = allocateWithEviction(ObjectId.of(10, 1));

        assertTrue(payload >= 0);
        final int evicted = assertEvictedOldestFirst(ids);
        assertEquals(evicted, roles.counter(EVICTED_OFFSET));
        assertEquals(0, roles.counter(SPILLED_OFFSET), "secondary copies are dropped, not spilled");
        assertEquals(ids.size() - evicted, roles.counter(OBJECTS_OFFSET));
        assertTrue(roles.counter(USED_BYTES_OFFSET) <= used, "the new block is counted, the dropped ones not");
        try (var files = Files.list(spillDir))
        {
            assertEquals(0, files.count());
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void shouldEvictByLastUseNotByCreationOrder()
    {
        final List<ObjectId> ids = fillStore(true);
        // the oldest becomes the most recently used
        final ObjectId touched = ids.removeFirst();
        roles.segment.set(JAVA_LONG, roles.table.entry(slot(touched)) + LRU_OFFSET, 1000 * STAMP_STEP_NS);
        ids.addLast(touched);

        assertTrue(allocateWithEviction(ObjectId.of(10, 1)) >= 0);

        assertEvictedOldestFirst(ids);
        assertTrue(present(touched));
    }

    @Test
    void shouldSkipPinnedObjects()
    {
        final List<ObjectId> ids = fillStore(true);
        final ObjectId oldest = ids.removeFirst();
        final long slot = slot(oldest);
        assertEquals(1, roles.pins.pin(slot, roles.table.entry(slot), oldest.hi(), oldest.lo()));

        assertTrue(allocateWithEviction(ObjectId.of(10, 1)) >= 0);

        assertTrue(present(oldest), "a pinned object is never evicted");
        assertEquals(SEALED, state(roles.word(slot)));
        assertEvictedOldestFirst(ids);
        assertTrue(roles.pins.unpin((int)slot, roles.table.entry(slot)));
    }

    @Test
    void shouldSpillPrimaryCopiesToOwnerOnlyFiles() throws IOException
    {
        final List<ObjectId> ids = fillStore(false);

        assertTrue(allocateWithEviction(ObjectId.of(10, 1)) >= 0);

        final ObjectId oldest = ids.getFirst();
        final long slot = slot(oldest);
        assertTrue(slot >= 0, "a spilled object keeps its entry");
        assertEquals(SPILLED, state(roles.word(slot)));
        assertEquals(0L, roles.segment.get(JAVA_LONG, roles.table.entry(slot) + PAYLOAD_OFFSET));
        final Path file = roles.spill.file(oldest.hi(), oldest.lo());
        assertTrue(Files.isRegularFile(file));
        assertEquals(OwnerOnly.FILE, Files.getPosixFilePermissions(file));
        final byte[] content = Files.readAllBytes(file);
        assertEquals(OBJECT, content.length);
        assertEquals(-1, MemorySegment.ofArray(content).mismatch(
            MemorySegment.ofArray(new byte[(int)OBJECT]).fill((byte)oldest.lo())));
        final long spilled = roles.counter(SPILLED_OFFSET);
        assertTrue(spilled >= 1);
        assertEquals(spilled, roles.counter(EVICTED_OFFSET));
        assertEquals(ids.size() - spilled, roles.counter(OBJECTS_OFFSET));
        assertEquals(ids.size(), roles.counter(LIVE_ENTRIES_OFFSET), "spilled objects stay live entries");
    }

    @Test
    void shouldDropSecondariesAndLeavePrimariesInMemoryWhenSpillingFails() throws IOException
    {
        final List<ObjectId> ids = fillStore(false);
        // every other object a secondary copy
        for (int i = 1; i < ids.size(); i += 2)
        {
            final long entry = roles.table.entry(slot(ids.get(i)));
            roles.segment.set(JAVA_INT, entry + FLAGS_OFFSET, FLAG_SECONDARY);
        }
        Files.delete(spillDir);
        Files.writeString(spillDir, "not a directory");

        assertTrue(allocateWithEviction(ObjectId.of(10, 1)) >= 0, "room made by dropping a secondary copy");

        assertTrue(present(ids.get(0)), "the primary whose spill failed stays");
        assertEquals(SEALED, state(roles.word(slot(ids.get(0)))));
        assertFalse(present(ids.get(1)), "the oldest secondary is dropped");
        assertEquals(0, roles.counter(SPILLED_OFFSET));
    }

    @Test
    void shouldFailNamingPinsWhenNothingCanBeEvicted()
    {
        final List<ObjectId> ids = fillStore(true);
        for (final ObjectId id : ids)
        {
            final long slot = slot(id);
            assertEquals(1, roles.pins.pin(slot, roles.table.entry(slot), id.hi(), id.lo()));
        }

        final ObjectId id = ObjectId.of(10, 1);
        final StoreFullException ex = assertThrows(StoreFullException.class, () -> allocateWithEviction(id));

        assertTrue(ex.getMessage().contains("pinned"), ex.getMessage());
        assertTrue(ex.getMessage().contains(id.toString()), ex.getMessage());
        ids.forEach(pinned -> assertTrue(present(pinned)));
        assertEquals(0, roles.counter(EVICTED_OFFSET));
        for (final ObjectId pinned : ids)
        {
            final long slot = slot(pinned);
            assertTrue(roles.pins.unpin((int)slot, roles.table.entry(slot)));
        }
    }

    @Test
    void shouldReapDeadClientsBeforeEvicting() throws Exception
    {
        final List<ObjectId> ids = fillStore(true);
        // a client that died while creating the newest object: its unsealed object goes with it
        final Process gone = new ProcessBuilder("true").start();
        assertEquals(0, gone.waitFor());
        final int dead = roles.clientIndex + 1;
        final long client = roles.segment.get(JAVA_LONG, CLIENTS_OFFSET_OFFSET) +
            (long)dead * io.tessera.memory.internal.ClientLayout.LENGTH;
        roles.segment.set(JAVA_LONG, client + io.tessera.memory.internal.ClientLayout.PID_OFFSET, gone.pid());
        roles.segment.set(JAVA_LONG, client + io.tessera.memory.internal.ClientLayout.START_OFFSET, 1L);
        final ObjectId newest = ids.removeLast();
        final long slot = slot(newest);
        roles.segment.set(JAVA_INT, roles.table.entry(slot) + CREATOR_OFFSET, dead);
        roles.setWord(slot, CREATING);

        assertTrue(allocateWithEviction(ObjectId.of(10, 1)) >= 0);

        assertFalse(present(newest), "the dead client's unsealed object was freed");
        ids.forEach(id -> assertTrue(present(id), "nothing evicted: " + id));
        assertEquals(0, roles.counter(EVICTED_OFFSET));
        assertEquals(0L, roles.segment.get(JAVA_LONG, client + io.tessera.memory.internal.ClientLayout.PID_OFFSET),
            "the dead client's slot is free");
    }
}
