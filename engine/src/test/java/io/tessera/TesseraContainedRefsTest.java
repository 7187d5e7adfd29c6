package io.tessera;

import io.tessera.internal.LocalRuntime;
import io.tessera.memory.StoreStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;

import static io.tessera.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Refs stored inside objects (Ray's "contained-in" references): an object whose value holds refs keeps
 * those objects alive as long as it lives, wherever it is read, and lets them go when it is freed.
 */
@Timeout(120)
class TesseraContainedRefsTest
{
    @TempDir
    Path spill;

    @AfterEach
    void stop()
    {
        Tessera.shutdown();
    }

    private static long storedObjects()
    {
        final StoreStats s = LocalRuntime.current().store().stats();
        return s.objects() + s.spilled();
    }

    /** Collects until {@code probe} is cleared, then gives the Cleaner a few more rounds to act on what died. */
    private static void collect(WeakReference<?> probe) throws InterruptedException
    {
        until("the dropped ref was collected", () ->
        {
            System.gc();
            return probe.get() == null;
        });
        for (int i = 0; i < 5; i++)
        {
            System.gc();
            Thread.sleep(20);
        }
    }

    private static void awaitStoredObjects(long expected) throws InterruptedException
    {
        until("stored objects back to " + expected, () ->
        {
            System.gc();
            return storedObjects() == expected;
        });
    }

    static String readThrough(List<ObjectRef<ObjectRef<String>>> outers)
    {
        return outers.getFirst().get().get();
    }

    /** An actor that reads through the refs it is given. */
    public static class Reader
    {
        public Reader()
        {
        }

        public String read(List<ObjectRef<ObjectRef<String>>> outers)
        {
            return readThrough(outers);
        }
    }

    @Test
    void shouldKeepAnInnerObjectAliveWhileTheObjectHoldingItsRefLives() throws Exception
    {
        Tessera.init(TesseraConfig.builder().cpus(2).objectStoreBytes(64L << 20).build());
        ObjectRef<String> inner = Tessera.put("inner");
        final ObjectRef<ObjectRef<String>> outer = Tessera.put(inner);
        final WeakReference<ObjectRef<String>> probe = new WeakReference<>(inner);
        inner = null;
        assertNull(inner);
        collect(probe);

        assertEquals("inner", outer.get().get());
        assertEquals("inner", Tessera.task(TesseraContainedRefsTest::readThrough, List.of(outer)).remote().get());
        final ActorHandle<Reader> reader = Tessera.actor(Reader::new).remote();
        assertEquals("inner", reader.task(Reader::read, List.of(outer)).remote().get());
    }

    @Test
    void shouldKeepRefsAliveThroughSeveralLevelsOfNesting() throws Exception
    {
        Tessera.init(TesseraConfig.builder().cpus(2).objectStoreBytes(64L << 20).build());
        ObjectRef<String> inner = Tessera.put("deep");
        ObjectRef<ObjectRef<String>> middle = Tessera.put(inner);
        final ObjectRef<List<ObjectRef<ObjectRef<String>>>> outer = Tessera.put(List.of(middle));
        final WeakReference<ObjectRef<String>> innerProbe = new WeakReference<>(inner);
        final WeakReference<ObjectRef<ObjectRef<String>>> middleProbe = new WeakReference<>(middle);
        inner = null;
        middle = null;
        assertNull(inner);
        assertNull(middle);
        collect(innerProbe);
        collect(middleProbe);
        assertEquals("deep", outer.get().getFirst().get().get());
    }

    @Test
    void shouldSpillAndRestoreAnInnerObjectUnderStorePressure() throws Exception
    {
        Tessera.init(TesseraConfig.builder().cpus(2).objectStoreBytes(64L << 20).spillDirectory(spill).build());
        final byte[] pattern = new byte[16 << 20];
        for (int i = 0; i < pattern.length; i += 4096)
        {
            pattern[i] = (byte) (i >>> 12);
        }
        ObjectRef<byte[]> inner = Tessera.put(pattern);
        final ObjectRef<List<ObjectRef<byte[]>>> outer = Tessera.put(List.of(inner));
        final WeakReference<ObjectRef<byte[]>> probe = new WeakReference<>(inner);
        inner = null;
        assertNull(inner);
        collect(probe);

        // 1 GiB through a 64 MiB store, three 16 MiB objects live at a time: the inner object must make room
        final byte[] churn = new byte[16 << 20];
        final ArrayDeque<ObjectRef<byte[]>> live = new ArrayDeque<>();
        for (int i = 0; i < 64; i++)
        {
            if (live.size() == 3)
            {
                Tessera.free(live.removeFirst());
            }
            live.addLast(Tessera.put(churn));
        }
        live.forEach(Tessera::free);

        final byte[] back = outer.get().getFirst().get();
        assertEquals(pattern.length, back.length);
        for (int i = 0; i < pattern.length; i += 4096)
        {
            assertEquals(pattern[i], back[i], "byte " + i);
        }
        final StoreStats stats = LocalRuntime.current().store().stats();
        assertTrue(stats.evicted() > 0 && stats.restored() > 0, "the inner object was spilled and restored: " + stats);
    }

    @Test
    void shouldFreeInnerObjectsOnceTheOuterObjectIsFreed() throws Exception
    {
        Tessera.init(TesseraConfig.builder().cpus(2).objectStoreBytes(64L << 20).build());
        final long before = storedObjects();
        ObjectRef<byte[]> inner = Tessera.put(new byte[4096]);
        final ObjectRef<ObjectRef<byte[]>> outer = Tessera.put(inner);
        final WeakReference<ObjectRef<byte[]>> probe = new WeakReference<>(inner);
        inner = null;
        assertNull(inner);
        collect(probe);
        assertEquals(before + 2, storedObjects(), "the outer object keeps the inner one");

        Tessera.free(outer);
        awaitStoredObjects(before);
    }

    @Test
    void shouldFreeInnerObjectsOnceTheOuterObjectIsUnreachable() throws Exception
    {
        Tessera.init(TesseraConfig.builder().cpus(2).objectStoreBytes(64L << 20).build());
        final long before = storedObjects();
        ObjectRef<List<ObjectRef<byte[]>>> outer = Tessera.put(List.of(Tessera.put(new byte[4096]), Tessera.put(new byte[8])));
        for (int i = 0; i < 5; i++)
        {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(before + 3, storedObjects(), "the outer object keeps the inner ones");
        assertEquals(4096, outer.get().getFirst().get().length);

        final WeakReference<ObjectRef<List<ObjectRef<byte[]>>>> probe = new WeakReference<>(outer);
        outer = null;
        assertNull(outer);
        collect(probe);
        awaitStoredObjects(before);
    }
}
