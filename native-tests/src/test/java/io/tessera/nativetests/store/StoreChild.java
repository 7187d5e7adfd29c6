package io.tessera.nativetests.store;

import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.ObjectView;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The second process of {@link StoreMultiProcessTest}: attaches to a store and plays one role.
 * Prints one result line; exit code 0 = success.
 * <pre>
 *   read  PATH ID SIZE SEED          attach, get, verify the pattern, report zero-copy facts and get latency
 *   write PATH ID SIZE SEED          attach, create, fill, seal
 *   hang  PATH PINNED_ID UNSEALED_ID attach, pin one object, half-write another, print READY, wait to be killed
 *   churn PATH                       attach, put/get/delete ids (CHURN_HI, 0..255) of random sizes forever,
 *                                    print READY after 2 000 operations, wait to be killed mid-operation
 * </pre>
 */
public final class StoreChild
{
    private StoreChild()
    {
    }

    /** The value every test writes at long index {@code i}. */
    public static long pattern(final long seed, final long i)
    {
        return seed * 0x9E3779B97F4A7C15L + i;
    }

    /** High half of the ids the churn role uses. */
    public static final long CHURN_HI = 0xC0DEL;
    /** The churn role uses ids (CHURN_HI, 0 .. CHURN_IDS - 1). */
    public static final int CHURN_IDS = 256;

    /**
     * Writes a self-describing pattern: the seed in the first long, the pattern after it.
     */
    public static void fillSelfDescribing(final MemorySegment segment, final long seed)
    {
        segment.set(JAVA_LONG, 0, seed);
        fill(segment.asSlice(8), seed);
    }

    /**
     * @return true when the segment holds a complete {@link #fillSelfDescribing} pattern.
     */
    public static boolean verifySelfDescribing(final MemorySegment segment)
    {
        return segment.byteSize() >= 8 && verify(segment.asSlice(8), segment.get(JAVA_LONG, 0));
    }

    public static void fill(final MemorySegment segment, final long seed)
    {
        for (long i = 0; i < segment.byteSize() / 8; i++)
        {
            segment.setAtIndex(JAVA_LONG, i, pattern(seed, i));
        }
    }

    public static boolean verify(final MemorySegment segment, final long seed)
    {
        for (long i = 0; i < segment.byteSize() / 8; i++)
        {
            if (segment.getAtIndex(JAVA_LONG, i) != pattern(seed, i))
            {
                return false;
            }
        }
        return true;
    }

    public static void main(final String[] args)
    {
        System.out.println("child " + ProcessHandle.current().pid() + " args " + Arrays.toString(args));
        final Path path = Path.of(args[1]);
        final int status;
        try (ObjectStore store = ObjectStore.attach(path))
        {
            status = switch (args[0])
            {
                case "read" -> read(store, ObjectId.parse(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]));
                case "write" -> write(store, ObjectId.parse(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]));
                case "hang" -> hang(store, ObjectId.parse(args[2]), ObjectId.parse(args[3]));
                case "churn" -> churn(store);
                default -> throw new IllegalArgumentException("unknown role " + args[0]);
            };
        }
        System.out.flush();
        System.exit(status);
    }

    private static int read(final ObjectStore store, final ObjectId id, final long size, final long seed)
    {
        final ObjectView view = store.get(id, TimeUnit.SECONDS.toNanos(10));
        if (view == null)
        {
            System.out.println("FAIL not found " + id);
            return 2;
        }
        final MemorySegment segment = view.segment();
        final boolean ok = segment.byteSize() == size && verify(segment, seed);
        System.out.println("mapped=" + segment.isMapped() + " native=" + segment.isNative() + " readOnly=" +
            segment.isReadOnly() + " size=" + segment.byteSize());
        store.release(id);
        final int iterations = 200_000;
        final long[] samples = new long[iterations];
        for (int i = 0; i < iterations; i++)
        {
            final long start = System.nanoTime();
            store.get(id, 0);
            store.release(id);
            samples[i] = System.nanoTime() - start;
        }
        Arrays.sort(samples, iterations / 2, iterations);
        final long[] tail = Arrays.copyOfRange(samples, iterations / 2, iterations);
        System.out.println("getReleaseNs p50=" + tail[tail.length / 2] + " p99=" + tail[tail.length * 99 / 100]);
        System.out.println(ok ? "OK" : "FAIL content mismatch");
        return ok ? 0 : 3;
    }

    private static int write(final ObjectStore store, final ObjectId id, final long size, final long seed)
    {
        final MemorySegment segment = store.create(id, size, 1);
        fill(segment, seed);
        store.seal(id);
        System.out.println("OK sealed " + id);
        return 0;
    }

    private static int churn(final ObjectStore store)
    {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(ProcessHandle.current().pid());
        for (long op = 0; ; op++)
        {
            final ObjectId id = ObjectId.of(CHURN_HI, random.nextInt(CHURN_IDS));
            if (store.contains(id))
            {
                final ObjectView view = store.get(id, 0);
                if (view != null)
                {
                    if (!verifySelfDescribing(view.segment()))
                    {
                        System.out.println("FAIL corrupt " + id);
                        return 4;
                    }
                    store.release(id);
                }
                store.delete(id);
            }
            else
            {
                final long size = 8 * (1 + random.nextInt(8 * 1024));
                final MemorySegment segment = store.create(id, size, 2);
                fillSelfDescribing(segment, op);
                if (random.nextInt(16) == 0)
                {
                    store.abort(id);
                }
                else
                {
                    store.seal(id);
                }
            }
            if (op == 2_000)
            {
                System.out.println("READY");
                System.out.flush();
            }
        }
    }

    private static int hang(final ObjectStore store, final ObjectId pinned, final ObjectId unsealed)
    {
        if (store.get(pinned, TimeUnit.SECONDS.toNanos(10)) == null)
        {
            System.out.println("FAIL not found " + pinned);
            return 2;
        }
        store.get(pinned, 0);
        final MemorySegment half = store.create(unsealed, 1 << 16, 1);
        fill(half.asSlice(0, 1 << 15), 7);
        System.out.println("READY");
        System.out.flush();
        while (true)
        {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        }
    }
}
