package io.tessera.nativetests.cluster;

import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;
import io.tessera.testing.Await;
import io.tessera.internal.cluster.ClusterClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a driver held on the nodes goes when its job ends: held objects, actors, borrows, its class loader; a detached
 * actor (and its job's class loader) stays until killed.
 */
@Timeout(180)
class ClusterLifeTest
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
    void shouldFreeWhatAFinishedDriverHeldOnTheNodes() throws Exception
    {
        cluster = new ClusterFixture("driver-exit");
        cluster.startHead(0, "--cpus", "1");
        cluster.startWorker("w", "--cpus", "2");
        runDriver("driver", "exit", 1);
        assertAllFreed("w", 20_000);
    }

    @Test
    void shouldFreeWhatACrashedDriverHeldAfterTheGracePeriod() throws Exception
    {
        cluster = new ClusterFixture("driver-crash");
        cluster.nodeJvmOptions.add("-Dtessera.jobGraceMs=1000");
        cluster.startHead(0, "--cpus", "1");
        cluster.startWorker("w", "--cpus", "2");
        runDriver("driver", "crash", 1);
        assertAllFreed("w", 20_000);
    }

    @Test
    void shouldKeepADetachedActorForALaterDriverOfItsNamespaceUntilKilled() throws Exception
    {
        cluster = new ClusterFixture("namespaces");
        cluster.startHead(0, "--cpus", "1");
        cluster.startWorker("w", "--cpus", "2", "--resource", "home=2");
        runDriver("driver1", DetachedDriver.class, "create");
        final String[] last = new String[1];
        assertTrue(eventually(() ->
        {
            final String status = ClusterClient.status(cluster.headAddress(), ClusterFixture.TOKEN);
            final Map<String, Long> w = ClusterClient.nodeStats(cluster.address("w"), ClusterFixture.TOKEN, false);
            last[0] = status + "\nworker " + w;
            return number(status, "jobs: (\\d+)") == 0 && w.get("actors") == 1;
        }, 20_000), "after driver 1's job ended only its detached actor should live on the worker:\n" + last[0]);
        final Map<String, Long> kept = ClusterClient.nodeStats(cluster.address("w"), ClusterFixture.TOKEN, false);
        assertEquals(1L, kept.get("jobLoaders"), "the ended job's class loader stays open for its detached actor: " + kept);
        final String status = ClusterClient.status(cluster.headAddress(), ClusterFixture.TOKEN);
        assertTrue(status.contains("keeper (namespace ns)") && !status.contains("temp"), status);

        // driver 2 (namespace ns) finds it, calls it, sees driver 1's other actor gone, kills it
        runDriver("driver2", DetachedDriver.class, "use");
        assertTrue(eventually(() ->
        {
            final String s = ClusterClient.status(cluster.headAddress(), ClusterFixture.TOKEN);
            final Map<String, Long> w = ClusterClient.nodeStats(cluster.address("w"), ClusterFixture.TOKEN, false);
            last[0] = s + "\nworker " + w;
            return number(s, "named actors: (\\d+)") == 0 && allZero(w);
        }, 20_000), "the killed detached actor, its name, its job's class loader and driver 2's results should be gone:\n" + last[0]);
    }

    private void runDriver(String name, String mode, int job) throws Exception
    {
        runDriver(name, SoakDriver.class, mode, String.valueOf(job));
    }

    private void runDriver(String name, Class<?> main, String... args) throws Exception
    {
        final String[] all = new String[args.length + 1];
        all[0] = cluster.headAddress();
        System.arraycopy(args, 0, all, 1, args.length);
        final Process p = cluster.startDriver(name, main, all);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "driver did not finish");
        assertEquals(0, p.exitValue(), Files.readString(cluster.logs.resolve(name + ".log")));
    }

    private void assertAllFreed(String worker, long timeoutMs) throws Exception
    {
        final String[] last = new String[1];
        final boolean freed = eventually(() ->
        {
            final String status = ClusterClient.status(cluster.headAddress(), ClusterFixture.TOKEN);
            final Map<String, Long> w = ClusterClient.nodeStats(cluster.address(worker), ClusterFixture.TOKEN, false);
            final Map<String, Long> h = ClusterClient.nodeStats(cluster.address("head"), ClusterFixture.TOKEN, false);
            last[0] = status + "\nworker " + w + "\nhead " + h;
            return number(status, "objects with known locations: (\\d+)") == 0
                && number(status, "actors: (\\d+) alive") == 0
                && number(status, "jobs: (\\d+)") == 0
                && allZero(w) && allZero(h);
        }, timeoutMs);
        assertTrue(freed, "what the driver held is still there:\n" + last[0]);
    }

    private static boolean allZero(Map<String, Long> stats)
    {
        for (String k : new String[] {"heldObjects", "actors", "jobLoaders", "lentObjects", "borrowsByPeers"})
        {
            if (stats.get(k) != 0)
            {
                return false;
            }
        }
        return true;
    }

    static long number(String text, String regex)
    {
        final Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** @return whether {@code condition} held within {@code timeoutMs} (the shared {@link Await}, as a boolean). */
    static boolean eventually(BooleanSupplier condition, long timeoutMs) throws InterruptedException
    {
        try
        {
            Await.until("condition", Duration.ofMillis(timeoutMs), condition);
            return true;
        }
        catch (ConditionTimeoutException notInTime)
        {
            return false;
        }
    }
}
