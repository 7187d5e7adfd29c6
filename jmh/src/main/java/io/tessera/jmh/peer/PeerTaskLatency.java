package io.tessera.jmh.peer;

import io.tessera.Tessera;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Sync round trip of a no-op task, submitted from the caller and awaited: Tessera's embedded node
 * against Hazelcast's {@code IExecutorService} on one member (the task runs on the caller's own member)
 * and on two members (the task runs on the member in the other JVM, over loopback TCP).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.management/sun.management=ALL-UNNAMED", "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED"})
public class PeerTaskLatency
{
    static int noop(int x)
    {
        return x;
    }

    @Benchmark
    public int tesseraTask(TesseraNode node)
    {
        return Tessera.task(PeerTaskLatency::noop, 1).remote().get();
    }

    @Benchmark
    public int hazelcastOneMember(HazelcastOneMember hz) throws ExecutionException, InterruptedException
    {
        return hz.executor.submit(new NoOpCallable(1)).get();
    }

    @Benchmark
    public int hazelcastTwoMembers(HazelcastTwoMembers hz) throws ExecutionException, InterruptedException
    {
        return hz.executor.submitToMember(new NoOpCallable(1), hz.remote).get();
    }
}
