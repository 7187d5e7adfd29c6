package io.tessera.nativetests.cluster;

import io.tessera.TaskContext;
import io.tessera.Tessera;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Functions the cluster tests run on the nodes; these classes reach the nodes only by class-path shipping. */
public final class Jobs
{
    private Jobs()
    {
    }

    public static long plusOne(long x)
    {
        return x + 1;
    }

    /** {@link #plusOne}, adding {@code by} to the user counter {@code native_test_increments} of the node it runs on. */
    public static long countedPlusOne(long x, int by)
    {
        io.tessera.metrics.Metrics.counter("native_test_increments", "What the native tests added.").inc(by);
        return x + 1;
    }

    public static String whereAmI()
    {
        return TaskContext.current().nodeId();
    }

    public static String slowWhereAmI() throws InterruptedException
    {
        Thread.sleep(20);
        return TaskContext.current().nodeId();
    }

    public static long slowPlusOne(long x) throws InterruptedException
    {
        Thread.sleep(5);
        return x + 1;
    }

    /** A large object made on whichever node runs this: {@code size} bytes of a known pattern. */
    public static MemorySegment pattern(long size)
    {
        final MemorySegment s = Arena.ofAuto().allocate(size, 64);
        for (long i = 0; i < size; i += 8)
        {
            s.set(ValueLayout.JAVA_LONG_UNALIGNED, i, i * 31);
        }
        return s;
    }

    /** Checks the pattern and returns where it ran. */
    public static String checkPattern(MemorySegment s)
    {
        for (long i = 0; i < s.byteSize(); i += 8)
        {
            if (s.get(ValueLayout.JAVA_LONG_UNALIGNED, i) != i * 31)
            {
                return "mismatch at " + i;
            }
        }
        return "ok " + s.byteSize() + " on " + TaskContext.current().nodeId();
    }

    public static double[] bigResult(int n, double seed)
    {
        final double[] d = new double[n];
        for (int i = 0; i < n; i++)
        {
            d[i] = seed + i;
        }
        return d;
    }

    public static double[] scale(double[] d, double by)
    {
        final double[] out = new double[d.length];
        for (int i = 0; i < d.length; i++)
        {
            out[i] = d[i] * by;
        }
        return out;
    }

    public static double sum(double[] d)
    {
        double s = 0;
        for (double v : d)
        {
            s += v;
        }
        return s;
    }

    /** Reads refs that arrived nested inside an argument (borrowed from their owner). */
    public static double sumBorrowed(java.util.List<io.tessera.ObjectRef<double[]>> refs)
    {
        double s = 0;
        for (io.tessera.ObjectRef<double[]> r : refs)
        {
            s += sum(r.get());
        }
        return s;
    }

    /** A task that fans out 6 sleeping children from its node and reports where they ran. */
    public static java.util.Set<String> fanOut()
    {
        final java.util.List<io.tessera.ObjectRef<String>> children = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++)
        {
            children.add(Tessera.task(Jobs::slowWhereAmI).remote());
        }
        return new java.util.TreeSet<>(Tessera.get(children));
    }

    public static long nested(long x)
    {
        return Tessera.task(Jobs::plusOne, x).remote().get() + 1;
    }

    /** An actor that keeps borrowed refs in its state until told to drop them. */
    public static class Keeper
    {
        private java.util.List<io.tessera.ObjectRef<double[]>> kept;

        public Keeper()
        {
        }

        public int keep(java.util.List<io.tessera.ObjectRef<double[]>> refs)
        {
            kept = refs;
            return refs.size();
        }

        public double sumKept()
        {
            return sumBorrowed(kept);
        }

        public int drop()
        {
            kept = null;
            System.gc();
            return 0;
        }
    }

    /** A stateful actor. */
    public static class Counter
    {
        private long value;

        public Counter(long start)
        {
            value = start;
        }

        public long add(long delta)
        {
            value += delta;
            return value;
        }

        public long value()
        {
            return value;
        }

        /** {@code n} copies of the value: a result large enough to stay in the node's store. */
        public double[] values(int n)
        {
            final double[] out = new double[n];
            java.util.Arrays.fill(out, value);
            return out;
        }

        public String node()
        {
            return TaskContext.current().nodeId();
        }

        /** Writes {@code marker}.started, sleeps {@code ms}, then adds: a call whose running is visible from outside. */
        public long addAfter(String marker, long delta, long ms) throws Exception
        {
            java.nio.file.Files.writeString(java.nio.file.Path.of(marker + ".started"), TaskContext.current().nodeId());
            Thread.sleep(ms);
            value += delta;
            return value;
        }
    }

    /** Writes {@code path}.started, sleeps {@code ms}, writes {@code path}.done: a task whose running is visible from outside. */
    public static String markAndSleep(String path, long ms) throws Exception
    {
        java.nio.file.Files.writeString(java.nio.file.Path.of(path + ".started"), TaskContext.current().nodeId());
        Thread.sleep(ms);
        java.nio.file.Files.writeString(java.nio.file.Path.of(path + ".done"), "");
        return path;
    }

    /**
     * Starts a long child task (which spills to another node when this one's CPUs are taken), cancels
     * it once it runs, and reports "cancelled CHILD_NODE from PARENT_NODE" or what happened instead.
     */
    public static String spawnAndCancel(String marker) throws Exception
    {
        final io.tessera.ObjectRef<String> child = Tessera.task(Jobs::markAndSleep, marker, 20_000L).remote();
        final java.nio.file.Path started = java.nio.file.Path.of(marker + ".started");
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (!java.nio.file.Files.exists(started) && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        Tessera.cancel(child);
        try
        {
            return "not cancelled: " + Tessera.get(child, java.time.Duration.ofSeconds(5));
        }
        catch (io.tessera.TaskCancelledException expected)
        {
            return "cancelled " + java.nio.file.Files.readString(started) + " from " + TaskContext.current().nodeId();
        }
        catch (RuntimeException other)
        {
            return "failed: " + other;
        }
    }

    /** {@link #markAndSleep} once {@code dependency} is ready (a task that waits for its argument at its owner). */
    public static String markAfter(String dependency, String path) throws Exception
    {
        return markAndSleep(path, 0);
    }
}
