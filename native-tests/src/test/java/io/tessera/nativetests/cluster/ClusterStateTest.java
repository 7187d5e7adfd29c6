package io.tessera.nativetests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.ActorHandle;
import io.tessera.ObjectRef;
import io.tessera.TaskException;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import io.tessera.state.ActorInfo;
import io.tessera.state.ActorStatus;
import io.tessera.state.ClusterState;
import io.tessera.state.NodeInfo;
import io.tessera.state.ObjectInfo;
import io.tessera.state.StateQuery;
import io.tessera.state.TaskInfo;
import io.tessera.state.TaskStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Tessera.state()} of a driver in a cluster (head + 2 nodes): the head asks both nodes for their
 * task records and actors and merges them; each record names the node it ran on.
 */
@Timeout(180)
class ClusterStateTest
{
    static ClusterFixture cluster;

    @BeforeAll
    static void startCluster() throws Exception
    {
        cluster = new ClusterFixture("state");
        cluster.startHead(0, "--cpus", "1");
        cluster.startWorker("w1", "--cpus", "2", "--resource", "one=8");
        cluster.startWorker("w2", "--cpus", "2", "--resource", "two=8");
        Tessera.init(TesseraConfig.builder().address(cluster.headAddress).token(ClusterFixture.TOKEN)
            .objectStoreBytes(64L << 20).build());
    }

    @AfterAll
    static void stopCluster() throws Exception
    {
        Tessera.shutdown();
        cluster.close();
    }

    static int square(int x)
    {
        return x * x;
    }

    static int fail(int x)
    {
        throw new IllegalArgumentException("no " + x);
    }

    /** A named actor. */
    public static final class Counter
    {
        private int n;

        public Counter()
        {
        }

        public int add(int x)
        {
            n += x;
            return n;
        }
    }

    @Test
    void shouldSeeTheTasksAndActorsOfBothNodesWithWhereTheyRan() throws Exception
    {
        assertEquals(List.of(9, 16), Tessera.get(List.of(Tessera.task(ClusterStateTest::square, 3).options(o -> o.resource("one", 1))
            .remote(), Tessera.task(ClusterStateTest::square, 4).options(o -> o.resource("two", 1)).remote())));
        assertThrows(TaskException.class, () -> Tessera.task(ClusterStateTest::fail, 5).options(o -> o.resource("two", 1))
            .remote().get());
        final ActorHandle<Counter> counter = Tessera.actor(Counter::new).options(o -> o.name("state-counter").resource("one", 1))
            .remote();
        assertEquals(2, counter.task(Counter::add, 2).remote().get());

        final ClusterState state = Tessera.state();
        final Map<String, String> nodeByAddress = state.nodes().stream().collect(Collectors.toMap(NodeInfo::address, NodeInfo::id));
        final String w1 = nodeByAddress.get(cluster.address("w1"));
        final String w2 = nodeByAddress.get(cluster.address("w2"));

        final List<TaskInfo> squares = state.tasks(StateQuery.all().filter("functionName", "ClusterStateTest.square")).items();
        assertEquals(2, squares.size(), squares::toString);
        assertTrue(squares.stream().allMatch(t -> t.state() == TaskStatus.FINISHED), squares::toString);
        assertEquals(List.of(w1, w2), squares.stream().map(TaskInfo::nodeId).sorted((a, b) -> a.equals(w1) ? -1 : 1).toList());

        final List<TaskInfo> failed = state.tasks(StateQuery.all().filter("state", "FAILED")).items();
        assertEquals(1, failed.size(), failed::toString);
        assertEquals(w2, failed.getFirst().nodeId());
        assertEquals("ClusterStateTest.fail", failed.getFirst().functionName());
        assertTrue(failed.getFirst().error().contains("no 5"), failed.getFirst().error());
        assertEquals(failed.getFirst(), state.task(failed.getFirst().id()).orElseThrow());

        final ActorInfo a = state.actors(StateQuery.all().filter("name", "state-counter")).items().getFirst();
        assertEquals(ActorStatus.ALIVE, a.state());
        assertEquals(w1, a.nodeId());
        assertEquals(Counter.class.getName(), a.className());
        assertTrue(a.namespace() != null && a.namespace().startsWith("anonymous-"), "the driver's anonymous namespace: " + a);
        assertEquals(Map.of("FINISHED", 2L), state.summarizeTasks().counts().get("ClusterStateTest.square"));
        assertTrue(state.tasks(StateQuery.all().filter("node", w2)).total() >= 2, "filtered by node");
        final String job = squares.getFirst().jobId();
        assertTrue(job != null && !job.isEmpty() && !job.startsWith("job-"), "the driver's job, not a node's own: " + job);
        assertEquals(List.of(job, job), List.of(squares.get(1).jobId(), a.jobId()));
        assertStateCommands(job);
    }

    static long[] bigArray(int n)
    {
        final long[] a = new long[n];
        java.util.Arrays.fill(a, n);
        return a;
    }

    static long sum(long[] a)
    {
        return java.util.Arrays.stream(a).sum();
    }

    @Test
    void shouldListTheObjectsOfEveryStoreAndTheHeadsJobsAndNodes() throws Exception
    {
        final String driver = io.tessera.TaskContext.current().nodeId();
        final ObjectRef<long[]> put = Tessera.put(bigArray(100_000));
        final ObjectRef<long[]> made = Tessera.task(ClusterStateTest::bigArray, 60_000).options(o -> o.resource("one", 1)).remote();
        assertEquals(100_000L * 100_000, Tessera.task(ClusterStateTest::sum, put).options(o -> o.resource("two", 1)).remote().get());
        assertEquals(1, Tessera.wait(List.of(made), 1, java.time.Duration.ofSeconds(30)).ready().size());

        final ClusterState state = Tessera.state();
        final Map<String, String> nodeByAddress = state.nodes().stream().collect(Collectors.toMap(NodeInfo::address, NodeInfo::id));
        final String w1 = nodeByAddress.get(cluster.address("w1"));
        final ObjectInfo result = state.objects(StateQuery.all().filter("id", made.id())).items().getFirst();
        assertEquals("ClusterStateTest.bigArray", result.callSite());
        assertEquals(driver, result.ownerNodeId(), "the driver owns the result of the task it submitted");
        assertTrue(result.nodeIds().contains(w1), "held where it was made: " + result);
        assertTrue(result.sizeBytes() >= 480_000, result.toString());
        final String job = result.ownerJob();
        assertEquals(job, state.task(result.taskId()).orElseThrow().jobId());
        final ObjectInfo p = state.objects(StateQuery.all().filter("id", put.id())).items().getFirst();
        assertEquals(driver, p.ownerNodeId());
        assertEquals(driver, p.nodeIds().getFirst(), "the owner's copy first: " + p);
        assertEquals(job, p.ownerJob(), "a driver's objects are its job's");
        assertTrue(state.objects(StateQuery.all().filter("node", w1)).items().stream().anyMatch(o -> o.id().equals(made.id())));
        assertEquals(Map.of("IN_MEMORY", 1L), state.summarizeObjects().counts().get("ClusterStateTest.bigArray"));

        final io.tessera.state.JobInfo j = state.jobs().stream().filter(i -> i.id().equals(job)).findFirst().orElseThrow();
        assertEquals(io.tessera.state.JobStatus.RUNNING, j.state());
        assertTrue(j.startedAtMs() > 0 && j.endedAtMs() == 0, j.toString());
        assertEquals(List.of(), state.placementGroups());

        final String head = cluster.headAddress;
        final ObjectMapper json = new ObjectMapper();
        final ClusterFixture.CliResult objects = cluster.tessera("list", "objects", "--address", head, "--filter",
            "callSite=ClusterStateTest.bigArray", "--format", "json");
        assertEquals(0, objects.exit(), objects.output());
        final JsonNode o = json.readTree(objects.output()).get("items").get(0);
        assertEquals(made.id(), o.get("id").asText());
        assertEquals(job, o.get("ownerJob").asText());
        final ClusterFixture.CliResult summary = cluster.tessera("summary", "objects", "--address", head);
        assertTrue(summary.exit() == 0 && summary.output().contains("ClusterStateTest.bigArray  {IN_MEMORY=1}"), summary.output());
        final ClusterFixture.CliResult nodes = cluster.tessera("list", "nodes", "--address", head);
        assertEquals(0, nodes.exit(), nodes.output());
        assertEquals(3, nodes.output().lines().filter(l -> l.contains(" ALIVE ")).count(), nodes.output());
        assertTrue(nodes.output().contains(cluster.address("w2")) && nodes.output().contains("0 / 2"), nodes.output());
        final ClusterFixture.CliResult jobs = cluster.tessera("list", "jobs", "--address", head, "--filter", "id=" + job);
        assertTrue(jobs.exit() == 0 && jobs.output().contains(job) && jobs.output().contains("RUNNING"), jobs.output());
        final ClusterFixture.CliResult groups = cluster.tessera("list", "placement-groups", "--address", head);
        assertTrue(groups.exit() == 0 && groups.output().contains("0 of 0 shown"), groups.output());
        final ClusterFixture.CliResult bad = cluster.tessera("list", "things", "--address", head);
        assertEquals(2, bad.exit(), bad.output());
        assertTrue(bad.output().contains("give one of tasks, actors, objects, nodes, jobs, placement-groups"), bad.output());
    }

    /** tessera list / get / summary / timeline against the head, as a separate process. */
    private static void assertStateCommands(String job) throws Exception
    {
        final String head = cluster.headAddress;
        final ObjectMapper json = new ObjectMapper();
        final ClusterFixture.CliResult listed = cluster.tessera("list", "tasks", "--address", head, "--filter",
            "functionName=ClusterStateTest.square", "--format", "json");
        assertEquals(0, listed.exit(), listed.output());
        final JsonNode list = json.readTree(listed.output());
        assertEquals(2, list.get("total").asLong(), listed.output());
        final JsonNode task = list.get("items").get(0);
        assertEquals("FINISHED", task.get("state").asText());
        final ClusterFixture.CliResult table = cluster.tessera("list", "tasks", "--address", head, "--filter", "state=FAILED");
        assertEquals(0, table.exit(), table.output());
        assertTrue(table.output().contains("ClusterStateTest.fail") && table.output().contains("no 5"), table.output());
        final ClusterFixture.CliResult actors = cluster.tessera("list", "actors", "--address", head);
        assertTrue(actors.exit() == 0 && actors.output().contains("state-counter") && actors.output().contains("ALIVE"), actors.output());

        final ClusterFixture.CliResult got = cluster.tessera("get", "task", task.get("id").asText(), "--address", head);
        assertEquals(0, got.exit(), got.output());
        assertEquals(task, json.readTree(got.output()));
        final ClusterFixture.CliResult unknown = cluster.tessera("get", "task", "no-such-task", "--address", head);
        assertEquals(1, unknown.exit(), unknown.output());
        assertTrue(unknown.output().contains("no node knows task no-such-task"), unknown.output());
        final ClusterFixture.CliResult badKey = cluster.tessera("list", "tasks", "--filter", "colour=red", "--address", head);
        assertEquals(2, badKey.exit(), badKey.output());
        assertTrue(badKey.output().contains("unknown filter key 'colour'"), badKey.output());

        final ClusterFixture.CliResult summary = cluster.tessera("summary", "tasks", "--address", head);
        assertEquals(0, summary.exit(), summary.output());
        assertTrue(summary.output().contains("ClusterStateTest.square  {FINISHED=2}"), summary.output());

        final Path trace = cluster.home.resolve("trace.json");
        final ClusterFixture.CliResult timeline = cluster.tessera("timeline", "--job", job, "-o", trace.toString(), "--address", head);
        assertEquals(0, timeline.exit(), timeline.output());
        final JsonNode events = json.readTree(trace.toFile()).get("traceEvents");
        final List<TaskInfo> ofJob = Tessera.state().tasks(StateQuery.all().filter("job", job)).items();
        assertEquals(ofJob.size(), events.size(), "one slice per task of the job: " + events);
        final JsonNode slice = java.util.stream.StreamSupport.stream(events.spliterator(), false)
            .filter(e -> e.get("args").get("task").asText().equals(task.get("id").asText())).findFirst().orElseThrow();
        assertEquals("ClusterStateTest.square", slice.get("name").asText());
        assertEquals("X", slice.get("ph").asText());
        assertEquals(task.get("nodeId").asText(), slice.get("pid").asText());
        assertEquals(task.get("workerThread").asText(), slice.get("tid").asText());
        assertEquals(task.get("startedAtUs").asLong(), slice.get("ts").asLong());
    }
}
