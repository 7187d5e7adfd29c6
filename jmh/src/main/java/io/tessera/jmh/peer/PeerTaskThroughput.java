package io.tessera.jmh.peer;

import io.tessera.ObjectRef;
import io.tessera.Tessera;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Async throughput of no-op tasks: submit a batch of {@value #BATCH}, then wait for every result.
 * Tessera's embedded node against Hazelcast's {@code IExecutorService} (default pool of 16 threads)
 * on one member and, with {@code submitToMember}, on the member in the other JVM.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.management/sun.management=ALL-UNNAMED", "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED"})
public class PeerTaskThroughput
{
    static final int BATCH = 1_000;

    private final ObjectRef<?>[] refs = new ObjectRef<?>[BATCH];
    private final Future<?>[] futures = new Future<?>[BATCH];

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object tesseraTasks(TesseraNode node)
    {
        for (int i = 0; i < BATCH; i++)
        {
            refs[i] = Tessera.task(PeerTaskLatency::noop, i).remote();
        }
        Object last = null;
        for (ObjectRef<?> r : refs)
        {
            last = r.get();
        }
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object hazelcastOneMember(HazelcastOneMember hz) throws ExecutionException, InterruptedException
    {
        for (int i = 0; i < BATCH; i++)
        {
            futures[i] = hz.executor.submit(new NoOpCallable(i));
        }
        return awaitAll();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object hazelcastTwoMembers(HazelcastTwoMembers hz) throws ExecutionException, InterruptedException
    {
        for (int i = 0; i < BATCH; i++)
        {
            futures[i] = hz.executor.submitToMember(new NoOpCallable(i), hz.remote);
        }
        return awaitAll();
    }

    private Object awaitAll() throws ExecutionException, InterruptedException
    {
        Object last = null;
        for (Future<?> f : futures)
        {
            last = f.get();
        }
        return last;
    }
}
