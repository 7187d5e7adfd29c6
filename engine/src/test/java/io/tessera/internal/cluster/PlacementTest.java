package io.tessera.internal.cluster;

import io.tessera.internal.LocalRuntime;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.scheduler.ResourceRequest;
import io.tessera.transport.Connection;
import io.tessera.transport.PulledObject;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Where a driver's tasks go among equal nodes: sequential tasks stay on one node (its threads awake), tasks in
 * flight at once spread by what this owner has in flight on each.
 */
class PlacementTest
{
    private static final ResourceRequest ONE_CPU = ResourceRequest.builder().cpus(1).build();

    private static NodeView node(String address)
    {
        return new NodeView("n-" + address, address, "127.0.0.1", "/dev/shm/x", true, Map.of("CPU", 2.0), Map.of("CPU", 2.0));
    }

    @Test
    void shouldKeepSequentialTasksOnOneNodeAndSpreadConcurrentOnes()
    {
        final Placement p = new Placement(new Members(List.of(node("a:1"), node("b:1"), node("c:1"))));
        final String first = p.choose(ONE_CPU, new Object[0], "t").address();
        for (int i = 0; i < 10; i++)
        {
            assertEquals(first, p.choose(ONE_CPU, new Object[0], "t").address(), "sequential task " + i);
        }
        final Set<String> concurrent = new HashSet<>();
        for (int i = 0; i < 3; i++)
        {
            final String at = p.choose(ONE_CPU, new Object[0], "t").address();
            p.inFlightTo(at).incrementAndGet();
            concurrent.add(at);
        }
        assertEquals(Set.of("a:1", "b:1", "c:1"), concurrent, "three tasks in flight at once on three equal nodes");
    }

    /** Only the view and the liveness Placement reads. */
    private record Members(List<NodeView> view) implements MemberServices
    {
        @Override
        public LocalRuntime runtime()
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public Role role()
        {
            return Role.DRIVER;
        }

        @Override
        public String jobId()
        {
            return "job";
        }

        @Override
        public String address()
        {
            return "driver:1";
        }

        @Override
        public JobClasspath.Cache cache()
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public ExecutorService recovery()
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public Connection headConnection()
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void refreshViewNow()
        {
        }

        @Override
        public CompletableFuture<Connection> connect(String peerAddress)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isDead(String peerAddress)
        {
            return false;
        }

        @Override
        public io.tessera.internal.NodeRecords localRecords()
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<io.tessera.state.JobInfo> jobTable()
        {
            return List.of();
        }

        @Override
        public List<Connection> driverConnections()
        {
            return List.of();
        }

        @Override
        public void markDead(String peerAddress)
        {
        }

        @Override
        public ObjectStore sharedStoreOf(String nodeId)
        {
            return null;
        }

        @Override
        public CompletableFuture<PulledObject> pull(ObjectId id, List<String> holders)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void jobGone(String job, String driverNodeId)
        {
        }
    }
}
