package io.tessera.internal;

import io.tessera.scheduler.ResourceRequest;

import java.util.Optional;

/**
 * The cluster side of a node or driver: runs tasks and actors on other nodes. A driver sends every
 * task away; a node runs locally what fits its own resources and sends the rest (spillback).
 */
public interface RemoteExecutor extends AutoCloseable
{
    /** This process's transport address, HOST:PORT. */
    String address();

    /** True for a driver: no task runs in this process. */
    boolean runsEverythingRemotely();

    /**
     * Runs a task on another node; {@code result} completes with its outcome.
     *
     * @throws io.tessera.InfeasibleTaskException when no node of the cluster could ever run it
     */
    void submitTask(Object fn, Object[] args, CallSpec spec, ResourceRequest request, String name, ObjectCell result);

    /** Whether another live node has {@code request}'s CPUs free now (per its last heartbeat). */
    boolean hasFreerNode(ResourceRequest request);

    /** Creates an actor on another node. */
    ActorRef createActor(Object constructor, Object[] args, CallSpec spec, ResourceRequest request, String name);

    /** A live named actor anywhere in the cluster. */
    Optional<ActorRef> namedActor(String namespace, String name);

    /** The namespace of job {@code jobId} as its owner said when it sent work here, or null when unknown. */
    String namespaceOf(String jobId);

    /** A handle to an actor known by id and node (a deserialized {@code ActorHandle}). */
    ActorRef actorAt(String id, String name, String nodeAddress);

    /**
     * An {@code ObjectRef} owned here is being serialized: while a borrow is in progress (the ref is
     * being sent to another node), keep the object alive until that node releases it.
     *
     * @return this process's address (the owner's)
     */
    String lend(ObjectCell cell);

    /** A ref owned by {@code owner} arrived here: a cell completed from the owner, released when unreachable. */
    ObjectCell borrow(io.tessera.memory.ObjectId id, String owner);

    /**
     * Cancels the work behind a pending cell whose task or actor call this process sent to another
     * node (or whose ref it borrowed from another owner): removed where it is queued, interrupted
     * where it runs; the cell fails with {@code TaskCancelledException}. Nothing for unknown cells.
     */
    void cancel(ObjectCell cell);

    /** The cluster's nodes for the state API, as this member last saw the head's table. */
    java.util.List<io.tessera.state.NodeInfo> nodes();

    /**
     * The counters of this member's transport, for the node's metrics.
     *
     * @return its transport's counters
     */
    io.tessera.transport.TransportCounters transportCounters();

    /**
     * The cluster's nodes alive and dead, for the head's metrics.
     *
     * @return {@code {alive, dead}} on the head; null on other members
     */
    long[] nodeLiveness();

    /**
     * The records of every live node for the state API: the head asks its nodes and merges their answers;
     * any other member asks the head.
     */
    NodeRecords records();

    /** This member's job when it is a driver, else null (a node runs the jobs of others). */
    String jobId();

    @Override
    void close();
}
