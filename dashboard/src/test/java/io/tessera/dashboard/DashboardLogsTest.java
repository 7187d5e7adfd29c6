package io.tessera.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.internal.cluster.LogLines;
import io.tessera.internal.cluster.LogQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The logs routes against a real server on 127.0.0.1, reading a growing log through the same function type the
 * head's {@code ClusterMember.logs} is: its position is the number of lines read, as the head's positions are offsets.
 */
@Timeout(60)
class DashboardLogsTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<String> jobLog = new CopyOnWriteArrayList<>(List.of("(A.f pid=1 node=n1) one", "(A.f pid=1 node=n1) two"));
    private final List<LogQuery> asked = new CopyOnWriteArrayList<>();
    private Dashboard dashboard;

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

    @BeforeEach
    void start()
    {
        dashboard = Dashboard.start(new TestState(), this::read, new Dashboard.Settings("127.0.0.1", 0, "tok", null, 0, 3));
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
