package io.tessera.jmh.engine;

import io.tessera.Tessera;
import io.tessera.TesseraConfig;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * What an idle embedded node costs (issue #15 goal 1: under 2 % of one core). Not a JMH benchmark (JMH scores
 * time, this measures CPU): a main that starts a node, runs {@value #WARM_UP_TASKS} no-op tasks and as many
 * {@code supplyAsync} calls on the common pool (so both have their threads started and warm), waits a second for
 * every spinning or yielding thread to settle, then does nothing for the window (10 s by default) and reads the CPU
 * time the process, Tessera's threads ({@code tessera-*}) and the common pool's workers (the baseline, idle in the
 * same window) used meanwhile, as a percentage of one core, and the states of Tessera's threads at the end (parked
 * ones are {@code WAITING}). Exits 1 when the process used 2 % or more (or {@code --max-percent P}).
 *
 * <pre>{@code
 * java $(cat engine/target/classes/io/tessera/jvm.options) -cp jmh/target/benchmarks.jar \
 *     io.tessera.jmh.engine.IdleNodeCpu [--seconds 10] [--max-percent 2] [--low-latency]
 * }</pre>
 * {@code --low-latency} starts the node in the low-latency mode instead, which spins by design (a core per thread).
 */
public final class IdleNodeCpu
{
    static final int WARM_UP_TASKS = 50_000;

    private IdleNodeCpu()
    {
    }

    static int noop(int x)
    {
        return x;
    }

    public static void main(String[] args) throws InterruptedException
    {
        double seconds = 10;
        double maxPercent = 2;
        boolean lowLatency = false;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--seconds" -> seconds = Double.parseDouble(value(args, ++i));
                case "--max-percent" -> maxPercent = Double.parseDouble(value(args, ++i));
                case "--low-latency" -> lowLatency = true;
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                    + "'; usage: IdleNodeCpu [--seconds S] [--max-percent P] [--low-latency]");
            }
        }
        Tessera.init(TesseraConfig.builder().objectStoreBytes(64L << 20).lowLatency(lowLatency).build());
        try
        {
            for (int i = 0; i < WARM_UP_TASKS; i++)
            {
                Tessera.task(IdleNodeCpu::noop, 1).remote().get();
                CompletableFuture.supplyAsync(() -> noop(1), ForkJoinPool.commonPool()).join();
            }
            Thread.sleep(1_000);
            final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            final long[] before = {os.getProcessCpuTime(), cpuOf(threads, "tessera-"), cpuOf(threads, "ForkJoinPool.commonPool")};
            final long t0 = System.nanoTime();
            Thread.sleep((long) (seconds * 1_000));
            final long wallNs = System.nanoTime() - t0;
            final long[] after = {os.getProcessCpuTime(), cpuOf(threads, "tessera-"), cpuOf(threads, "ForkJoinPool.commonPool")};
            final double process = percent(after[0] - before[0], wallNs);
            System.out.printf(Locale.ROOT, "idle %s node, %.0f s: process %.3f %% of one core (limit %.1f %%); Tessera's threads"
                    + " %.3f %%; baseline: the idle common ForkJoinPool's workers %.3f %%; Tessera's threads now: %s%n",
                lowLatency ? "low-latency" : "default-mode", wallNs / 1e9, process, maxPercent,
                percent(after[1] - before[1], wallNs), percent(after[2] - before[2], wallNs), states(threads));
            if (process >= maxPercent)
            {
                System.exit(1);
            }
        }
        finally
        {
            Tessera.shutdown();
        }
    }

    private static String value(String[] args, int i)
    {
        if (i >= args.length)
        {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static double percent(long cpuNs, long wallNs)
    {
        return cpuNs * 100.0 / wallNs;
    }

    /** CPU nanoseconds the live threads whose name starts with {@code prefix} used so far. */
    private static long cpuOf(ThreadMXBean mx, String prefix)
    {
        long sum = 0;
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds()))
        {
            if (info != null && info.getThreadName().startsWith(prefix))
            {
                sum += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    /** How many of Tessera's threads are in each state, e.g. {@code {WAITING=3}}. */
    private static String states(ThreadMXBean mx)
    {
        final TreeMap<String, Integer> count = new TreeMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds()))
        {
            if (info != null && info.getThreadName().startsWith("tessera-"))
            {
                count.merge(info.getThreadState().name(), 1, Integer::sum);
            }
        }
        return count.toString();
    }
}
