package io.tessera.nativetests.conformance;

import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import io.tessera.nativetests.cluster.ClusterFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The API conformance suite from a driver (this JVM, which runs no task) joined to a real head and
 * two worker JVMs on 127.0.0.1, started once for the class. Nodes have small stores, so spilling
 * and eviction happen during the suite.
 */
class ClusterConformanceTest extends ApiConformance
{
    private static final int CPUS = 2;
    private static ClusterFixture cluster;

    @BeforeAll
    static void start() throws Exception
    {
        cluster = new ClusterFixture("conformance");
        cluster.startHead(0, "--cpus", String.valueOf(CPUS), "--object-store", "512m");
        cluster.startWorker("node-a", "--cpus", String.valueOf(CPUS), "--object-store", "512m", "--resource", "pin-a=1000");
        cluster.startWorker("node-b", "--cpus", String.valueOf(CPUS), "--object-store", "512m", "--resource", "pin-b=1000");
        Tessera.init(TesseraConfig.builder().address(cluster.headAddress()).token(ClusterFixture.TOKEN)
            .objectStoreBytes(256L << 20).build());
    }

    @AfterAll
    static void stop() throws Exception
    {
        try
        {
            Tessera.shutdown();
        }
        finally
        {
            cluster.close();
        }
    }

    @Override
    int totalCpus()
    {
        return 3 * CPUS;
    }

    @Override
    int placementSlackWaves()
    {
        return 1;
    }

    @Override
    int pinnedCpus()
    {
        return CPUS;
    }
}
