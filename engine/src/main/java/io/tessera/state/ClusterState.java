package io.tessera.state;

import java.util.List;
import java.util.Optional;

/**
 * What the cluster is doing now, as {@code ray list} / {@code ray summary} show it. Embedded, the
 * node itself answers; a driver in a cluster asks the head; the head asks its nodes. Each call is a
 * fresh snapshot (records are not updated after they are returned).
 * <pre>{@code
 * ClusterState s = Tessera.state();
 * s.nodes().forEach(n -> System.out.println(n.id() + " " + n.resourcesAvailable()));
 * StateList<TaskInfo> failed = s.tasks(StateQuery.all().filter("state", "FAILED").limit(10));
 * }</pre>
 */
public interface ClusterState
{
    /** The call site {@link #summarizeObjects()} counts an object under when no task record names its maker. */
    String PUT_OR_UNKNOWN = "(put or unknown)";
    /** How many ended jobs the head keeps listing. */
    int JOBS_KEPT = 1000;

    /**
     * Every node the head knows, dead ones included.
     *
     * @return the nodes
     */
    List<NodeInfo> nodes();

    /**
     * Every job the head knows: running ones and the last {@value #JOBS_KEPT} that ended, oldest first
     * (embedded: the node's own job). A head restarted from its journal dates the jobs it replays at its restart.
     *
     * @return the jobs
     */
    List<JobInfo> jobs();

    /**
     * The actors {@code q} selects.
     *
     * @param q filters on {@link ActorInfo}'s fields, and a limit
     * @return the selection
     * @throws IllegalArgumentException when a filter key is not a field of {@link ActorInfo}
     */
    StateList<ActorInfo> actors(StateQuery q);

    /**
     * The tasks {@code q} selects, from the records the nodes still hold.
     *
     * @param q filters on {@link TaskInfo}'s fields, and a limit
     * @return the selection
     * @throws IllegalArgumentException when a filter key is not a field of {@link TaskInfo}
     */
    StateList<TaskInfo> tasks(StateQuery q);

    /**
     * The objects {@code q} selects, from every node's and running driver's object store, one record per
     * object (its copies merged: {@link ObjectInfo#nodeIds()}). Walked when asked: objects cost nothing
     * until then. A filter on {@code node} matches an object any of whose copies is on that node.
     *
     * @param q filters on {@link ObjectInfo}'s fields, and a limit
     * @return the selection
     * @throws IllegalArgumentException when a filter key is not a field of {@link ObjectInfo}
     */
    StateList<ObjectInfo> objects(StateQuery q);

    /**
     * Every placement group. Always empty for now: placement groups come with issue #16, which fills this
     * list (the method, the CLI's {@code tessera list placement-groups} and the REST route exist already).
     *
     * @return the groups
     */
    List<PlacementGroupInfo> placementGroups();

    /**
     * One task's latest record.
     *
     * @param id the task's id
     * @return the record, or empty when no node holds one
     */
    Optional<TaskInfo> task(String id);

    /**
     * One actor.
     *
     * @param id the actor's id
     * @return the actor, or empty when it is unknown
     */
    Optional<ActorInfo> actor(String id);

    /**
     * Tasks counted by function name and state.
     *
     * @return the counts
     */
    Summary summarizeTasks();

    /**
     * Actors counted by class name and state.
     *
     * @return the counts
     */
    Summary summarizeActors();

    /**
     * Objects counted by call site (the function whose result each is; {@value #PUT_OR_UNKNOWN} for puts and
     * results whose task record was dropped) and where they are ({@code IN_MEMORY}, {@code SPILLED}).
     *
     * @return the counts
     */
    Summary summarizeObjects();
}
