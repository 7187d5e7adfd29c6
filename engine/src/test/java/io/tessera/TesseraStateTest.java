package io.tessera;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.tessera.internal.metrics.ProcessMetrics;
import io.tessera.metrics.Metrics;
import io.tessera.state.ActorInfo;
import io.tessera.state.ActorStatus;
import io.tessera.state.JobStatus;
import io.tessera.state.NodeInfo;
import io.tessera.state.StateList;
import io.tessera.state.StateQuery;
import io.tessera.state.Summary;
import io.tessera.state.TaskInfo;
import io.tessera.state.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
            () -> Tessera.state().objects(StateQuery.all()));
        assertTrue(ex.getMessage().contains("issue #14"), ex.getMessage());
        assertEquals(List.of(), Tessera.state().placementGroups());
    }

    static String whoAmI()
    {
        final TaskContext c = TaskContext.current();
        return c.taskId() + " " + c.jobId() + " " + Thread.currentThread().getName();
    }

    static int boom(int x)
    {
        throw new IllegalStateException("boom " + x + "\nsecond line");
    }

    static int gate()
    {
        try
        {
            GATE.await();
        }
        catch (InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return 1;
    }

    static int plusOne(int x)
    {
        return x + 1;
    }

    private static final java.util.concurrent.CountDownLatch GATE = new java.util.concurrent.CountDownLatch(1);

    static TaskInfo only(StateQuery q)
    {
        final StateList<TaskInfo> l = Tessera.state().tasks(q);
        assertEquals(1, l.total(), () -> "tasks for " + q + ": " + l);
        return l.items().getFirst();
    }

    @Test
    void shouldRecordFinishedFailedWaitingAndCancelledTasks()
    {
        final String[] who = Tessera.task(TesseraStateTest::whoAmI).remote().get().split(" ");
        final TaskInfo ok = Tessera.state().task(who[0]).orElseThrow();
        assertEquals(TaskStatus.FINISHED, ok.state());
        assertEquals("TesseraStateTest.whoAmI", ok.functionName());
        assertEquals(who[2], ok.workerThread());
        assertEquals(who[1], ok.jobId());
        assertFalse(who[1].isEmpty(), "TaskContext.jobId() is the embedded node's job");
        assertEquals(TaskContext.current().nodeId(), ok.nodeId());
        assertNull(ok.error());
        assertTrue(ok.startedAtUs() > 0 && ok.submittedAtMs() > 0 && ok.runNs() > 0, ok.toString());

        assertThrows(TaskException.class, () -> Tessera.task(TesseraStateTest::boom, 7).remote().get());
        final TaskInfo failed = only(StateQuery.all().filter("state", "FAILED"));
        assertEquals("TesseraStateTest.boom", failed.functionName());
        assertEquals("java.lang.IllegalStateException: boom 7", failed.error(), "the error's first line");

        final ObjectRef<Integer> gated = Tessera.task(TesseraStateTest::gate).remote();
        final ObjectRef<Integer> waiting = Tessera.task(TesseraStateTest::plusOne, gated).remote();
        final ObjectRef<Integer> cancelled = Tessera.task(TesseraStateTest::plusOne, gated).remote();
        assertEquals(2, Tessera.state().tasks(StateQuery.all().filter("state", "WAITING_FOR_ARGS")).total());
        Tessera.cancel(cancelled);
        final TaskInfo c = only(StateQuery.all().filter("state", "CANCELLED"));
        assertEquals("TesseraStateTest.plusOne", c.functionName());
        GATE.countDown();
        assertEquals(2, waiting.get());
        final TaskInfo w = only(StateQuery.all().filter("functionName", "TesseraStateTest.plusOne").filter("state", "FINISHED"));
        assertTrue(w.waitForArgsNs() > 0, "it waited for its argument: " + w);

        final Summary sum = Tessera.state().summarizeTasks();
        assertEquals(Map.of("FINISHED", 1L, "CANCELLED", 1L), sum.counts().get("TesseraStateTest.plusOne"));
        assertEquals(Map.of("FAILED", 1L), sum.counts().get("TesseraStateTest.boom"));
        assertEquals(0, sum.dropped());
        final StateList<TaskInfo> limited = Tessera.state().tasks(StateQuery.all().limit(2));
        assertEquals(2, limited.items().size());
        assertEquals(5, limited.total());
        assertThrows(IllegalArgumentException.class, () -> Tessera.state().tasks(StateQuery.all().filter("colour", "red")));
        assertEquals(1, Tessera.state().jobs().size());
        assertEquals(who[1], Tessera.state().jobs().getFirst().id());
        assertEquals(JobStatus.RUNNING, Tessera.state().jobs().getFirst().state());
    }

    /** An actor for the state test. */
    public static final class Tally
    {
        int n;

        public Tally()
        {
        }

        public int add(int x)
        {
            n += x;
            return n;
        }
    }

    @Test
    void shouldRecordActorsAndTheirCalls()
    {
        final ActorHandle<Tally> t = Tessera.actor(Tally::new).options(o -> o.name("tally")).remote();
        assertEquals(3, t.task(Tally::add, 3).remote().get());
        final ActorInfo alive = Tessera.state().actors(StateQuery.all().filter("name", "tally")).items().getFirst();
        assertEquals(ActorStatus.ALIVE, alive.state());
        assertEquals(Tally.class.getName(), alive.className());
        assertEquals(TaskContext.current().nodeId(), alive.nodeId());
        assertEquals(alive, Tessera.state().actor(alive.id()).orElseThrow());
        t.kill();
        final ActorInfo dead = Tessera.state().actor(alive.id()).orElseThrow();
        assertEquals(ActorStatus.DEAD, dead.state());
        assertNotNull(dead.deathCause());
        assertEquals(Map.of("DEAD", 1L), Tessera.state().summarizeActors().counts().get(Tally.class.getName()));
        assertEquals(1, Tessera.state().tasks(StateQuery.all().filter("functionName", "Tally.add").filter("state", "FINISHED")).total());
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
