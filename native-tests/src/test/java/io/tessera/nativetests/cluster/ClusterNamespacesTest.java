package io.tessera.nativetests.cluster;

import io.tessera.internal.cluster.ClusterClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Namespaces and detached actors on real processes: a head, a worker and two driver JVMs one after the other
 * ({@link DetachedDriver}), both in namespace "ns".
 */
@Timeout(180)
class ClusterNamespacesTest
{
    private ClusterFixture cluster;

    @AfterEach
    void tearDown() throws Exception
    {
        if (cluster != null)
        {
            cluster.close();
        }
    }

    @Test
    void shouldKeepADetachedActorForALaterDriverOfItsNamespaceUntilKilled() throws Exception
    {
        cluster = new ClusterFixture("namespaces");
        cluster.startHead(0, "--cpus", "1");
        cluster.startWorker("w", "--cpus", "2", "--resource", "home=2");
        runDriver("driver1", "create");

        final String[] last = new String[1];
        assertTrue(ClusterLifeTest.eventually(() ->
        {
            final String status = ClusterClient.status(cluster.headAddress(), ClusterFixture.TOKEN);
            final Map<String, Long> w = ClusterClient.nodeStats(cluster.address("w"), ClusterFixture.TOKEN, false);
            last[0] = status + "\nworker " + w;
            return ClusterLifeTest.number(status, "jobs: (\\d+)") == 0 && w.get("actors") == 1;
        }, 20_000), "after driver 1's job ended only its detached actor should live on the worker:\n" + last[0]);
        final Map<String, Long> kept = ClusterClient.nodeStats(cluster.address("w"), ClusterFixture.TOKEN, false);
        assertEquals(1L, kept.get("jobLoaders"), "the ended job's class loader stays open for its detached actor: " + kept);
        final String status = ClusterClient.status(cluster.headAddress(), ClusterFixture.TOKEN);
        assertTrue(status.contains("keeper (namespace ns)") && !status.contains("temp"), status);

        runDriver("driver2", "use");
        assertTrue(ClusterLifeTest.eventually(() ->
        {
            final String s = ClusterClient.status(cluster.headAddress(), ClusterFixture.TOKEN);
            final Map<String, Long> w = ClusterClient.nodeStats(cluster.address("w"), ClusterFixture.TOKEN, false);
            last[0] = s + "\nworker " + w;
            return ClusterLifeTest.number(s, "named actors: (\\d+)") == 0 && w.get("actors") == 0 && w.get("jobLoaders") == 0;
        }, 20_000), "the killed detached actor, its name and its job's class loader should be gone:\n" + last[0]);
    }

    private void runDriver(String name, String mode) throws Exception
    {
        final Process p = cluster.startDriver(name, DetachedDriver.class, cluster.headAddress(), mode);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "driver did not finish");
        assertEquals(0, p.exitValue(), Files.readString(cluster.logs.resolve(name + ".log")));
    }
}
