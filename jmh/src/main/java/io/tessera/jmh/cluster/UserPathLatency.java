package io.tessera.jmh.cluster;

import io.tessera.ActorHandle;
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

import java.util.concurrent.TimeUnit;

/**
 * Issue #15 goal 7, latency: the sync round trip of a no-op task and of an actor call from a driver joined
 * through the head to a head + 1 node started with {@code tessera start} on 127.0.0.1 (the user's path;
 * {@link CrossNodeTaskLatency} wires a driver to a single node). Baselines in the same run: raw Netty
 * ping-pong of 32 bytes to a peer JVM (the floor) and Tessera's transport request/reply to it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UserPathLatency
{
    private UserPathCluster cluster;
    private ActorHandle<UserPathCluster.Counter> actor;

    @Setup(Level.Trial)
    public void start() throws Exception
    {
        cluster = UserPathCluster.start();
        actor = Tessera.actor(UserPathCluster.Counter::new).remote();
        Tessera.task(UserPathCluster::noop, 1L).remote().get();
        actor.task(UserPathCluster.Counter::inc).remote().get();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception
    {
        cluster.close();
    }

    @Benchmark
    public long userPathTask()
    {
        return Tessera.task(UserPathCluster::noop, 1L).remote().get();
    }

    @Benchmark
    public long userPathActorCall()
    {
        return actor.task(UserPathCluster.Counter::inc).remote().get();
    }

    @Benchmark
    public void baselineRawNettyPingPong()
    {
        cluster.baseline.rawPingPong();
    }

    @Benchmark
    public void baselineTransportRequestReply()
    {
        cluster.baseline.requestReply();
    }
}
