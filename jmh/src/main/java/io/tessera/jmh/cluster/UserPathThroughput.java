package io.tessera.jmh.cluster;

import io.tessera.ActorHandle;
import io.tessera.ObjectRef;
import io.tessera.Tessera;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Issue #15 goal 7, throughput: 2 000 async no-op tasks (or actor calls) from a driver joined through the
 * head of a head + 1 node started with {@code tessera start}, then every result. Baseline in the same run:
 * 2 000 pipelined request/replies over Tessera's transport to a peer JVM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UserPathThroughput
{
    static final int BATCH = 2_000;

    private UserPathCluster cluster;
    private ActorHandle<UserPathCluster.Counter> actor;
    private final ObjectRef<?>[] refs = new ObjectRef<?>[BATCH];

    @Setup(Level.Trial)
    public void start() throws Exception
    {
        cluster = UserPathCluster.start();
        actor = Tessera.actor(UserPathCluster.Counter::new).remote();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception
    {
        cluster.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object userPathTasks()
    {
        for (int i = 0; i < BATCH; i++)
        {
            refs[i] = Tessera.task(UserPathCluster::noop, (long)i).remote();
        }
        return BenchCluster.getAll(refs);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object userPathActorCalls()
    {
        for (int i = 0; i < BATCH; i++)
        {
            refs[i] = actor.task(UserPathCluster.Counter::inc).remote();
        }
        return BenchCluster.getAll(refs);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void baselineTransportRequests()
    {
        cluster.baseline.pipelinedRequests(BATCH);
    }
}
