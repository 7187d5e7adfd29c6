package io.tessera;

import io.tessera.metrics.Metrics;
import io.tessera.state.NodeInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An embedded node's {@code /metrics} (TesseraConfig.metricsPort), scraped over HTTP after it ran tasks. */
@Timeout(60)
class TesseraMetricsEndpointTest
{
    private static final AtomicInteger FLAKY_CALLS = new AtomicInteger();

    @AfterEach
    void stop()
    {
        Tessera.shutdown();
    }

    static int square(int x)
    {
        Metrics.counter("endpoint_test_squares", "Squares computed.").inc();
        return x * x;
    }

    static int fail()
    {
        throw new IllegalStateException("planned failure");
    }

    static int flaky()
    {
        if (FLAKY_CALLS.incrementAndGet() == 1)
        {
            throw new IllegalStateException("first attempt fails");
        }
        return 7;
    }

    public static class Box
    {
        private int value;

        public Box(int value)
        {
            this.value = value;
        }

        public int add(int delta)
        {
            value += delta;
            return value;
        }
    }

    @Test
    void shouldCountTasksActorsAndUserMetricsAtMetrics() throws Exception
    {
        Tessera.init(TesseraConfig.builder().cpus(2).objectStoreBytes(64L << 20).metricsPort(0).build());
        final NodeInfo node = Tessera.state().nodes().getFirst();
        assertTrue(node.metricsAddress() != null && node.metricsAddress().startsWith("127.0.0.1:"), String.valueOf(node.metricsAddress()));
        final String labels = "{node=\"" + node.id() + "\"}";

        final List<ObjectRef<Integer>> squares = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            squares.add(Tessera.task(TesseraMetricsEndpointTest::square, i).remote());
        }
        for (ObjectRef<Integer> r : squares)
        {
            r.get();
        }
        assertThrows(TaskException.class,
            () -> Tessera.task(TesseraMetricsEndpointTest::fail).options(o -> o.maxRetries(0)).remote().get());
        FLAKY_CALLS.set(0);
        assertEquals(7, Tessera.task(TesseraMetricsEndpointTest::flaky).options(o -> o.retryExceptions(true)).remote().get());
        final ActorHandle<Box> box = Tessera.actor(Box::new, 1).remote();
        assertEquals(3, box.task(Box::add, 2).remote().get());

        final String body = scrape(node.metricsAddress());
        // 5 squares + flaky + the actor's constructor + its call ran to a result; fail failed; flaky's first attempt was retried
        assertEquals(9.0, value(body, "tessera_tasks_submitted_total" + labels), body);
        assertEquals(8.0, value(body, "tessera_tasks_finished_total" + labels));
        assertEquals(1.0, value(body, "tessera_tasks_failed_total" + labels));
        assertEquals(1.0, value(body, "tessera_tasks_retried_total" + labels));
        assertEquals(10.0, value(body, "tessera_task_run_seconds_count" + labels), "every attempt ran once");
        assertEquals(10.0, value(body, "tessera_task_queue_wait_seconds_count" + labels));
        assertEquals(1.0, value(body, "tessera_actors_alive" + labels));
        assertEquals(2.0, value(body, "tessera_resources_total{node=\"" + node.id() + "\",resource=\"CPU\"}"));
        assertEquals((double) node.storeBytesTotal(), value(body, "tessera_object_store_capacity_bytes" + labels));
        assertTrue(value(body, "tessera_object_store_objects" + labels) >= 0);
        final String job = TaskContext.current().jobId();
        assertEquals(5.0, value(body, "endpoint_test_squares_total{job=\"" + job + "\",node=\"" + node.id() + "\"}"), body);
        assertTrue(body.contains("jvm_memory_used_bytes"), "JVM metrics are served too");
        assertTrue(body.contains("jvm_gc_collection_seconds") || body.contains("jvm_gc"), "GC metrics are served too");
    }

    @Test
    void shouldServeNoMetricsUnlessAskedAndStopServingAtShutdown() throws Exception
    {
        Tessera.init(TesseraConfig.builder().cpus(1).objectStoreBytes(16L << 20).build());
        assertNull(Tessera.state().nodes().getFirst().metricsAddress());
        Tessera.shutdown();

        Tessera.init(TesseraConfig.builder().cpus(1).objectStoreBytes(16L << 20).metricsPort(0).build());
        final String address = Tessera.state().nodes().getFirst().metricsAddress();
        assertTrue(scrape(address).contains("tessera_tasks_finished_total"));
        Tessera.shutdown();
        assertThrows(IOException.class, () -> scrape(address), "the endpoint closes with the node");
    }

    @Test
    void shouldRejectAPortOutOfRange()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TesseraConfig.builder().metricsPort(70000));
        assertTrue(ex.getMessage().contains("metricsPort"), ex.getMessage());
    }

    private static String scrape(String address) throws IOException, InterruptedException
    {
        try (HttpClient http = HttpClient.newHttpClient())
        {
            final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return r.body();
        }
    }

    /** The value of the sample {@code nameAndLabels} (exactly as the text format writes it). */
    private static double value(String body, String nameAndLabels)
    {
        for (String line : body.split("\n"))
        {
            if (line.startsWith(nameAndLabels + " "))
            {
                return Double.parseDouble(line.substring(nameAndLabels.length() + 1).trim().split(" ")[0]);
            }
        }
        throw new AssertionError("no sample " + nameAndLabels + " in:\n" + body);
    }
}
