package io.tessera.internal;

import io.tessera.state.ActorInfo;
import io.tessera.state.ClusterState;
import io.tessera.state.JobInfo;
import io.tessera.state.NodeInfo;
import io.tessera.state.ObjectInfo;
import io.tessera.state.PlacementGroupInfo;
import io.tessera.state.StateList;
import io.tessera.state.StateQuery;
import io.tessera.state.Summary;
import io.tessera.state.TaskInfo;

import java.util.List;
import java.util.Optional;

/**
 * The state API as far as the engine implements it today: the nodes (from the cluster member's view
 * of the head's table, or this one embedded node). Jobs, actors, tasks, objects and their summaries
 * need the task record rings and the head's aggregation (issue #14) and throw
 * {@link UnsupportedOperationException} until then; placement groups are none (issue #16).
 */
final class NodesOnlyState implements ClusterState
{
    private final java.util.function.Supplier<NodeInfo> local;
    private final RemoteExecutor cluster;

    NodesOnlyState(java.util.function.Supplier<NodeInfo> local, RemoteExecutor cluster)
    {
        this.local = local;
        this.cluster = cluster;
    }

    @Override
    public List<NodeInfo> nodes()
    {
        return cluster != null ? cluster.nodes() : List.of(local.get());
    }

    @Override
    public List<JobInfo> jobs()
    {
        throw notYet("jobs()");
    }

    @Override
    public StateList<ActorInfo> actors(StateQuery q)
    {
        throw notYet("actors(query)");
    }

    @Override
    public StateList<TaskInfo> tasks(StateQuery q)
    {
        throw notYet("tasks(query)");
    }

    @Override
    public StateList<ObjectInfo> objects(StateQuery q)
    {
        throw notYet("objects(query)");
    }

    @Override
    public List<PlacementGroupInfo> placementGroups()
    {
        return List.of();
    }

    @Override
    public Optional<TaskInfo> task(String id)
    {
        throw notYet("task(id)");
    }

    @Override
    public Optional<ActorInfo> actor(String id)
    {
        throw notYet("actor(id)");
    }

    @Override
    public Summary summarizeTasks()
    {
        throw notYet("summarizeTasks()");
    }

    @Override
    public Summary summarizeActors()
    {
        throw notYet("summarizeActors()");
    }

    @Override
    public Summary summarizeObjects()
    {
        throw notYet("summarizeObjects()");
    }

    private static UnsupportedOperationException notYet(String what)
    {
        return new UnsupportedOperationException("ClusterState." + what + " is not implemented by the engine yet"
            + " (issue #14: task record rings and the head's aggregation come next); nodes() works");
    }
}
