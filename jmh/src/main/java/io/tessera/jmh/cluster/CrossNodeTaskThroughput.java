package io.tessera.jmh.cluster;

import io.tessera.ObjectRef;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import io.tessera.jmh.transport.TransportBaseline;
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
 * Async cross-node throughput: 2 000 no-op tasks submitted to a node JVM, then all results awaited.
 * Baseline: 2 000 pipelined request/replies over the same transport to a peer JVM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CrossNodeTaskThroughput
{
    static final int BATCH = 2_000;

    private BenchCluster cluster;
    private TransportBaseline baseline;
    private final ObjectRef<?>[] refs = new ObjectRef<?>[BATCH];

    @Setup(Level.Trial)
    public void start() throws Exception
    {
        cluster = new BenchCluster();
        cluster.start("--cpus", "2", "--object-store", "128m");
        Tessera.init(TesseraConfig.builder().address(cluster.headAddress).token(BenchCluster.TOKEN)
            .objectStoreBytes(64L << 20).build());
        baseline = TransportBaseline.start();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception
    {
        Tessera.shutdown();
        baseline.close();
        cluster.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object tesseraCrossNodeTasks()
    {
        for (int i = 0; i < BATCH; i++)
        {
            refs[i] = Tessera.task(CrossNodeTaskLatency::noop, (long) i).remote();
        }
        return BenchCluster.getAll(refs);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void baselineTransportRequests()
    {
        baseline.pipelinedRequests(BATCH);
    }
}
