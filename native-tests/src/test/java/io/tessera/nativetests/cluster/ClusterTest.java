package io.tessera.nativetests.cluster;

import java.time.Duration;
import io.tessera.testing.Await;
import io.tessera.ActorHandle;
import io.tessera.InfeasibleTaskException;
import io.tessera.ObjectRef;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A head and two workers, each a real JVM on 127.0.0.1; this JVM is the driver. */
@Timeout(300)
class ClusterTest
{
    static ClusterFixture cluster;

    @BeforeAll
    static void startCluster() throws Exception
    {
        cluster = new ClusterFixture("cluster");
        cluster.startHead(0, "--cpus", "2", "--object-store", "3g", "--resource", "zone-h=1");
        cluster.startWorker("worker-a", "--cpus", "2", "--object-store", "3g", "--resource", "zone-a=1");
        cluster.startWorker("worker-b", "--cpus", "2", "--object-store", "3g", "--resource", "zone-b=1");
    }

    @AfterAll
    static void stopCluster() throws Exception
    {
        cluster.close();
    }

    private void join()
    {
        Tessera.init(TesseraConfig.builder().address(cluster.headAddress).token(ClusterFixture.TOKEN)
            .objectStoreBytes(2L << 30).build());
    }

    @AfterEach
    void leave()
    {
        Tessera.shutdown();
    }

    @Test
    void shouldSumTenThousandTasksAcrossTheNodes()
    {
        join();
        final List<ObjectRef<Long>> refs = new ArrayList<>();
        for (long i = 0; i < 10_000; i++)
        {
            refs.add(Tessera.task(Jobs::plusOne, i).remote());
        }
        long sum = 0;
        for (long v : Tessera.get(refs))
        {
            sum += v;
        }
        assertEquals(10_000L * 9_999 / 2 + 10_000, sum);
        // placement reads free CPUs from heartbeats (250 ms): right after the 10 000 tasks a node may
        // still look busy, so give the view a few rounds to catch up
        Set<String> nodes = Set.of();
        for (int round = 0; round < 5 && nodes.size() < 3; round++)
        {
            final List<ObjectRef<String>> where = new ArrayList<>();
            for (int i = 0; i < 30; i++)
            {
                where.add(Tessera.task(Jobs::slowWhereAmI).remote());
            }
            nodes = new HashSet<>(Tessera.get(where));
        }
        assertEquals(3, nodes.size(), "30 concurrent tasks spread over the three nodes: " + nodes);
    }

    @Test
    void shouldMoveAGibibyteObjectFromOneNodeToAnother()
    {
        join();
        final long size = 1L << 30;
        final ObjectRef<MemorySegment> made = Tessera.task(Jobs::pattern, size)
            .options(o -> o.resource("zone-a", 1)).remote();
        final String checked = Tessera.task(Jobs::checkPattern, made).options(o -> o.resource("zone-b", 1)).remote().get();
        assertTrue(checked.startsWith("ok " + size), checked);
    }

    @Test
    void shouldLendRefsNestedInArgumentsToOtherNodes()
    {
        join();
        final ObjectRef<double[]> onNode = Tessera.task(Jobs::bigResult, 100_000, 1.0).options(o -> o.resource("zone-a", 1)).remote();
        final ObjectRef<double[]> small = Tessera.task(Jobs::bigResult, 10, 2.0).remote();
        final ObjectRef<double[]> put = Tessera.put(Jobs.bigResult(20_000, 3.0));
        final double expected = Jobs.sum(Jobs.bigResult(100_000, 1.0)) + Jobs.sum(Jobs.bigResult(10, 2.0))
            + Jobs.sum(Jobs.bigResult(20_000, 3.0));
        assertEquals(expected, Tessera.task(Jobs::sumBorrowed, List.of(onNode, small, put))
            .options(o -> o.resource("zone-b", 1)).remote().get());
    }

    @Test
    void shouldPullFromEveryNodeThatHasACopy() throws Exception
    {
        join();
        final ObjectRef<double[]> big = Tessera.task(Jobs::bigResult, 4_000_000, 1.0).options(o -> o.resource("zone-a", 1)).remote();
        final double expected = Jobs.sum(Jobs.bigResult(4_000_000, 1.0));
        assertEquals(expected, Tessera.task(Jobs::sum, big).options(o -> o.resource("zone-b", 1)).remote().get());
        // zone-b pulled a copy to run that task: the head's node now pulls from zone-a and zone-b at once
        assertEquals(expected, Tessera.task(Jobs::sum, big).options(o -> o.resource("zone-h", 1)).remote().get());
        final java.nio.file.Path headLog = cluster.logs.resolve("head.log");
        Await.await("the head's node to log its pull from 2 holders at once; head log: " + headLog, Duration.ofSeconds(10))
            .until(() -> java.nio.file.Files.readString(headLog).contains("from 2 holders at once"));
    }

    @Test
    void shouldSpillNestedTasksToOtherNodesWhenTheirNodeIsBusy()
    {
        join();
        final Set<String> where = Tessera.task(Jobs::fanOut).options(o -> o.resource("zone-a", 1)).remote().get();
        assertTrue(where.size() >= 2, "children of a task on a 2-CPU node spilled to other nodes: " + where);
    }

    @Test
    void shouldRunNestedTasksOnNodes()
    {
        join();
        assertEquals(12L, Tessera.task(Jobs::nested, 10L).remote().get());
    }

    @Test
    void shouldFailFastForResourcesNoNodeHas()
    {
        join();
        final InfeasibleTaskException e = assertThrows(InfeasibleTaskException.class,
            () -> Tessera.task(Jobs::plusOne, 1L).options(o -> o.resource("zone-z", 1)).remote());
        assertTrue(e.getMessage().contains("zone-z"), e.getMessage());
    }

    @Test
    void shouldKeepActorStateAcrossCallsOnANode()
    {
        join();
        final ActorHandle<Jobs.Counter> c = Tessera.actor(Jobs.Counter::new, 100L).remote();
        final List<ObjectRef<Long>> refs = new ArrayList<>();
        for (int i = 1; i <= 100; i++)
        {
            refs.add(c.task(Jobs.Counter::add, (long) i).remote());
        }
        assertEquals(100L + 5050, refs.getLast().get());
        assertEquals(100L + 5050, c.task(Jobs.Counter::value).remote().get());
        c.kill();
    }

    @Test
    void shouldPassLargeResultsBetweenTasksByReference()
    {
        join();
        final ObjectRef<double[]> big = Tessera.task(Jobs::bigResult, 200_000, 1.0).remote();
        final double expected = Jobs.sum(Jobs.bigResult(200_000, 1.0));
        assertEquals(expected, Tessera.task(Jobs::sum, big).remote().get());
        // the driver shares the nodes' host: it reads the node's store in place, nothing is copied into its own
        final long ownObjects = io.tessera.internal.LocalRuntime.current().store().stats().objects();
        assertEquals(expected, Jobs.sum(big.get()));
        final MemorySegment view = Tessera.getSegment(big);
        assertEquals(200_000L * Double.BYTES, view.byteSize());
        assertEquals(1.0 + 199_999, view.getAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 199_999));
        assertEquals(ownObjects, io.tessera.internal.LocalRuntime.current().store().stats().objects());
        final ObjectRef<double[]> put = Tessera.put(Jobs.bigResult(50_000, 2.0));
        assertEquals(Jobs.sum(Jobs.bigResult(50_000, 2.0)), Tessera.task(Jobs::sum, put).remote().get());
    }
}
