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

/** What a driver held on the nodes goes when its job ends: held objects, actors, borrows, its class loader. */
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

    private void runDriver(String name, String mode, int job) throws Exception
    {
        final Process p = cluster.startDriver(name, SoakDriver.class, cluster.headAddress(), mode, String.valueOf(job));
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
