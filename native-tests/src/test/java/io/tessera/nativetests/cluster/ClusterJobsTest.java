package io.tessera.nativetests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jobs API on a real cluster (a head with its dashboard and a worker, on 127.0.0.1): drivers
 * submitted with {@code tessera job submit} run as the head's children, on a class path given by
 * the submission (the test classes, which the nodes do not have), and are followed to their end.
 */
@Timeout(300)
class ClusterJobsTest
{
    static final ObjectMapper JSON = new ObjectMapper();
    static ClusterFixture cluster;
    static String url;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startCluster() throws Exception
    {
        cluster = new ClusterFixture("jobs");
        cluster.dashboard = true;
        cluster.startHead(0, "--cpus", "1", "--dashboard-port", "0");
        cluster.startWorker("w1", "--cpus", "2");
        url = cluster.dashboardUrl();
    }

    @AfterAll
    static void stopCluster() throws Exception
    {
        killDrivers(url);
        cluster.close();
    }

    /** The test classes: the job's class path (the nodes' class path lacks them). */
    static String testClasses() throws Exception
    {
        return Path.of(JobApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** A request with the cluster token (submitting, stopping and deleting need it from loopback too). */
    static HttpResponse<String> http(String base, String method, String path, String body) throws Exception
    {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path.substring(1)))
            .header("Authorization", "Bearer " + ClusterFixture.TOKEN)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode job(String base, String id) throws Exception
    {
        final HttpResponse<String> r = http(base, "GET", "/api/jobs/" + id, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static JsonNode awaitStatus(String base, String id, String status) throws Exception
    {
        Await.await("job " + id + " to be " + status, Duration.ofSeconds(90))
            .until(() -> job(base, id).get("status").asText().equals(status));
        return job(base, id);
    }

    /** Drivers outlive their head: the test kills those still running. */
    static void killDrivers(String base)
    {
        try
        {
            for (JsonNode j : JSON.readTree(http(base, "GET", "/api/jobs", null).body()))
            {
                if (j.get("driverPid").asLong() > 0)
                {
                    ProcessHandle.of(j.get("driverPid").asLong()).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        catch (Exception headGone)
        {
            // nothing more to find
        }
    }

    @Test
    void shouldRunASubmittedDriverToSuccessAndKeepItsOutput() throws Exception
    {
        final Path cwd = Files.createTempDirectory("job-cwd");
        final ClusterFixture.CliResult submit = cluster.tessera("job", "submit", "--submission-id", "ok-1", "--env", "GREETING=hello",
            "--working-dir", cwd.toString(), "--", testClasses(), JobApp.class.getName(), "ok");
        assertEquals(0, submit.exit(), submit.output());
        assertTrue(submit.output().contains("job app: task 42, actor 15, greeting hello, cwd " + cwd.toRealPath()), submit.output());
        assertTrue(submit.output().contains("job ok-1 SUCCEEDED"), submit.output());

        final JsonNode j = job(url, "ok-1");
        assertEquals("SUCCEEDED", j.get("status").asText());
        assertEquals(0, j.get("exitCode").asInt());
        assertTrue(j.get("driverPid").asLong() > 0);
        assertTrue(j.get("endTimeMs").asLong() >= j.get("startTimeMs").asLong());

        final ClusterFixture.CliResult status = cluster.tessera("job", "status", "--address", url, "ok-1");
        assertEquals(0, status.exit(), status.output());
        assertTrue(status.output().contains("job ok-1: SUCCEEDED"), status.output());
        final ClusterFixture.CliResult logs = cluster.tessera("job", "logs", "ok-1");
        assertTrue(logs.output().contains("job app: task 42, actor 15"), logs.output());
        final ClusterFixture.CliResult list = cluster.tessera("job", "list");
        assertTrue(list.output().lines().anyMatch(l -> l.startsWith("ok-1 ") && l.contains("SUCCEEDED")), list.output());
        // the driver's job is one of the cluster's jobs, and ended
        final JsonNode listed = JSON.readTree(http(url, "GET", "/api/jobs", null).body());
        int driverRows = 0;
        for (JsonNode row : listed)
        {
            driverRows += row.get("jobId").asText().equals(j.get("jobId").asText()) ? 1 : 0;
        }
        assertEquals(1, driverRows, "the submitted driver's job is listed once: " + listed);

        final ClusterFixture.CliResult deleted = cluster.tessera("job", "delete", "ok-1");
        assertEquals(0, deleted.exit(), deleted.output());
        assertEquals(404, http(url, "GET", "/api/jobs/ok-1", null).statusCode());
    }

    @Test
    void shouldFailAJobWhoseMainThrowsOrIsMissing() throws Exception
    {
        final ClusterFixture.CliResult failing = cluster.tessera("job", "submit", "--submission-id", "fail-1", "--",
            testClasses(), JobApp.class.getName(), "fail");
        assertEquals(1, failing.exit(), failing.output());
        assertTrue(failing.output().contains("job app about to fail"), failing.output());
        final JsonNode f = job(url, "fail-1");
        assertEquals("FAILED", f.get("status").asText());
        assertEquals(1, f.get("exitCode").asInt());
        assertTrue(f.get("message").asText().contains("job app failed on purpose"), f.toString());

        final ClusterFixture.CliResult missing = cluster.tessera("job", "submit", "--no-wait", "--submission-id", "missing-1", "--",
            testClasses(), "com.example.NoSuchMain");
        assertEquals(0, missing.exit(), missing.output());
        final JsonNode m = awaitStatus(url, "missing-1", "FAILED");
        assertTrue(m.get("message").asText().contains("no class com.example.NoSuchMain on the job's class path"), m.toString());
        final ClusterFixture.CliResult status = cluster.tessera("job", "status", "missing-1");
        assertTrue(status.output().contains("FAILED") && status.output().contains("no class com.example.NoSuchMain"), status.output());
    }

    @Test
    void shouldAnswerBadInputWithAClearError() throws Exception
    {
        final HttpResponse<String> malformed = http(url, "POST", "/api/jobs", "{\"mainClass\": ");
        assertEquals(400, malformed.statusCode(), malformed.body());
        assertTrue(malformed.body().contains("malformed JSON"), malformed.body());
        final HttpResponse<String> unknownField = http(url, "POST", "/api/jobs", "{\"mainclass\": \"x\"}");
        assertEquals(400, unknownField.statusCode(), unknownField.body());
        final HttpResponse<String> noClassPath = http(url, "POST", "/api/jobs", "{\"mainClass\": \"x.Y\"}");
        assertEquals(400, noClassPath.statusCode(), noClassPath.body());
        assertTrue(noClassPath.body().contains("classPath is missing"), noClassPath.body());
        assertEquals(404, http(url, "GET", "/api/jobs/nope", null).statusCode());
        assertEquals(404, http(url, "POST", "/api/jobs/nope/stop", null).statusCode());
        assertEquals(404, http(url, "GET", "/api/jobs/nope/logs", null).statusCode());

        final ClusterFixture.CliResult status = cluster.tessera("job", "status", "nope");
        assertEquals(1, status.exit(), status.output());
        assertEquals("tessera job status: no job nope", status.output().strip());
        final ClusterFixture.CliResult badEnv = cluster.tessera("job", "submit", "--env", "NOEQUALS", "--", testClasses(), "x.Y");
        assertEquals(2, badEnv.exit(), badEnv.output());
    }

    @Test
    void shouldStopALongRunningJobAndTheActorsItOwned() throws Exception
    {
        final ClusterFixture.CliResult submit = cluster.tessera("job", "submit", "--no-wait", "--submission-id", "long-1", "--",
            testClasses(), JobApp.class.getName(), "long", "long-1-actor");
        assertEquals(0, submit.exit(), submit.output());
        Await.await("the long job's actor", Duration.ofSeconds(90))
            .until(() -> http(url, "GET", "/api/jobs/long-1/logs", null).body().contains("long job ready: 1"));
        assertTrue(actorAlive("long-1-actor"), "the job's actor runs");
        final JsonNode running = job(url, "long-1");
        assertEquals("RUNNING", running.get("status").asText());
        assertEquals(409, http(url, "DELETE", "/api/jobs/long-1", null).statusCode(), "a running job is not deleted");

        final ClusterFixture.CliResult stop = cluster.tessera("job", "stop", "long-1");
        assertEquals(0, stop.exit(), stop.output());
        assertTrue(stop.output().contains("job long-1: STOPPED"), stop.output());
        final long pid = running.get("driverPid").asLong();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the driver is gone");
        Await.await("the stopped job's actor to be gone", Duration.ofSeconds(30)).until(() -> !actorAlive("long-1-actor"));
    }

    /** Whether the state API lists an ALIVE actor named {@code name}. */
    static boolean actorAlive(String name) throws Exception
    {
        final JsonNode actors = JSON.readTree(http(url, "GET", "/api/actors?name=" + name, null).body());
        for (JsonNode a : actors.get("items"))
        {
            if (a.get("state").asText().equals("ALIVE"))
            {
                return true;
            }
        }
        return false;
    }

    @Test
    void shouldListTheJobCommandsInTheHelp() throws Exception
    {
        final ClusterFixture.CliResult help = cluster.tessera("--help");
        assertTrue(help.output().lines().anyMatch(l -> l.strip().startsWith("job ")), help.output());
        final ClusterFixture.CliResult job = cluster.tessera("job", "--help");
        assertEquals(0, job.exit(), job.output());
        for (String command : new String[] {"submit", "status", "logs", "stop", "list", "delete"})
        {
            assertTrue(job.output().lines().anyMatch(l -> l.strip().startsWith(command + " ")), command + ": " + job.output());
        }
    }

    @Test
    void shouldStreamTheLogsOfARunningJobUntilItEnds() throws Exception
    {
        final HttpResponse<String> r = http(url, "POST", "/api/jobs", JSON.writeValueAsString(Map.of("submissionId", "tail-1",
            "classPath", java.util.List.of(testClasses()), "mainClass", JobApp.class.getName(), "args", java.util.List.of("ok"))));
        assertEquals(200, r.statusCode(), r.body());
        final ClusterFixture.CliResult follow = cluster.tessera("job", "logs", "--follow", "tail-1");
        assertEquals(0, follow.exit(), follow.output());
        assertTrue(follow.output().contains("job app: task 42"), follow.output());
        assertTrue(follow.output().contains("job tail-1 SUCCEEDED"), follow.output());
    }
}
