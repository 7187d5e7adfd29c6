package io.tessera.nativetests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jobs across a head restart (the head killed, started again on the same ports and home): what
 * the journal says comes back, a driver that outlived the head is supervised again by its pid, and
 * one that died while the head was away is FAILED with that reason.
 */
@Timeout(300)
class ClusterJobsRecoveryTest
{
    private ClusterFixture cluster;
    private String url;

    @AfterEach
    void tearDown() throws Exception
    {
        if (cluster != null)
        {
            ClusterJobsTest.killDrivers(url);
            cluster.close();
        }
    }

    @Test
    void shouldAnswerAfterAHeadRestartAndKeepSupervisingASurvivingDriver() throws Exception
    {
        cluster = new ClusterFixture("jobs-restart");
        cluster.dashboard = true;
        final int port = ClusterFaultTest.freePort();
        final String dashboardPort = String.valueOf(ClusterFaultTest.freePort());
        cluster.startHead(port, "--cpus", "1", "--dashboard-port", dashboardPort);
        cluster.startWorker("w1", "--cpus", "2");
        url = "http://127.0.0.1:" + dashboardPort + "/";
        final String cp = ClusterJobsTest.testClasses();

        assertEquals(0, cluster.tessera("job", "submit", "--submission-id", "done-1", "--", cp, JobApp.class.getName(), "ok").exit());
        for (String id : new String[] {"survives-1", "dies-1"})
        {
            assertEquals(0, cluster.tessera("job", "submit", "--no-wait", "--submission-id", id, "--", cp, JobApp.class.getName(),
                "long", id + "-actor").exit());
            Await.await("job " + id + " to run its actor", Duration.ofSeconds(90)).until(() ->
                ClusterJobsTest.http(url, "GET", "/api/jobs/" + id + "/logs", null).body().contains("long job ready"));
        }
        final long survivor = ClusterJobsTest.job(url, "survives-1").get("driverPid").asLong();
        final long casualty = ClusterJobsTest.job(url, "dies-1").get("driverPid").asLong();

        cluster.head.destroyForcibly().waitFor();
        assertTrue(ProcessHandle.of(survivor).map(ProcessHandle::isAlive).orElse(false), "a driver outlives its head");
        ProcessHandle.of(casualty).orElseThrow().destroyForcibly();
        ProcessHandle.of(casualty).ifPresent(h -> h.onExit().join());
        cluster.startHead(port, "--cpus", "1", "--dashboard-port", dashboardPort);

        final ClusterFixture.CliResult done = cluster.tessera("job", "status", "done-1");
        assertEquals(0, done.exit(), done.output());
        assertTrue(done.output().contains("job done-1: SUCCEEDED"), done.output());
        final JsonNode dies = ClusterJobsTest.job(url, "dies-1");
        assertEquals("FAILED", dies.get("status").asText(), dies.toString());
        assertTrue(dies.get("message").asText().contains("ended while the head was away"), dies.toString());
        final JsonNode survives = ClusterJobsTest.job(url, "survives-1");
        assertEquals("RUNNING", survives.get("status").asText(), survives.toString());
        assertEquals(survivor, survives.get("driverPid").asLong());

        final ClusterFixture.CliResult stop = cluster.tessera("job", "stop", "survives-1");
        assertEquals(0, stop.exit(), stop.output());
        assertTrue(stop.output().contains("job survives-1: STOPPED"), stop.output());
        assertFalse(ProcessHandle.of(survivor).map(ProcessHandle::isAlive).orElse(false), "the adopted driver is gone");
    }
}
