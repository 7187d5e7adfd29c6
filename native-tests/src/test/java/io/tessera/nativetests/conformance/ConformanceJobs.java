package io.tessera.nativetests.conformance;

import io.tessera.ActorHandle;
import io.tessera.ObjectRef;
import io.tessera.TaskContext;
import io.tessera.Tessera;

import java.io.Serializable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The functions and actors of the API conformance suite. On a cluster they reach the nodes only by
 * class-path shipping (node processes do not have the test classes).
 */
public final class ConformanceJobs
{
    private ConformanceJobs()
    {
    }

    public static int square(int x)
    {
        return x * x;
    }

    public static int add(int a, int b)
    {
        return a + b;
    }

    public static String concat(String a, String b)
    {
        return a + b;
    }

    public static String describeNull(Object o)
    {
        return o == null ? "null" : o.getClass().getName();
    }

    public static void nothing()
    {
    }

    public static int fail(String message)
    {
        throw new IllegalStateException(message);
    }

    public static int failChecked(String message) throws Exception
    {
        throw new java.io.IOException(message);
    }

    public static int sleepThen(long millis, int value) throws InterruptedException
    {
        Thread.sleep(millis);
        return value;
    }

    /** Sleeps for {@code millis}; returns {start, end} wall-clock milliseconds (comparable across processes on one host). */
    public static long[] timed(long millis) throws InterruptedException
    {
        final long start = System.currentTimeMillis();
        Thread.sleep(millis);
        return new long[] {start, System.currentTimeMillis()};
    }

    /** A task that submits {@code n} children and sums their results. */
    public static int fanOut(int n)
    {
        final List<ObjectRef<Integer>> refs = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            refs.add(Tessera.task(ConformanceJobs::square, i).remote());
        }
        int sum = 0;
        for (int v : Tessera.get(refs))
        {
            sum += v;
        }
        return sum;
    }

    public static long crc(byte[] bytes)
    {
        final CRC32 c = new CRC32();
        c.update(bytes);
        return c.getValue();
    }

    public static byte[] pattern(int size, int seed)
    {
        final byte[] b = new byte[size];
        for (int i = 0; i < size; i++)
        {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** Length and CRC of a buffer's bytes from position to limit, leaving it as it was. */
    public static String bufferInfo(ByteBuffer b)
    {
        final byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return bytes.length + ":" + crc(bytes);
    }

    public static ByteBuffer bufferOf(int size)
    {
        return ByteBuffer.wrap(pattern(size, 3));
    }

    public static String segmentInfo(MemorySegment s)
    {
        return s.byteSize() + ":" + crc(s.toArray(ValueLayout.JAVA_BYTE));
    }

    /** Sum of a list's string lengths (a large Serializable argument). */
    public static long totalLength(ArrayList<String> strings)
    {
        long n = 0;
        for (String s : strings)
        {
            n += s.length();
        }
        return n;
    }

    public static int sizeOfRecord(Payload p)
    {
        return p.data().length + p.name().length();
    }

    /** A serializable record type defined by the application. */
    public record Payload(String name, int[] data) implements Serializable
    {
    }

    /** Reads through a ref nested in a list: the inner object's value. */
    public static String readNested(List<ObjectRef<String>> refs)
    {
        return refs.get(0).get();
    }

    /** Reads through an outer ref holding an inner ref. */
    public static String readOuter(List<ObjectRef<ObjectRef<String>>> outer)
    {
        return outer.get(0).get().get();
    }

    /** Zero-copy read of a ref nested in the argument; returns length and CRC. */
    public static String segmentOfNested(List<ObjectRef<byte[]>> refs)
    {
        return segmentInfo(Tessera.getSegment(refs.get(0)));
    }

    /** Reads every inner ref of an outer list of refs; returns their CRCs. */
    public static List<Long> crcsOfInner(List<ObjectRef<byte[]>> inner)
    {
        final List<Long> out = new ArrayList<>();
        for (ObjectRef<byte[]> r : inner)
        {
            out.add(crc(r.get()));
        }
        return out;
    }

    /** Throws until the named counter actor has seen {@code failures} attempts. */
    public static String flaky(String counterName, int failures)
    {
        final ActorHandle<Counter> c = Tessera.getActor(counterName, Counter.class).orElseThrow();
        final int attempt = c.task(Counter::add, 1).remote().get();
        if (attempt <= failures)
        {
            throw new IllegalStateException("attempt " + attempt + " fails on purpose");
        }
        return "succeeded on attempt " + attempt;
    }

    /** Marks the named counter actor (a side effect that shows whether this task ran). */
    public static int mark(String counterName)
    {
        return Tessera.getActor(counterName, Counter.class).orElseThrow().task(Counter::add, 1).remote().get();
    }

    public static int callCounter(ActorHandle<Counter> c, int by)
    {
        return c.task(Counter::add, by).remote().get();
    }

    public static String nodeId()
    {
        return TaskContext.current().nodeId();
    }

    public static MemorySegment segmentPattern(long size)
    {
        final MemorySegment s = Arena.ofAuto().allocate(size, 8);
        for (long i = 0; i < size; i++)
        {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + 7));
        }
        return s;
    }

    /** A stateful actor. */
    public static final class Counter
    {
        private int value;

        public Counter()
        {
        }

        public Counter(int start)
        {
            this.value = start;
        }

        public int add(int by)
        {
            value += by;
            return value;
        }

        public int get()
        {
            return value;
        }

        public int failIf(boolean fail)
        {
            if (fail)
            {
                throw new IllegalArgumentException("asked to fail at " + value);
            }
            return value;
        }

        public long crcOf(byte[] bytes)
        {
            value++;
            return crc(bytes);
        }

        public byte[] bigReply(int size)
        {
            return pattern(size, value);
        }

        public String readOuter(List<ObjectRef<ObjectRef<String>>> outer)
        {
            return outer.get(0).get().get();
        }

        public int sleepThenGet(long millis) throws InterruptedException
        {
            Thread.sleep(millis);
            return value;
        }
    }

    /** An actor whose constructor keeps a large argument. */
    public static final class Holder
    {
        private final byte[] data;

        public Holder(byte[] data)
        {
            this.data = data;
        }

        public long crc()
        {
            return ConformanceJobs.crc(data);
        }
    }

    /** An actor whose constructor throws. */
    public static final class Broken
    {
        public Broken(String why)
        {
            throw new IllegalStateException(why);
        }

        public int get()
        {
            return 0;
        }
    }
}
