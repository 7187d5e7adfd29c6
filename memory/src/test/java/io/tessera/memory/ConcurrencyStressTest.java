package io.tessera.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Threads racing put, get, release, delete and eviction on a small, overfull store: every view
 * seen holds its object's complete bytes, and afterwards nothing is pinned or leaked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrencyStressTest
{
    private static final int IDS = 64;

    @Test
    void shouldKeepViewsIntactWhileOtherThreadsDeleteAndEvict() throws Exception
    {
        try (StoreFixture fixture = StoreFixture.create(4L << 20))
        {
            final ObjectStore store = fixture.store();
            final AtomicLong views = new AtomicLong();
            final List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int t = 0; t < 3; t++)
            {
                final int seed = t;
                workers.add(CompletableFuture.runAsync(() -> work(store, seed, views)));
            }
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(50, TimeUnit.SECONDS);
            assertTrue(views.get() > 1000, "views checked: " + views.get());
            assertEquals(0, store.stats().pinned());
            for (int i = 0; i < IDS; i++)
            {
                final ObjectId id = ObjectId.of(42, i);
                if (store.contains(id))
                {
                    assertTrue(store.delete(id));
                }
            }
            final StoreStats stats = store.stats();
            assertEquals(0, stats.objects(), stats.toString());
            assertEquals(0, stats.spilled(), stats.toString());
            assertEquals(0, stats.usedBytes(), stats.toString());
        }
    }

    private static void work(final ObjectStore store, final int seed, final AtomicLong views)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline)
        {
            final ObjectId id = ObjectId.of(42, random.nextInt(IDS));
            final int action = random.nextInt(10);
            try
            {
                if (action < 4)
                {
                    final int longs = 1 + random.nextInt(32 * 1024);
                    final long[] values = new long[longs];
                    values[0] = longs;
                    values[longs - 1] = longs;
                    store.put(id, MemorySegment.ofArray(values), 0);
                }
                else if (action < 8)
                {
                    final ObjectView view = store.get(id, 0);
                    if (view != null)
                    {
                        final MemorySegment s = view.segment();
                        final long longs = s.byteSize() / 8;
                        assertEquals(longs, s.getAtIndex(JAVA_LONG, 0), "head of " + id);
                        assertEquals(longs, s.getAtIndex(JAVA_LONG, longs - 1), "tail of " + id);
                        store.release(id);
                        views.incrementAndGet();
                    }
                }
                else
                {
                    store.delete(id);
                }
            }
            catch (final ObjectExistsException | UnknownObjectException | ObjectStateException expected)
            {
                // racing threads: another one created, deleted or has not sealed it yet
            }
        }
    }
}
