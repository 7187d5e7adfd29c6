package io.tessera.internal;

import io.tessera.state.ActorInfo;
import io.tessera.state.ClusterState;
import io.tessera.state.JobInfo;
import io.tessera.state.JobStatus;
import io.tessera.state.NodeInfo;
import io.tessera.state.ObjectInfo;
import io.tessera.state.PlacementGroupInfo;
import io.tessera.state.StateList;
import io.tessera.state.StateQuery;
import io.tessera.state.Summary;
import io.tessera.state.TaskInfo;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The state API answered by this node from its own records: its task record ring, its actors and its
 * job (an embedded node is one job, running until it closes). Nodes come from the cluster member's
 * view of the head's table when the node is in a cluster. Asking every node of a cluster (through the
 * head) is not implemented yet: in a cluster this answers with this node's records only. Objects are
 * not recorded yet and throw {@link UnsupportedOperationException}; placement groups are none (#16).
 */
final class NodeState implements ClusterState
{
    private final Supplier<NodeInfo> local;
    private final RemoteExecutor cluster;
    private final TaskRecords records;
    private final Supplier<List<ActorInfo>> actors;
    private final JobInfo job;
    private final String nodeId;

    NodeState(String nodeId, Supplier<NodeInfo> local, RemoteExecutor cluster, TaskRecords records,
              Supplier<List<ActorInfo>> actors, JobInfo job)
    {
        this.nodeId = nodeId;
        this.local = local;
        this.cluster = cluster;
        this.records = records;
        this.actors = actors;
        this.job = job;
    }

    /** The job of an embedded node that started at {@code startedAtMs}, running while the node is open. */
    static JobInfo embeddedJob(String jobId, String driver, long startedAtMs, boolean closed)
    {
        return new JobInfo(jobId, driver, closed ? JobStatus.FINISHED : JobStatus.RUNNING, startedAtMs,
            closed ? System.currentTimeMillis() : 0);
    }

    @Override
    public List<NodeInfo> nodes()
    {
        return cluster != null ? cluster.nodes() : List.of(local.get());
    }

    @Override
    public List<JobInfo> jobs()
    {
        return List.of(job);
    }

    @Override
    public StateList<ActorInfo> actors(StateQuery q)
    {
        return q.select(ActorInfo.class, actors.get(), 0);
    }

    @Override
    public StateList<TaskInfo> tasks(StateQuery q)
    {
        final long dropped = records.dropped();
        return q.select(TaskInfo.class, records.snapshot(nodeId), dropped);
    }

    @Override
    public StateList<ObjectInfo> objects(StateQuery q)
    {
        throw new UnsupportedOperationException("ClusterState.objects(query) is not implemented by the engine yet"
            + " (issue #14: the object directory does not record its objects yet); nodes, jobs, actors and tasks work");
    }

    @Override
    public List<PlacementGroupInfo> placementGroups()
    {
        return List.of();
    }

    @Override
    public Optional<TaskInfo> task(String id)
    {
        TaskInfo found = null;
        for (TaskInfo t : records.snapshot(nodeId))
        {
            if (t.id().equals(id))
            {
                found = t;
            }
        }
        return Optional.ofNullable(found);
    }

    @Override
    public Optional<ActorInfo> actor(String id)
    {
        return actors.get().stream().filter(a -> a.id().equals(id)).findFirst();
    }

    @Override
    public Summary summarizeTasks()
    {
        final long dropped = records.dropped();
        return Summary.of(records.snapshot(nodeId), TaskInfo::functionName, t -> t.state().name(), dropped);
    }

    @Override
    public Summary summarizeActors()
    {
        return Summary.of(actors.get(), ActorInfo::className, a -> a.state().name(), 0);
    }

    @Override
    public Summary summarizeObjects()
    {
        throw new UnsupportedOperationException("ClusterState.summarizeObjects() is not implemented by the engine yet"
            + " (issue #14: the object directory does not record its objects yet)");
    }
}
