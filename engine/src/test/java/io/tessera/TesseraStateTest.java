package io.tessera;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.tessera.internal.metrics.ProcessMetrics;
import io.tessera.metrics.Metrics;
import io.tessera.state.ActorInfo;
import io.tessera.state.ActorStatus;
import io.tessera.state.ClusterState;
import io.tessera.state.JobStatus;
import io.tessera.state.NodeInfo;
import io.tessera.state.ObjectInfo;
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

    static long[] big(int n)
    {
        final long[] a = new long[n];
        java.util.Arrays.fill(a, n);
        return a;
    }

    @Test
    void shouldListTheObjectsInTheStoreWithTheirMakers()
    {
        final String node = TaskContext.current().nodeId();
        final String job = TaskContext.current().jobId();
        final ObjectRef<long[]> put = Tessera.put(big(1000));
        final ObjectRef<long[]> result = Tessera.task(TesseraStateTest::big, 50_000).remote();
        final ObjectRef<long[]> small = Tessera.task(TesseraStateTest::big, 10).remote();
        assertEquals(50_000, result.get().length);
        assertEquals(10, small.get().length);
        assertEquals(8000, Tessera.getSegment(put).byteSize());

        final StateList<ObjectInfo> all = Tessera.state().objects(StateQuery.all());
        assertEquals(2, all.total(), "the put and the large result; the small result stays inline: " + all);
        final ObjectInfo p = one(StateQuery.all().filter("id", put.id()));
        assertEquals(8000, p.sizeBytes());
        assertEquals(node, p.ownerNodeId());
        assertEquals(job, p.ownerJob());
        assertEquals(List.of(node), p.nodeIds());
        assertEquals(1, p.pins(), "the segment read above pins it");
        assertFalse(p.spilled());
        assertNull(p.taskId(), "a put has no task");
        assertNull(p.callSite());
        assertTrue(p.lastUsedAtMs() > System.currentTimeMillis() - 60_000, p.toString());

        final ObjectInfo r = one(StateQuery.all().filter("callSite", "TesseraStateTest.big"));
        assertEquals(result.id(), r.id());
        assertTrue(r.sizeBytes() >= 400_000, r.toString());
        assertEquals(job, r.ownerJob());
        assertEquals("IN_MEMORY", r.location());
        assertEquals(TaskStatus.FINISHED, Tessera.state().task(r.taskId()).orElseThrow().state(), "its task: " + r.taskId());
        assertTrue(r.createdAtMs() > 0, r.toString());
        assertEquals(2, Tessera.state().objects(StateQuery.all().filter("node", node)).total(), "node matches a copy's node");
        assertEquals(0, Tessera.state().objects(StateQuery.all().filter("spilled", "true")).total());

        final Summary s = Tessera.state().summarizeObjects();
        assertEquals(Map.of("TesseraStateTest.big", Map.of("IN_MEMORY", 1L), ClusterState.PUT_OR_UNKNOWN, Map.of("IN_MEMORY", 1L)),
            s.counts());

        Tessera.free(result);
        assertEquals(List.of(put.id()), Tessera.state().objects(StateQuery.all()).items().stream().map(ObjectInfo::id).toList(),
            "a freed object is gone");
        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
            () -> Tessera.state().objects(StateQuery.all().filter("owner", "x")));
        assertTrue(bad.getMessage().contains("valid keys are id, sizeBytes, ownerNodeId"), bad.getMessage());
        assertEquals(List.of(), Tessera.state().placementGroups(), "none until issue #16");
    }

    private static ObjectInfo one(StateQuery q)
    {
        final StateList<ObjectInfo> l = Tessera.state().objects(q);
        assertEquals(1, l.items().size(), q + " -> " + l);
        return l.items().getFirst();
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
