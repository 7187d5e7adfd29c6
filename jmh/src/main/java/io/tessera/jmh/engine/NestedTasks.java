package io.tessera.jmh.engine;

import io.tessera.ObjectRef;
import io.tessera.Tessera;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;

/**
 * Round trip of a task that submits {@value #CHILDREN} no-op child tasks and waits for all of them
 * (the parent blocks in {@code get} on a worker). Baseline: the same shape as a {@link RecursiveTask}
 * on the common {@link ForkJoinPool} (fork the children, join them).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NestedTasks extends EmbeddedNode
{
    static final int CHILDREN = 10;

    static int child(int x)
    {
        return x;
    }

    static int parent(int n)
    {
        final ObjectRef<?>[] kids = new ObjectRef<?>[n];
        for (int i = 0; i < n; i++)
        {
            kids[i] = Tessera.task(NestedTasks::child, i).remote();
        }
        int sum = 0;
        for (ObjectRef<?> k : kids)
        {
            sum += (Integer) k.get();
        }
        return sum;
    }

    /** The baseline's parent: forks its children, then joins them. */
    static final class Parent extends RecursiveTask<Integer>
    {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        private final int n;

        Parent(int n)
        {
            this.n = n;
        }

        @Override
        protected Integer compute()
        {
            final Child[] kids = new Child[n];
            for (int i = 0; i < n; i++)
            {
                kids[i] = new Child(i);
                kids[i].fork();
            }
            int sum = 0;
            for (Child k : kids)
            {
                sum += k.join();
            }
            return sum;
        }
    }

    /** The baseline's no-op child. */
    static final class Child extends RecursiveTask<Integer>
    {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        private final int x;

        Child(int x)
        {
            this.x = x;
        }

        @Override
        protected Integer compute()
        {
            return child(x);
        }
    }


    @Benchmark
    public int tesseraNested()
    {
        return Tessera.task(NestedTasks::parent, CHILDREN).remote().get();
    }

    @Benchmark
    public int baselineForkJoinPool()
    {
        return ForkJoinPool.commonPool().invoke(new Parent(CHILDREN));
    }
}
