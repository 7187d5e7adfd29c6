package io.tessera.internal;

/** The engine side of an {@code ActorHandle}: an actor on this node, or on another node of the cluster. */
public abstract class ActorRef
{
    protected ActorRef()
    {
    }

    /** Queues a method call; the cell completes with its result. */
    public abstract ObjectCell call(Object method, Object[] args);

    /**
     * Queues a method call for an owner in another process, whose result is known there as
     * {@code resultId} (so a large result is stored here under the owner's id).
     */
    public ObjectCell callForOwner(Object method, Object[] args, io.tessera.memory.ObjectId resultId)
    {
        throw new UnsupportedOperationException("actor " + id() + " is not hosted by this node");
    }

    public abstract void kill();

    /** Cluster-unique id. */
    public abstract String id();

    public abstract String name();

    /** The actor's class when known, else null. */
    public abstract Class<?> actorClass();

    public abstract boolean isAlive();

    /** Transport address of the node hosting the actor, or null when it is this node. */
    public abstract String nodeAddress();
}
