package io.tessera.nativetests.cluster;

import io.tessera.ActorHandle;
import io.tessera.TaskException;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import io.tessera.state.ActorInfo;
import io.tessera.state.ActorStatus;
import io.tessera.state.ClusterState;
import io.tessera.state.NodeInfo;
import io.tessera.state.StateQuery;
import io.tessera.state.TaskInfo;
import io.tessera.state.TaskStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
    void shouldSeeTheTasksAndActorsOfBothNodesWithWhereTheyRan()
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
        assertEquals(Map.of("FINISHED", 2L), state.summarizeTasks().counts().get("ClusterStateTest.square"));
        assertTrue(state.tasks(StateQuery.all().filter("node", w2)).total() >= 2, "filtered by node");
        final String job = squares.getFirst().jobId();
        assertTrue(job != null && !job.isEmpty() && !job.startsWith("job-"), "the driver's job, not a node's own: " + job);
        assertEquals(List.of(job, job), List.of(squares.get(1).jobId(), a.jobId()));
    }
}
