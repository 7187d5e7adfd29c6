package io.tessera.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tessera.TaskContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricTableTest
{
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final MetricTable table = new MetricTable(registry);

    private MetricSnapshot scraped(String name)
    {
        return registry.scrape().stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    private static Labels labels(String... tagNamesAndValues)
    {
        final String[] all = java.util.Arrays.copyOf(tagNamesAndValues, tagNamesAndValues.length + 4);
        all[tagNamesAndValues.length] = "node";
        all[tagNamesAndValues.length + 1] = TaskContext.current().nodeId();
        all[tagNamesAndValues.length + 2] = "job";
        all[tagNamesAndValues.length + 3] = TaskContext.current().jobId();
        return Labels.of(all);
    }

    @Test
    void shouldCountPerTagValueWithNodeAndJobLabels()
    {
        final Counter c = table.counter("requests_served", "Requests served.", "route");
        c.inc(2, "/a");
        c.inc(1, "/a");
        c.inc(5, "/b");
        final CounterSnapshot s = (CounterSnapshot) scraped("requests_served");
        assertEquals(3.0, s.getDataPoints().stream().filter(d -> d.getLabels().equals(labels("route", "/a")))
            .findFirst().orElseThrow().getValue());
        assertEquals(5.0, s.getDataPoints().stream().filter(d -> d.getLabels().equals(labels("route", "/b")))
            .findFirst().orElseThrow().getValue());
    }

    @Test
    void shouldReturnTheSameMetricWhenRegisteredAgainAlike()
    {
        final Counter first = table.counter("jobs_done", "Jobs done.");
        final Counter again = table.counter("jobs_done", "another description is not a clash");
        assertSame(first, again);
        first.inc();
        again.inc();
        assertEquals(2.0, ((CounterSnapshot) scraped("jobs_done")).getDataPoints().getFirst().getValue());
        final Histogram h = table.histogram("wait_seconds", "Waits.", new double[] {0.1, 1});
        assertSame(h, table.histogram("wait_seconds", "Waits.", new double[] {0.1, 1}));
    }

    @Test
    void shouldRejectAClashOfTypeTagsOrBoundaries()
    {
        table.counter("clashing", "A counter.", "a");
        final IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> table.gauge("clashing", "G.", "a"));
        assertTrue(type.getMessage().contains("already registered as a counter"), type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> table.counter("clashing", "A counter.", "b"));
        table.histogram("h_seconds", "H.", new double[] {1, 2});
        assertThrows(IllegalArgumentException.class, () -> table.histogram("h_seconds", "H.", new double[] {1, 3}));
    }

    @Test
    void shouldRejectInvalidNamesTagsAndValues()
    {
        assertThrows(IllegalArgumentException.class, () -> table.counter("1bad", "x"));
        assertThrows(IllegalArgumentException.class, () -> table.counter("has-dash", "x"));
        assertThrows(IllegalArgumentException.class, () -> table.counter("ok_name", "x", "bad-tag"));
        final IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class, () -> table.gauge("g", "x", "node"));
        assertTrue(reserved.getMessage().contains("reserved"), reserved.getMessage());
        assertThrows(IllegalArgumentException.class, () -> table.gauge("g2", "x", "a", "a"));
        assertThrows(IllegalArgumentException.class, () -> table.histogram("h", "x", new double[] {2, 1}));
        assertThrows(IllegalArgumentException.class, () -> table.histogram("h", "x", new double[0]));
        final Counter c = table.counter("tagged_total", "x", "k");
        assertThrows(IllegalArgumentException.class, c::inc);
        assertThrows(IllegalArgumentException.class, () -> c.inc(-1, "v"));
        assertThrows(IllegalArgumentException.class, () -> c.inc(1, "v", "extra"));
    }

    @Test
    void shouldSetGaugesAndBucketObservations()
    {
        final Gauge g = table.gauge("queue_length", "Queued.");
        g.set(7);
        g.set(3);
        assertEquals(3.0, ((GaugeSnapshot) scraped("queue_length")).getDataPoints().getFirst().getValue());
        final Histogram h = table.histogram("run_seconds", "Run time.", new double[] {0.1, 1}, "fn");
        h.observe(0.05, "f");
        h.observe(0.5, "f");
        h.observe(5, "f");
        final HistogramSnapshot.HistogramDataPointSnapshot d = ((HistogramSnapshot) scraped("run_seconds")).getDataPoints().getFirst();
        assertEquals(3, d.getCount());
        assertEquals(5.55, d.getSum(), 1e-9);
        assertEquals(labels("fn", "f"), d.getLabels());
    }
}
