package io.tessera;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.tessera.internal.metrics.ProcessMetrics;
import io.tessera.metrics.Metrics;
import io.tessera.state.NodeInfo;
import io.tessera.state.StateQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Tessera#state()} and {@link Metrics} on an embedded node, as docs/API.md shows them. */
@Timeout(60)
class TesseraStateTest
{
    @BeforeEach
    void start()
    {
        Tessera.init(TesseraConfig.builder().cpus(3).objectStoreBytes(64L << 20).build());
    }

    @AfterEach
    void stop()
    {
        Tessera.shutdown();
    }

    static String handle(String route)
    {
        Metrics.counter("state_test_requests_served", "Requests served.", "route").inc(1, route);
        return route;
    }

    @Test
    void shouldListThisEmbeddedNode()
    {
        final List<NodeInfo> nodes = Tessera.state().nodes();
        assertEquals(1, nodes.size());
        final NodeInfo n = nodes.getFirst();
        assertEquals(TaskContext.current().nodeId(), n.id());
        assertTrue(n.alive() && n.head());
        assertEquals(3.0, n.resourcesTotal().get("CPU"));
        assertEquals(0.0, n.used("CPU"), "nothing runs");
        assertTrue(n.storeBytesTotal() > 0 && n.storeBytesTotal() <= 64L << 20, "store " + n.storeBytesTotal());
    }

    @Test
    void shouldSayWhatIsNotImplementedYet()
    {
        final UnsupportedOperationException ex = assertThrows(UnsupportedOperationException.class,
            () -> Tessera.state().tasks(StateQuery.all()));
        assertTrue(ex.getMessage().contains("issue #14"), ex.getMessage());
        assertEquals(List.of(), Tessera.state().placementGroups());
    }

    @Test
    void shouldExportAUserCounterIncrementedInTasksWithTheNodeLabel()
    {
        Tessera.get(List.of(Tessera.task(TesseraStateTest::handle, "/a").remote(), Tessera.task(TesseraStateTest::handle, "/a").remote(),
            Tessera.task(TesseraStateTest::handle, "/b").remote()));
        final CounterSnapshot c = (CounterSnapshot) ProcessMetrics.registry().scrape().stream()
            .filter(s -> s.getMetadata().getName().equals("state_test_requests_served")).findFirst().orElseThrow();
        final CounterSnapshot.CounterDataPointSnapshot a = c.getDataPoints().stream()
            .filter(d -> "/a".equals(d.getLabels().get("route"))).findFirst().orElseThrow();
        assertEquals(2.0, a.getValue());
        assertEquals(TaskContext.current().nodeId(), a.getLabels().get("node"));
    }

    @Test
    void shouldNeedARunningNode()
    {
        Tessera.shutdown();
        assertThrows(IllegalStateException.class, Tessera::state);
        Tessera.init(TesseraConfig.builder().cpus(1).objectStoreBytes(16L << 20).build());
    }
}
