package io.tessera.internal.cluster;

import io.tessera.internal.ActorRef;
import io.tessera.internal.ObjectCell;

/**
 * What an owner's remote actors need from the {@link Owner} that made them: where work goes,
 * the jobs it ships, its argument handling and result tracking.
 */
interface TaskOwner
{
    Placement placement();

    JobShipping jobs();

    /** Arguments as sent: small values inline, large ones put in the store. */
    Object[] prepareArgs(Object[] args);

    /** Remembers where {@code result}'s work goes until it is done, so that cancel can reach it. */
    Sent track(ObjectCell result, String what);

    /** Completes {@code cell} from a result message (a value, where it is held, or an error). */
    void completeFrom(ObjectCell cell, Wire.In in, int tag, String from, String name, RemoteTask made);

    /** An actor of ours is gone for good. */
    void forget(ActorRef a);
}
