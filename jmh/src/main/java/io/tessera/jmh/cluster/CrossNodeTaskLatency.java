package io.tessera.jmh.cluster;

import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import io.tessera.jmh.transport.TransportBaseline;
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
 * Sync round trip of a no-op task from a driver to a node JVM and back. Baselines in the same run:
 * the raw Netty ping-pong of 32 bytes to a peer JVM on the same transport kind (the physical floor)
 * and Tessera's own transport request/reply to that peer (what the engine adds is the difference).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CrossNodeTaskLatency
{
    private BenchCluster cluster;
    private TransportBaseline baseline;

    static long noop(long x)
    {
        return x;
    }

    @Setup(Level.Trial)
    public void start() throws Exception
    {
        cluster = new BenchCluster();
        cluster.start("--cpus", "1", "--object-store", "128m");
        Tessera.init(TesseraConfig.builder().address(cluster.headAddress).token(BenchCluster.TOKEN)
            .objectStoreBytes(64L << 20).build());
        baseline = TransportBaseline.start();
        Tessera.task(CrossNodeTaskLatency::noop, 1L).remote().get();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception
    {
        Tessera.shutdown();
        baseline.close();
        cluster.close();
    }

    @Benchmark
    public long tesseraCrossNodeTask()
    {
        return Tessera.task(CrossNodeTaskLatency::noop, 1L).remote().get();
    }

    @Benchmark
    public void baselineTransportRequestReply()
    {
        baseline.requestReply();
    }

    @Benchmark
    public void baselineRawNettyPingPong()
    {
        baseline.rawPingPong();
    }
}
