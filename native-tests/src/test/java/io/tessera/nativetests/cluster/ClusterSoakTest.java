package io.tessera.nativetests.cluster;

import io.tessera.internal.cluster.ClusterClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Short driver jobs in a row (each its own JVM: puts, tasks with results held on the nodes, actors,
 * borrows) against a head and two workers: after every job the nodes hold nothing for it, and after
 * the last one their heap, open files, threads, store and spill are back at their level after the
 * first job, within the margins below. {@code -Dtessera.soak.jobs=N} sets the number of jobs
 * (default 8; the {@code soak} Maven profile runs 200). The numbers go to target/soak-results.txt.
 */
class ClusterSoakTest
{
    private static final int JOBS = Integer.getInteger("tessera.soak.jobs", 8);
    /** Allowed growth from after job 1 to after the last job. */
    private static final Map<String, Long> MARGIN = Map.of(
        "heapUsedBytes", 24L << 20,
        "openFiles", 8L,
        "threads", 4L,
        "storeUsedBytes", 0L,
        "storeObjects", 0L,
        "spillBytes", 0L,
        "jobLoaders", 0L);
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
    void shouldReturnNodesToTheirLevelAfterManyDriverJobs()
    {
        assertTimeoutPreemptively(Duration.ofSeconds(120 + 40L * JOBS), this::soak);
    }

    private void soak() throws Exception
    {
        cluster = new ClusterFixture("soak");
        cluster.startHead(0, "--cpus", "1");
        cluster.startWorker("w1", "--cpus", "2");
        cluster.startWorker("w2", "--cpus", "2");
        final List<String> nodes = List.of("head", "w1", "w2");
        final Map<String, Map<String, Long>> first = new LinkedHashMap<>();
        final Map<String, Map<String, Long>> last = new LinkedHashMap<>();
        final List<String> lines = new ArrayList<>();
        for (int job = 1; job <= JOBS; job++)
        {
            final String name = "driver-" + job;
            final Process p = cluster.startDriver(name, SoakDriver.class, cluster.headAddress(), "exit", String.valueOf(job));
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), name + " did not finish");
            assertEquals(0, p.exitValue(), Files.readString(cluster.logs.resolve(name + ".log")));
            for (String n : nodes)
            {
                final String at = cluster.address(n);
                final boolean released = ClusterLifeTest.eventually(() ->
                {
                    final Map<String, Long> s = ClusterClient.nodeStats(at, ClusterFixture.TOKEN, false);
                    return s.get("heldObjects") == 0 && s.get("actors") == 0 && s.get("jobLoaders") == 0
                        && s.get("lentObjects") == 0 && s.get("borrowsByPeers") == 0;
                }, 20_000);
                final Map<String, Long> s = ClusterClient.nodeStats(at, ClusterFixture.TOKEN, true);
                assertTrue(released, "after job " + job + " node " + n + " still holds something for it: " + s);
                lines.add("job " + job + " " + n + " " + s);
                if (job == 1)
                {
                    first.put(n, s);
                }
                last.put(n, s);
            }
        }
        final StringBuilder report = new StringBuilder("soak: " + JOBS + " jobs, head + 2 workers\n");
        for (String n : nodes)
        {
            report.append(n).append(" after job 1: ").append(first.get(n)).append('\n');
            report.append(n).append(" after job ").append(JOBS).append(": ").append(last.get(n)).append('\n');
        }
        report.append("every job:\n");
        lines.forEach(l -> report.append(l).append('\n'));
        Files.writeString(Path.of("target", "soak-results.txt"), report);
        System.out.print(report);
        for (String n : nodes)
        {
            for (Map.Entry<String, Long> m : MARGIN.entrySet())
            {
                final long before = first.get(n).get(m.getKey());
                final long after = last.get(n).get(m.getKey());
                assertTrue(after <= before + m.getValue(), n + "'s " + m.getKey() + " grew from " + before + " after job 1 to "
                    + after + " after job " + JOBS + " (margin " + m.getValue() + ")\n" + report);
            }
        }
    }
}
