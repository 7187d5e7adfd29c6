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
 * The state API: embedded, from this node's own records (its task record ring, its actors, its job: an
 * embedded node is one job, running until it closes); in a cluster, tasks and actors from every live
 * node (the head asks them, {@link RemoteExecutor#records()}) and nodes from the member's view of the
 * head's table; objects from every store, walked when asked ({@link NodeRecords#objectInfos()}); jobs
 * from the head's table; placement groups are none until #16.
 */
public final class NodeState implements ClusterState
{
    private final Supplier<List<NodeInfo>> nodes;
    private final Supplier<NodeRecords> records;
    private final Supplier<List<JobInfo>> jobs;

    NodeState(Supplier<List<NodeInfo>> nodes, Supplier<NodeRecords> records, Supplier<List<JobInfo>> jobs)
    {
        this.nodes = nodes;
        this.records = records;
        this.jobs = jobs;
    }

    /**
     * The state API over a cluster's records (a driver's, a node's, the CLI's): each call asks {@code records}
     * (or {@code nodes}, for {@link #nodes()}) afresh; the jobs are the head's table in the records.
     *
     * @param nodes   the nodes, asked when listed
     * @param records the records, asked for every other call
     * @return the state
     */
    public static ClusterState of(Supplier<List<NodeInfo>> nodes, Supplier<NodeRecords> records)
    {
        return new NodeState(nodes, records, () -> records.get().jobs());
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
        return nodes.get();
    }

    @Override
    public List<JobInfo> jobs()
    {
        return jobs.get();
    }

    @Override
    public StateList<ActorInfo> actors(StateQuery q)
    {
        return q.select(ActorInfo.class, records.get().actors(), 0);
    }

    @Override
    public StateList<TaskInfo> tasks(StateQuery q)
    {
        final NodeRecords r = records.get();
        return q.select(TaskInfo.class, r.tasks(), r.dropped());
    }

    @Override
    public StateList<ObjectInfo> objects(StateQuery q)
    {
        return q.select(ObjectInfo.class, records.get().objectInfos(), 0);
    }

    @Override
    public List<PlacementGroupInfo> placementGroups()
    {
        // issue #16 (placement groups) fills this from the head's table
        return List.of();
    }

    @Override
    public Optional<TaskInfo> task(String id)
    {
        TaskInfo found = null;
        for (TaskInfo t : records.get().tasks())
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
        return records.get().actors().stream().filter(a -> a.id().equals(id)).findFirst();
    }

    @Override
    public Summary summarizeTasks()
    {
        final NodeRecords r = records.get();
        return Summary.of(r.tasks(), TaskInfo::functionName, t -> t.state().name(), r.dropped());
    }

    @Override
    public Summary summarizeActors()
    {
        return Summary.of(records.get().actors(), ActorInfo::className, a -> a.state().name(), 0);
    }

    @Override
    public Summary summarizeObjects()
    {
        return Summary.of(records.get().objectInfos(), o -> o.callSite() != null ? o.callSite() : PUT_OR_UNKNOWN,
            ObjectInfo::location, 0);
    }
}
