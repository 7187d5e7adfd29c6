package io.tessera.jmh.cluster;

import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Where a by-value argument should stop travelling inside the task message: the sync round trip of
 * a task given a {@code byte[]} of {@code size} bytes, sent inline ({@code path=inline}) or put into
 * the driver's store and pulled by the node ({@code path=store}), from a driver to a node JVM.
 * The engine switches at 100 KiB ({@code Owner.INLINE_ARG_MAX}); this measures both sides of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CrossNodeArgumentSize
{
    @Param({"16384", "65536", "131072", "262144", "524288"})
    public int size;

    @Param({"inline", "store"})
    public String path;

    private BenchCluster cluster;
    private byte[] argument;

    static int length(byte[] b)
    {
        return b.length;
    }

    @Setup(Level.Trial)
    public void start() throws Exception
    {
        System.setProperty("tessera.inlineArgBytes", path.equals("inline") ? String.valueOf(512 * 1024) : "0");
        cluster = new BenchCluster();
        cluster.start("--cpus", "1", "--object-store", "256m");
        Tessera.init(TesseraConfig.builder().address(cluster.headAddress).token(BenchCluster.TOKEN)
            .objectStoreBytes(256L << 20).build());
        argument = new byte[size];
        Tessera.task(CrossNodeArgumentSize::length, argument).remote().get();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception
    {
        Tessera.shutdown();
        cluster.close();
        System.clearProperty("tessera.inlineArgBytes");
    }

    @Benchmark
    public int taskWithArgument()
    {
        return Tessera.task(CrossNodeArgumentSize::length, argument).remote().get();
    }
}
