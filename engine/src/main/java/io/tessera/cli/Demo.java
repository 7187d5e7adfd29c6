package io.tessera.cli;

import io.tessera.ActorHandle;
import io.tessera.ObjectRef;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The examples users know from Ray talks, on the embedded node, with timings: parallel tasks, an
 * actor with state, a learning agent, a 100 MB array shared zero-copy, nested tasks.
 */
public final class Demo
{
    private final PrintStream out;

    Demo(PrintStream out)
    {
        this.out = out;
    }

    // ---- 1. my_func(x) = x * 2, one second each
    static int myFunc(int x) throws InterruptedException
    {
        Thread.sleep(1000);
        return x * 2;
    }

    // ---- 2. MyActor(coef) with set_coef
    public static final class MyActor
    {
        private double coef;

        public MyActor(double coef)
        {
            this.coef = coef;
        }

        public void setCoef(double c)
        {
            coef = c;
        }

        public double compute(double x)
        {
            return coef * x;
        }
    }

    // ---- 3. a learning agent that keeps its model between calls: online linear regression y = w*x + b
    public static final class LearningAgent
    {
        private double w;
        private double b;
        private final double rate;

        public LearningAgent(double rate)
        {
            this.rate = rate;
        }

        /** One epoch of SGD over a batch; returns the mean squared error before the update. */
        public double train(double[] xs, double[] ys)
        {
            double loss = 0;
            for (int i = 0; i < xs.length; i++)
            {
                final double err = w * xs[i] + b - ys[i];
                loss += err * err;
                w -= rate * err * xs[i];
                b -= rate * err;
            }
            return loss / xs.length;
        }

        public double[] model()
        {
            return new double[] {w, b};
        }
    }

    // ---- 4. a 100 MB array read zero-copy by several tasks
    static double sumPart(MemorySegment data, int part, int parts)
    {
        final long n = data.byteSize() / Double.BYTES;
        final long from = n * part / parts;
        final long to = n * (part + 1) / parts;
        double s = 0;
        for (long i = from; i < to; i++)
        {
            s += data.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
        }
        return s;
    }

    static long addressOf(MemorySegment data)
    {
        return data.address();
    }

    // ---- 5. nested tasks: a task that fans out to more tasks
    static long fib(int n)
    {
        if (n < 2)
        {
            return n;
        }
        if (n < 12)
        {
            return fib(n - 1) + fib(n - 2);
        }
        final ObjectRef<Long> a = Tessera.task(Demo::fib, n - 1).remote();
        final ObjectRef<Long> b = Tessera.task(Demo::fib, n - 2).remote();
        return a.get() + b.get();
    }

    int run()
    {
        // the machine as it is: its own CPU count, so the speedups below are what this machine gives
        final int cpus = Runtime.getRuntime().availableProcessors();
        Tessera.init(TesseraConfig.builder().cpus(cpus).objectStoreBytes(512L << 20).build());
        try
        {
            out.printf("Tessera demo: embedded node, %d CPU%s (this machine's), 512 MiB object store%n%n", cpus, cpus == 1 ? "" : "s");
            parallelTasks(cpus);
            actors();
            learningAgent();
            zeroCopy();
            nested();
            out.println("\ndone.");
            return 0;
        }
        finally
        {
            Tessera.shutdown();
        }
    }

    private void parallelTasks(int cpus)
    {
        out.println("1. my_func(x) = x * 2, each sleeping 1 s, over 4 inputs (a task holds 1 CPU)");
        long t0 = System.nanoTime();
        final List<Integer> seq = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            seq.add(Tessera.task(Demo::myFunc, i).remote().get());
        }
        final double seqS = seconds(t0);
        t0 = System.nanoTime();
        final List<ObjectRef<Integer>> refs = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            refs.add(Tessera.task(Demo::myFunc, i).remote());
        }
        final List<Integer> par = Tessera.get(refs);
        final double parS = seconds(t0);
        out.printf("   sequential: %s in %.2f s%n   parallel:   %s in %.2f s (%.1fx; %d CPU%s run at most %d of the 4 at once)%n%n",
            seq, seqS, par, parS, seqS / parS, cpus, cpus == 1 ? "" : "s", Math.min(4, cpus));
    }

    private void actors()
    {
        out.println("2. MyActor(coef): state kept between calls, methods run in order");
        final long t0 = System.nanoTime();
        final ActorHandle<MyActor> a = Tessera.actor(MyActor::new, 2.0).remote();
        final ActorHandle<MyActor> b = Tessera.actor(MyActor::new, 3.0).remote();
        final double before = a.task(MyActor::compute, 10.0).remote().get();
        a.task(MyActor::setCoef, 5.0).remote();
        final double after = a.task(MyActor::compute, 10.0).remote().get();
        final double other = b.task(MyActor::compute, 10.0).remote().get();
        out.printf("   a.compute(10) = %.1f; a.set_coef(5); a.compute(10) = %.1f; b.compute(10) = %.1f  (%.2f ms)%n%n",
            before, after, other, (System.nanoTime() - t0) / 1e6);
    }

    private void learningAgent()
    {
        out.println("3. a learning agent keeps its model between calls (learns y = 3x + 1)");
        final ActorHandle<LearningAgent> agent = Tessera.actor(LearningAgent::new, 0.05).remote();
        final java.util.Random rnd = new java.util.Random(42);
        final long t0 = System.nanoTime();
        double loss = 0;
        double first = -1;
        for (int epoch = 0; epoch < 50; epoch++)
        {
            final double[] xs = new double[64];
            final double[] ys = new double[64];
            for (int i = 0; i < xs.length; i++)
            {
                xs[i] = rnd.nextDouble() * 2 - 1;
                ys[i] = 3 * xs[i] + 1;
            }
            loss = agent.task(LearningAgent::train, xs, ys).remote().get();
            if (first < 0)
            {
                first = loss;
            }
        }
        final double[] model = agent.task(LearningAgent::model).remote().get();
        out.printf("   loss %.4f -> %.6f after 50 calls; model w = %.3f, b = %.3f  (%.2f ms)%n%n",
            first, loss, model[0], model[1], (System.nanoTime() - t0) / 1e6);
    }

    private void zeroCopy()
    {
        out.println("4. a 100 MB double[] put once, read zero-copy by 8 tasks");
        final double[] data = new double[100_000_000 / Double.BYTES];
        for (int i = 0; i < data.length; i++)
        {
            data[i] = i % 1000;
        }
        long t0 = System.nanoTime();
        final ObjectRef<MemorySegment> ref = Tessera.put(MemorySegment.ofArray(data));
        final double putMs = (System.nanoTime() - t0) / 1e6;
        t0 = System.nanoTime();
        final List<ObjectRef<Double>> parts = new ArrayList<>();
        final List<ObjectRef<Long>> addresses = new ArrayList<>();
        for (int p = 0; p < 8; p++)
        {
            parts.add(Tessera.task(Demo::sumPart, ref, p, 8).remote());
            addresses.add(Tessera.task(Demo::addressOf, ref).remote());
        }
        double total = 0;
        for (double s : Tessera.get(parts))
        {
            total += s;
        }
        final double readMs = (System.nanoTime() - t0) / 1e6;
        final long distinct = Tessera.get(addresses).stream().distinct().count();
        final long driverAddress = Tessera.getSegment(ref).address();
        double expected = 0;
        for (double d : data)
        {
            expected += d;
        }
        out.printf("   put %.1f ms (%.2f GB/s); 8 tasks summed %.0f (expected %.0f) in %.1f ms%n",
            putMs, 100e6 / putMs / 1e6, total, expected, readMs);
        out.printf("   every task saw the same store address (%d distinct, 0x%x = driver's view: %s): no copies%n%n",
            distinct, driverAddress, Tessera.get(addresses).getFirst() == driverAddress);
        Tessera.free(ref);
    }

    private void nested()
    {
        out.println("5. nested tasks: fib(20) fanning out into tasks below n = 12");
        final long t0 = System.nanoTime();
        final long v = Tessera.task(Demo::fib, 20).remote().get();
        out.printf("   fib(20) = %d in %.1f ms%n", v, (System.nanoTime() - t0) / 1e6);
    }

    private static double seconds(long t0)
    {
        return (System.nanoTime() - t0) / 1e9;
    }
}
