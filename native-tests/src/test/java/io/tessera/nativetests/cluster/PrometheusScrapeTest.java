package io.tessera.nativetests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.ObjectRef;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import io.tessera.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cluster's metrics as a real Prometheus sees them: a head (with the dashboard, whose HTTP service
 * discovery lists every node's {@code /metrics}) and two workers, Debian's {@code prometheus} scraping
 * them every second. A job finishes N tasks that add to a user counter; Prometheus's HTTP API must
 * then answer N for the finished tasks and the sum for the user counter. Skips, saying why, without
 * the {@code prometheus} binary (bin/install-test-deps installs it).
 */
@Timeout(240)
class PrometheusScrapeTest
{
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final int TASKS = 40;
    private static final int ADD_PER_TASK = 3;

    private ClusterFixture cluster;
    private Process prometheus;
    private Path promDir;

    @AfterEach
    void tearDown() throws Exception
    {
        Tessera.shutdown();
        if (prometheus != null)
        {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS))
            {
                prometheus.destroyForcibly().waitFor();
            }
        }
        if (cluster != null)
        {
            cluster.close();
        }
        if (promDir != null)
        {
            try (var files = Files.walk(promDir))
            {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void shouldCountTheJobsTasksAndUserCounterInPrometheus() throws Exception
    {
        assumeTrue(Files.isExecutable(PROMETHEUS), PROMETHEUS + " is missing: run bin/install-test-deps (Debian's prometheus)");
        cluster = ClusterFixture.headAndTwoWorkersWithDashboard("prometheus");
        final String dashboard = cluster.dashboardUrl();
        final ObjectMapper json = new ObjectMapper();
        try (HttpClient http = HttpClient.newHttpClient())
        {
            Await.until("the head's service discovery to list the 3 nodes' /metrics", Duration.ofSeconds(60),
                () -> targets(http, json, dashboard + "api/prometheus/sd") == 3);

            final int port = freePort();
            prometheus = startPrometheus(dashboard + "api/prometheus/sd", port);
            final String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";
            Await.until("Prometheus to scrape the 3 nodes; log: " + cluster.logs.resolve("prometheus.log"), Duration.ofSeconds(90),
                () -> "3".equals(scalar(http, json, api, "count(up == 1)")));

            Tessera.init(TesseraConfig.builder().address(cluster.headAddress()).token(ClusterFixture.TOKEN).build());
            final List<ObjectRef<Long>> refs = new ArrayList<>();
            for (int i = 0; i < TASKS; i++)
            {
                refs.add(Tessera.task(Jobs::countedPlusOne, (long) i, ADD_PER_TASK).remote());
            }
            for (int i = 0; i < TASKS; i++)
            {
                assertEquals(i + 1L, refs.get(i).get());
            }

            Await.until("Prometheus to see " + TASKS + " finished tasks", Duration.ofSeconds(60),
                () -> String.valueOf(TASKS).equals(scalar(http, json, api, "sum(tessera_tasks_finished_total)")));
            Await.until("Prometheus to see the user counter at " + TASKS * ADD_PER_TASK, Duration.ofSeconds(60),
                () -> String.valueOf(TASKS * ADD_PER_TASK).equals(scalar(http, json, api, "sum(native_test_increments_total)")));
            assertEquals("0", scalar(http, json, api, "sum(tessera_tasks_failed_total)"));
            assertEquals("3", scalar(http, json, api, "max(tessera_cluster_nodes{state=\"alive\"})"), "the head's liveness gauge");
            assertEquals("3", scalar(http, json, api, "count(count by (node) (tessera_object_store_capacity_bytes))"));
        }
    }

    private Process startPrometheus(String sdUrl, int port) throws Exception
    {
        promDir = Files.createTempDirectory("tessera-prometheus");
        final Path config = promDir.resolve("prometheus.yml");
        Files.writeString(config, """
            global:
              scrape_interval: 1s
              scrape_timeout: 900ms
              evaluation_interval: 1s
            scrape_configs:
              - job_name: tessera
                honor_labels: true
                http_sd_configs:
                  - url: %s
                    refresh_interval: 1s
            """.formatted(sdUrl));
        return new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config, "--storage.tsdb.path=" + promDir.resolve("data"),
            "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(cluster.logs.resolve("prometheus.log").toFile()))
            .start();
    }

    /** The value of an instant query whose result is one sample, as Prometheus writes it; null when it has none (yet). */
    private String scalar(HttpClient http, ObjectMapper json, String api, String query)
    {
        try
        {
            final JsonNode r = json.readTree(get(http, api + URLEncoder.encode(query, StandardCharsets.UTF_8)));
            final JsonNode result = r.path("data").path("result");
            return result.size() == 1 ? result.get(0).path("value").get(1).asText() : null;
        }
        catch (Exception notUpYet)
        {
            return null;
        }
    }

    /** The number of target groups the service discovery at {@code url} lists; -1 when it does not answer. */
    private static int targets(HttpClient http, ObjectMapper json, String url)
    {
        try
        {
            return json.readTree(get(http, url)).size();
        }
        catch (Exception notYet)
        {
            return -1;
        }
    }

    private static String get(HttpClient http, String url) throws Exception
    {
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200)
        {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static int freePort() throws Exception
    {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }
}
