package io.tessera.dashboard;

import io.tessera.state.ActorInfo;
import io.tessera.state.ActorStatus;
import io.tessera.state.ClusterState;
import io.tessera.state.NodeInfo;
import io.tessera.state.JobInfo;
import io.tessera.state.ObjectInfo;
import io.tessera.state.PlacementGroupInfo;
import io.tessera.state.StateList;
import io.tessera.state.StateQuery;
import io.tessera.state.Summary;
import io.tessera.state.TaskInfo;
import io.tessera.state.TaskStatus;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed cluster of two nodes, three tasks (one failed) and one actor: the dashboard's input in its
 * tests (a plain implementation of the interface the dashboard reads). Counts the calls made, so a
 * test can show a refused request reached nothing; {@link #jobs()} is not implemented, as the engine's.
 */
final class TestState implements ClusterState
{
    final AtomicInteger calls = new AtomicInteger();
    volatile double headCpuFree = 3;

    final List<TaskInfo> tasks = List.of(
        new TaskInfo("t1", "A.f", TaskStatus.FINISHED, "head-1", "w-0", "job1", 0, 1_000, 2_000, 3_000, 5_000_000, null, 0),
        new TaskInfo("t2", "B.g", TaskStatus.FAILED, "node-2", "w-1", "job1", 1, 2_000, 0, 1_000, 1_000_000,
            "IllegalStateException: boom", 0),
        new TaskInfo("t3", "B.g", TaskStatus.WAITING_FOR_ARGS, null, null, "job2", 0, 3_000, 0, 0, 0, null, 0));
    final List<ActorInfo> actors = List.of(new ActorInfo("a1", "com.example.Counter", "counter", ActorStatus.ALIVE, "node-2",
        "job1", 0, null));

    @Override
    public List<NodeInfo> nodes()
    {
        calls.incrementAndGet();
        return List.of(
            new NodeInfo("head-1", "127.0.0.1:6380", true, true, Map.of("CPU", 4.0, "memory", 8e9), Map.of("CPU",
                headCpuFree, "memory", 6e9),
                100, 1000, "127.0.0.1:9100"),
            new NodeInfo("node-2", "127.0.0.1:6381", true, false, Map.of("CPU", 2.0), Map.of("CPU", 2.0), 0, 1000, "127.0.0.1:9101"));
    }

    @Override
    public List<JobInfo> jobs()
    {
        calls.incrementAndGet();
        throw new UnsupportedOperationException("jobs are not recorded yet (issue #14)");
    }

    @Override
    public StateList<ActorInfo> actors(StateQuery q)
    {
        calls.incrementAndGet();
        return q.select(ActorInfo.class, actors, 0);
    }

    @Override
    public StateList<TaskInfo> tasks(StateQuery q)
    {
        calls.incrementAndGet();
        return q.select(TaskInfo.class, tasks, 5);
    }

    @Override
    public StateList<ObjectInfo> objects(StateQuery q)
    {
        calls.incrementAndGet();
        return q.select(ObjectInfo.class, List.of(new ObjectInfo("o1", 64, "head-1", "job1", 1, false, false)), 0);
    }

    @Override
    public List<PlacementGroupInfo> placementGroups()
    {
        calls.incrementAndGet();
        return List.of();
    }

    @Override
    public Optional<TaskInfo> task(String id)
    {
        calls.incrementAndGet();
        return tasks.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    @Override
    public Optional<ActorInfo> actor(String id)
    {
        calls.incrementAndGet();
        return actors.stream().filter(a -> a.id().equals(id)).findFirst();
    }

    @Override
    public Summary summarizeTasks()
    {
        calls.incrementAndGet();
        return Summary.of(tasks, TaskInfo::functionName, t -> t.state().name(), 5);
    }

    @Override
    public Summary summarizeActors()
    {
        calls.incrementAndGet();
        return Summary.of(actors, ActorInfo::className, a -> a.state().name(), 0);
    }

    @Override
    public Summary summarizeObjects()
    {
        calls.incrementAndGet();
        return Summary.of(List.<ObjectInfo>of(), ObjectInfo::ownerJob, o -> "IN_MEMORY", 0);
    }
}
