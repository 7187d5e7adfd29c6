package io.tessera.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.dashboard.jobs.JobDetails;
import io.tessera.dashboard.jobs.JobSupervisor;
import io.tessera.internal.cluster.HeadJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The jobs API over HTTP with a real supervisor (drivers are real JVMs) on a head journal kept in
 * memory: bad input, the access rule off loopback, and the journal read back by a new supervisor.
 */
@Timeout(120)
class JobRoutesTest
{
    private static final String TOKEN = "cluster-token-7";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The head's journal as the supervisor sees it, in memory; records the jobs it was told to end. */
    static final class Journal implements HeadJobs
    {
        final Map<String, String> records = new ConcurrentHashMap<>();
        final List<String> ended = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Map<String, String> records()
        {
            return Map.copyOf(records);
        }

        @Override
        public void record(String submissionId, String record)
        {
            if (record == null)
            {
                records.remove(submissionId);
            }
            else
            {
                records.put(submissionId, record);
            }
        }

        @Override
        public void endJob(String jobId, String why)
        {
            ended.add(jobId);
        }
    }

    @TempDir
    Path logs;
    private final Journal journal = new Journal();
    private final HttpClient client = HttpClient.newHttpClient();
    private JobSupervisor jobs;
    private Dashboard dashboard;
    private String base;

    @AfterEach
    void stop()
    {
        if (dashboard != null)
        {
            dashboard.close();
        }
        if (jobs != null)
        {
            jobs.close();
        }
        client.close();
    }

    private void start(String host)
    {
        jobs = new JobSupervisor(journal, logs, "127.0.0.1:1", TOKEN);
        dashboard = Dashboard.start(new TestState(), null, new Dashboard.Settings(host, 0, TOKEN, null, 0, 10), jobs);
        base = "http://" + host + ":" + dashboard.address().getPort();
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization) throws Exception
    {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null)
        {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String missingMain(String id)
    {
        return "{\"submissionId\": \"" + id + "\", \"classPath\": [\"" + Path.of("target", "test-classes").toAbsolutePath()
            + "\"], \"mainClass\": \"com.example.Missing\"}";
    }

    private JsonNode awaitEnded(String id, String authorization) throws Exception
    {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            final JsonNode j = JSON.readTree(send("GET", "/api/jobs/" + id, null, authorization).body());
            if (j.get("status").asText().equals("FAILED") || j.get("status").asText().equals("SUCCEEDED"))
            {
                return j;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " did not end");
    }

    @Test
    void shouldAnswerBadInputWithAShortMessage() throws Exception
    {
        start("127.0.0.1");
        final String bearer = "Bearer " + TOKEN;
        final HttpResponse<String> malformed = send("POST", "/api/jobs", "[1, 2", bearer);
        assertEquals(400, malformed.statusCode());
        assertTrue(JSON.readTree(malformed.body()).get("error").asText().startsWith("malformed JSON"), malformed.body());
        assertEquals(400, send("POST", "/api/jobs", "", bearer).statusCode());
        final HttpResponse<String> noEntry = send("POST", "/api/jobs",
            "{\"classPath\": [\"/no/such/jar.jar\"], \"mainClass\": \"a.B\"}", bearer);
        assertEquals(400, noEntry.statusCode());
        assertTrue(noEntry.body().contains("no such class path entry on the head: /no/such/jar.jar"), noEntry.body());
        assertEquals(400, send("POST", "/api/jobs", missingMain("bad id!"), bearer).statusCode());
        assertEquals(404, send("GET", "/api/jobs/nope", null, null).statusCode());
        assertEquals(404, send("DELETE", "/api/jobs/nope", null, bearer).statusCode());
        assertEquals(Map.of(), journal.records(), "bad input journals nothing");
    }

    @Test
    void shouldNeedTheTokenToSubmitStopOrDeleteEvenFromLoopback() throws Exception
    {
        start("127.0.0.1");
        final HttpResponse<String> refused = send("POST", "/api/jobs", missingMain("l-1"), null);
        assertEquals(401, refused.statusCode(), refused.body());
        assertEquals(401, send("POST", "/api/jobs/l-1/stop", null, null).statusCode());
        assertEquals(401, send("DELETE", "/api/jobs/l-1", null, "Bearer wrong").statusCode());
        assertEquals(Map.of(), journal.records(), "a refused submission journaled something");
        assertEquals(List.of(), jobs.list());
        assertEquals(200, send("GET", "/api/jobs", null, null).statusCode(), "reading needs no token from loopback");
    }

    @Test
    void shouldFailAMissingMainClassAndReadTheJournalBack() throws Exception
    {
        start("127.0.0.1");
        assertEquals(200, send("POST", "/api/jobs", missingMain("m-1"), "Bearer " + TOKEN).statusCode());
        final JsonNode failed = awaitEnded("m-1", null);
        assertEquals("FAILED", failed.get("status").asText());
        assertTrue(failed.get("message").asText().contains("no class com.example.Missing"), failed.toString());
        assertEquals(400, send("POST", "/api/jobs", missingMain("m-1"), "Bearer " + TOKEN).statusCode(), "the id is taken");
        assertEquals(List.of(failed.get("jobId").asText()), journal.ended, "the head ends the driver's job");

        final JobSupervisor again = new JobSupervisor(journal, logs, "127.0.0.1:1", TOKEN);
        final JobDetails recovered = again.get("m-1").orElseThrow();
        assertEquals(JobDetails.Status.FAILED, recovered.status());
        assertEquals(failed.get("message").asText(), recovered.message());
        again.close();
    }

    @Test
    void shouldAnswer401AndChangeNothingOffLoopbackWithoutTheToken() throws Exception
    {
        final Optional<InetAddress> address = RemoteAccessTest.nonLoopback();
        assumeTrue(address.isPresent(), "this machine has no non-loopback IPv4 address to listen on");
        start(address.get().getHostAddress());
        final String bearer = "Bearer " + TOKEN;
        assertEquals(200, send("POST", "/api/jobs", missingMain("t-1"), bearer).statusCode());
        awaitEnded("t-1", bearer);
        final Map<String, String> before = journal.records();

        assertEquals(401, send("POST", "/api/jobs", missingMain("t-2"), null).statusCode());
        assertEquals(401, send("DELETE", "/api/jobs/t-1", null, "Bearer wrong").statusCode());
        assertEquals(401, send("POST", "/api/jobs/t-1/stop", null, null).statusCode());
        assertEquals(401, send("GET", "/api/jobs/t-1/logs", null, null).statusCode());
        assertEquals(before, journal.records(), "a refused request changed the journal");
        assertEquals(List.of("t-1"), jobs.list().stream().map(JobDetails::submissionId).toList());
        assertEquals(200, send("DELETE", "/api/jobs/t-1", null, bearer).statusCode());
        assertEquals(Map.of(), journal.records());
    }
}
