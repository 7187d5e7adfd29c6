package io.tessera.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.internal.cluster.LogLines;
import io.tessera.internal.cluster.LogQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's routes against a real server on 127.0.0.1 fed by {@link TestState} and a growing log. */
@Timeout(60)
class DashboardServerTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final TestState state = new TestState();
    @TempDir
    Path dir;
    private Dashboard dashboard;
    /** A growing log read through the same function type the head's {@code ClusterMember.logs} is (positions: lines read). */
    private final List<String> jobLog = new CopyOnWriteArrayList<>(List.of("(A.f pid=1 node=n1) one", "(A.f pid=1 node=n1) two"));
    private final List<LogQuery> asked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start()
    {
        dashboard = Dashboard.start(state, this::read, new Dashboard.Settings("127.0.0.1", 0, "tok", dir.resolve("sd.json"), 0, 3));
    }

    private LogLines read(LogQuery q)
    {
        asked.add(q);
        if (q.job() == null || !q.job().equals("job1"))
        {
            final String named = q.job() != null ? q.job() : q.actor() != null ? q.actor() : q.node();
            throw new IllegalArgumentException("no job, actor or node " + named);
        }
        final long from = q.after().getOrDefault("n1", -1L);
        final int size = jobLog.size();
        final int start = from >= 0 ? (int) from : Math.max(0, size - q.tail());
        return new LogLines(new ArrayList<>(jobLog.subList(start, size)), Map.of("n1", (long) size));
    }

    @AfterEach
    void stop()
    {
        dashboard.close();
        client.close();
    }

    private HttpResponse<String> get(String path) throws Exception
    {
        return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path)
    {
        return URI.create("http://127.0.0.1:" + dashboard.address().getPort() + path);
    }

    private JsonNode json(String path) throws Exception
    {
        final HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        return JSON.readTree(r.body());
    }

    @Test
    void shouldServeNodesAsRecords() throws Exception
    {
        final JsonNode nodes = json("/api/nodes");
        assertEquals(2, nodes.size());
        assertEquals("head-1", nodes.get(0).get("id").asText());
        assertTrue(nodes.get(0).get("head").asBoolean());
        assertEquals(4.0, nodes.get(0).get("resourcesTotal").get("CPU").asDouble());
        assertEquals(100, nodes.get(0).get("storeBytesUsed").asLong());
    }

    @Test
    void shouldFilterTasksByStateNameAndNodeWithALimit() throws Exception
    {
        final JsonNode failed = json("/api/tasks?state=FAILED&name=B.g&node=node-2");
        assertEquals(1, failed.get("total").asInt());
        assertEquals("IllegalStateException: boom", failed.get("items").get(0).get("error").asText());
        assertEquals(5, failed.get("dropped").asInt());
        final JsonNode limited = json("/api/tasks?limit=1&state=");
        assertEquals(1, limited.get("items").size());
        assertEquals(3, limited.get("total").asInt());
        final HttpResponse<String> bad = get("/api/tasks?colour=red");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("functionName"), bad.body());
        assertEquals(400, get("/api/tasks?limit=many").statusCode());
    }

    @Test
    void shouldAnswerOneRecordOr404() throws Exception
    {
        assertEquals("B.g", json("/api/tasks/t2").get("functionName").asText());
        assertEquals("counter", json("/api/actors/a1").get("name").asText());
        assertEquals(404, get("/api/tasks/nope").statusCode());
        assertEquals(404, get("/api/actors/nope").statusCode());
    }

    @Test
    void shouldSummarizeAndServeJobsAndObjects() throws Exception
    {
        final JsonNode s = json("/api/summary/tasks");
        assertEquals(2, s.get("counts").get("B.g").size());
        assertEquals(1, s.get("counts").get("B.g").get("FAILED").asInt());
        assertEquals(404, get("/api/summary/bogus").statusCode());
        assertEquals(1, json("/api/summary/objects").get("counts").get("A.f").get("IN_MEMORY").asInt());
        assertEquals("RUNNING", json("/api/jobs").get(0).get("state").asText());
        final JsonNode o = json("/api/objects?node=node-2").get("items");
        assertEquals(1, o.size(), "node matches any copy");
        assertEquals("A.f", o.get(0).get("callSite").asText());
        assertEquals(0, json("/api/objects?spilled=true").get("total").asInt());
        try (Dashboard noLogs = Dashboard.start(state, new Dashboard.Settings("127.0.0.1", 0, "tok", null, 0, 3)))
        {
            assertEquals(501, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + noLogs.address().getPort()
                + "/api/logs?job=job1")).build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "a dashboard without a logs API");
        }
    }

    @Test
    void shouldServeTheTimelineAsAChromeTraceDownload() throws Exception
    {
        final HttpResponse<String> r = get("/api/timeline?job=job1");
        assertTrue(r.headers().firstValue("content-disposition").orElseThrow().contains("attachment"));
        final JsonNode events = JSON.readTree(r.body()).get("traceEvents");
        assertEquals(2, events.size(), "one slice per started task of job1");
        final JsonNode t1 = events.get(0);
        assertEquals("X", t1.get("ph").asText());
        assertEquals("head-1", t1.get("pid").asText());
        assertEquals("w-0", t1.get("tid").asText());
        assertEquals(1_000_000 + 5, t1.get("ts").asLong());
        assertEquals(5_000, t1.get("dur").asLong());
    }

    @Test
    void shouldListMetricsTargetsAndWriteTheFileSdFile() throws Exception
    {
        final JsonNode sd = json("/api/prometheus/sd");
        assertEquals(2, sd.size());
        assertEquals("127.0.0.1:9100", sd.get(0).get("targets").get(0).asText());
        assertEquals("head-1", sd.get(0).get("labels").get("node").asText());
        dashboard.sample();
        assertEquals(sd, JSON.readTree(Files.readString(dir.resolve("sd.json"))));
    }

    @Test
    void shouldKeepTheLastSamplesForTheCharts() throws Exception
    {
        for (int i = 0; i < 4; i++)
        {
            state.headCpuFree = 4 - i;
            dashboard.sample();
        }
        final JsonNode h = json("/api/metrics/history");
        assertEquals(3, h.get("t").size(), "capacity 3: the oldest sample is gone");
        final JsonNode cpu = h.get("nodes").get("head-1").get("cpu");
        assertEquals(0.25, cpu.get(0).asDouble());
        assertEquals(0.75, cpu.get(2).asDouble());
        assertTrue(h.get("nodes").get("node-2").get("gpu").get(0).isNull(), "node-2 has no GPU");
        for (int i = 0; i < 3; i++)
        {
            assertEquals(0.0, h.get("nodes").get("node-2").get("cpu").get(i).asDouble(-1), "every node in every sample: " + h);
        }
        assertEquals(0.1, h.get("nodes").get("head-1").get("store").get(0).asDouble());
    }

    @Test
    void shouldServePagesWithAPolicyAndRefuseTraversal() throws Exception
    {
        final HttpResponse<String> index = get("/");
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("id=\"chart\""));
        assertTrue(index.headers().firstValue("content-security-policy").orElseThrow().contains("default-src 'self'"));
        assertEquals("text/javascript; charset=utf-8", get("/app.js").headers().firstValue("content-type").orElseThrow());
        assertTrue(get("/vendor/uplot/LICENSE").body().contains("MIT"));
        assertEquals(404, get("/nothing.html").statusCode());
        assertEquals(400, get("/vendor/..%2F..%2Fio/tessera/dashboard/Dashboard.class").statusCode());
        assertEquals(405, client.send(HttpRequest.newBuilder(uri("/api/nodes")).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void shouldPushTheOverviewToAnEventStream() throws Exception
    {
        final HttpResponse<Stream<String>> r = client.send(HttpRequest.newBuilder(uri("/api/events")).build(),
            HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        while (dashboard.openStreams() == 0)
        {
            Thread.onSpinWait();
        }
        dashboard.sample();
        final Iterator<String> lines = r.body().iterator();
        assertEquals("event: overview", lines.next());
        final String data = lines.next();
        assertTrue(data.startsWith("data: "), data);
        final JsonNode overview = JSON.readTree(data.substring(6));
        assertEquals(2, overview.get("nodes").size());
        assertEquals(0.25, overview.get("sample").get("nodes").get("head-1").get("cpu").asDouble());
        r.body().close();
    }

    @Test
    void shouldAnswerTheTailOfAJobsLogAndRefuseBadQueries() throws Exception
    {
        final HttpResponse<String> r = get("/api/logs?job=job1&tail=1");
        assertEquals(200, r.statusCode(), r.body());
        final JsonNode body = JSON.readTree(r.body());
        assertEquals(List.of("(A.f pid=1 node=n1) two"), JSON.convertValue(body.get("lines"), List.class));
        assertEquals(2, body.get("positions").get("n1").asLong());
        final HttpResponse<String> unknown = get("/api/logs?job=nope");
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("no job, actor or node nope"), unknown.body());
        final int before = asked.size();
        final HttpResponse<String> none = get("/api/logs");
        assertEquals(400, none.statusCode());
        assertTrue(none.body().contains("exactly one of a job, an actor or a node"), none.body());
        assertEquals(400, get("/api/logs?job=job1&actor=a1").statusCode());
        assertEquals(400, get("/api/logs?job=job1&tail=lots").statusCode());
        assertEquals(before, asked.size(), "a malformed query never reaches the logs API");
    }

    @Test
    void shouldFollowAJobsLogLive() throws Exception
    {
        final HttpResponse<Stream<String>> r = client.send(HttpRequest.newBuilder(uri("/api/logs/stream?job=job1")).build(),
            HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        final Iterator<String> lines = r.body().iterator();
        assertEquals("event: lines", lines.next());
        assertEquals("data: [\"(A.f pid=1 node=n1) one\",\"(A.f pid=1 node=n1) two\"]", lines.next());
        jobLog.add("(A.f pid=1 node=n1) three");
        assertEquals("", lines.next());
        assertEquals("event: lines", lines.next());
        assertEquals("data: [\"(A.f pid=1 node=n1) three\"]", lines.next(), "only what was written since");
        assertTrue(asked.stream().anyMatch(q -> q.after().equals(Map.of("n1", 2L))), "asked from where the last answer ended: " + asked);
        r.body().close();
    }
}
