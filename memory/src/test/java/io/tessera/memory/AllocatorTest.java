package io.tessera.memory;

import io.tessera.memory.internal.TlsfAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AllocatorTest
{
    private static final long DATA_START = 16384;

    @Test
    void shouldAlignPayloadsTo64Bytes()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment segment = arena.allocate(DATA_START + (1 << 20), 4096);
            final TlsfAllocator allocator = new TlsfAllocator(segment, DATA_START, 1 << 20);
            allocator.format();
            for (final long size : new long[] {0, 1, 8, 63, 64, 65, 1000, 4097, 70_000})
            {
                final long payload = allocator.allocate(size, 0);
                assertTrue(payload > 0);
                assertEquals(0, (segment.address() + payload) % 64, "payload of " + size);
            }
        }
    }

    @Test
    void shouldResistFragmentationUnderMixedSizeChurn()
    {
        final long dataLength = 64L << 20;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment segment = arena.allocate(DATA_START + dataLength, 4096);
            final TlsfAllocator allocator = new TlsfAllocator(segment, DATA_START, dataLength);
            allocator.format();
            final SplittableRandom random = new SplittableRandom(42);
            final List<Long> live = new ArrayList<>();
            long used = 0;
            for (int i = 0; i < 200_000; i++)
            {
                if (!live.isEmpty() && (random.nextInt(100) < 45 || used > dataLength / 2))
                {
                    used -= allocator.free(live.remove(random.nextInt(live.size())));
                }
                else
                {
                    final int shift = random.nextInt(3, 21);
                    final long size = random.nextLong(1L << (shift - 1), 1L << shift);
                    final long payload = allocator.allocate(size, 0);
                    if (payload > 0)
                    {
                        live.add(payload);
                        used += allocator.blockBytes(payload);
                    }
                }
            }
            // keep every 16th object, free the rest: total free must be usable as large blocks
            for (int i = live.size() - 1; i >= 0; i--)
            {
                if (i % 16 != 0)
                {
                    used -= allocator.free(live.remove(i));
                }
            }
            final long free = dataLength - used;
            final long largest = allocator.largestFreePayload();
            assertTrue(largest > free / 8,
                "largest free block " + largest + " of " + free + " free bytes: fragmentation too high");
            final long big = allocator.allocate(largest, 0);
            assertTrue(big > 0, "allocating the largest free block succeeds");
            allocator.free(big);
            for (final long payload : live)
            {
                allocator.free(payload);
            }
            assertEquals(dataLength - 64, allocator.largestFreePayload(), "everything coalesces back to one block");
            assertEquals(0, allocator.rebuild((payload, slot) -> false));
            assertEquals(dataLength - 64, allocator.largestFreePayload());
        }
    }

    @Test
    void shouldHoldOneGibibyteObjectNextToTinyOnes()
    {
        final StoreContext ctx = new StoreContext().capacityBytes((1L << 30) + (64L << 20)).maxObjects(4096);
        try (StoreFixture fixture = StoreFixture.create(ctx))
        {
            final ObjectStore store = fixture.store();
            final ObjectId tiny = ObjectId.random();
            store.put(tiny, MemorySegment.ofArray(new byte[8]), 0);
            final ObjectId big = ObjectId.random();
            final MemorySegment writable = store.create(big, 1L << 30, 1);
            writable.set(java.lang.foreign.ValueLayout.JAVA_LONG, (1L << 30) - 8, 77L);
            store.seal(big);
            final ObjectView view = store.get(big, 0);
            assertEquals(1L << 30, view.size());
            assertEquals(77L, view.segment().get(java.lang.foreign.ValueLayout.JAVA_LONG, (1L << 30) - 8));
            store.release(big);
            assertTrue(store.delete(big));
            assertTrue(store.delete(tiny));
        }
    }
}
