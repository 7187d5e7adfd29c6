package io.tessera.internal;

import io.tessera.memory.ObjectId;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;

/**
 * What the public API ({@code io.tessera}) asks of the process's node; {@link LocalRuntime} is the
 * one implementation, so calls through this interface stay monomorphic. {@link CurrentNode} holds
 * the running one. Names no type that names the public API's classes back (no import cycle).
 */
public interface Node extends AutoCloseable
{
    /** The state API of this node, or of its cluster when it is part of one ({@code Tessera.state()}). */
    io.tessera.state.ClusterState state();

    /** The job this process runs as: a driver's cluster job, or an embedded node's own (one run, one job). */
    String jobId();

    /** This node's id, e.g. {@code node-4711-0a1b2c3d}. */
    String nodeId();

    /** This process's transport address, HOST:PORT, or null when it is not part of a cluster. */
    String address();

    /** Submits a task; the returned cell completes with its result. */
    ObjectCell submitTask(Object fn, Object[] args, CallSpec spec);

    /** Creates an actor (here, or on another node of the cluster). */
    ActorRef createActor(Object constructor, Object[] args, CallSpec spec);

    /** Puts a value into the object store. */
    ObjectCell put(Object value);

    /** Waits (forever when timeoutNs < 0) and returns the value, or throws the failure. */
    Object get(ObjectCell cell, long timeoutNs);

    /** A read-only zero-copy view of the object's bytes in the store. */
    MemorySegment segment(ObjectCell cell, long timeoutNs);

    /** Waits until every cell is done or any has failed; returns the first failed cell, or null. */
    ObjectCell awaitAllOrFirstFailure(List<ObjectCell> cells);

    /** Waits until {@code n} cells are done or the timeout passes; returns the done flags. */
    boolean[] waitFor(List<ObjectCell> cells, int n, long timeoutNs);

    /** Frees an object now. */
    void free(ObjectCell cell);

    /** Cancels the task that produces {@code cell}. */
    void cancel(ObjectCell cell);

    /** A live actor registered under {@code name} in {@code namespace}, here or anywhere in the cluster. */
    Optional<ActorRef> namedActor(String namespace, String name);

    /**
     * The namespace named actors are created in and looked up in now: that of the job the running task or actor call
     * belongs to, else this process's ({@link io.tessera.TesseraConfig#namespace()}, or an anonymous one of its own).
     */
    String namespace();

    /** An actor by id: this node's, or a handle to the node that hosts it; null when unknown. */
    ActorRef actorById(String id, String name, String nodeAddress);

    /**
     * An {@code ObjectRef} is being serialized: remember its cell, and keep the object alive for the
     * node it is being sent to.
     *
     * @return the owner's address, or null outside a cluster
     */
    String lend(ObjectCell cell);

    /** An {@code ObjectRef} is being deserialized: this process's cell, or a borrow from its owner. */
    ObjectCell borrow(ObjectId id, String owner);

    /** Stops the node and frees its shared memory; idempotent. */
    @Override
    void close();
}
