package io.tessera.jmh.cluster;

import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import io.tessera.jmh.transport.TransportBaseline;

/**
 * The cluster a user runs, for the user-path suites: a head and one worker node started with
 * {@code tessera start} (the CLI in child JVMs, each launching its node in the background), this JVM joined
 * to the head as a driver ({@code Tessera.init} with the head's address, as {@code tessera submit} does),
 * and the wire's floor beside it ({@link TransportBaseline}: raw Netty and Tessera's transport to a peer JVM).
 */
final class UserPathCluster implements AutoCloseable
{
    /** The actor of the actor-call figures: a counter. */
    public static final class Counter
    {
        private long n;

        public long inc()
        {
            return ++n;
        }
    }

    final BenchCluster cluster;
    final TransportBaseline baseline;

    private UserPathCluster(BenchCluster cluster, TransportBaseline baseline)
    {
        this.cluster = cluster;
        this.baseline = baseline;
    }

    static UserPathCluster start() throws Exception
    {
        final BenchCluster c = new BenchCluster();
        try
        {
            c.startWithCli("--object-store", "256m");
            c.startWithCli("--object-store", "256m");
            Tessera.init(TesseraConfig.builder().address(c.headAddress).token(BenchCluster.TOKEN)
                .objectStoreBytes(256L << 20).build());
            return new UserPathCluster(c, TransportBaseline.start());
        }
        catch (Exception | Error ex)
        {
            Tessera.shutdown();
            c.close();
            throw ex;
        }
    }

    static long noop(long x)
    {
        return x;
    }

    @Override
    public void close() throws Exception
    {
        Tessera.shutdown();
        baseline.close();
        cluster.close();
    }
}
