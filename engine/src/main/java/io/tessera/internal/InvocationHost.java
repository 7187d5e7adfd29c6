package io.tessera.internal;

import io.tessera.ActorDiedException;
import io.tessera.scheduler.LocalScheduler;

import java.lang.foreign.MemorySegment;

/**
 * What an {@link Invocation} needs from the node running it: where its result goes, its arguments'
 * values, and the actor tables it reports deaths to. {@link LocalRuntime} is the one implementation.
 * Names no {@code Invocation}, so the classes that make invocations may be named by none of them.
 */
interface InvocationHost
{
    /** Ids of this node's tasks start with it. */
    long idPrefix();

    String nodeId();

    LocalScheduler scheduler();

    /** Whether the node has been shut down (a failed attempt is not retried then). */
    boolean isClosed();

    /** Completes a result: large raw values go into the store, the rest stays inline. */
    void complete(ObjectCell result, Object value);

    /** The value of a completed argument cell; throws its failure. */
    Object valueOf(ObjectCell cell);

    /** The bytes of a ready object in the store (materialised there first), for GPU argument copies. */
    MemorySegment segment(ObjectCell cell, long timeoutNs);

    GpuObjects gpuObjects();

    /** The node's system metrics (what its invocations count and time). */
    io.tessera.internal.metrics.NodeMetrics metrics();

    /** This node's task records. */
    TaskRecords taskRecords();

    /** The job the tasks run here belong to. */
    String jobId();

    /** The namespace of named actors now (see {@link Node#namespace()}). */
    String namespace();

    /** The actor died for good: fail its running and queued calls. */
    void actorDied(ActorRecord actor, ActorDiedException cause);

    /** A method hit a system failure: restart the actor in place or let it die. */
    void actorCrashed(ActorRecord actor, Throwable failure);
}
