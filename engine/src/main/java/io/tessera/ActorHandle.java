package io.tessera;

import io.tessera.internal.ActorRef;
import io.tessera.internal.ApiErrors;
import io.tessera.internal.CurrentNode;
import io.tessera.internal.Node;

import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;

/**
 * A handle to an actor: call its methods with {@code task(Counter::add, 5).remote()}; calls run one
 * at a time, in call order. Handles are serializable: pass them to tasks and other actors.
 *
 * @param <A> the actor's class
 */
public final class ActorHandle<A> extends ActorMethods<A> implements Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;

    /** The actor's unique id: what the handle is, wherever it is deserialized. */
    private final String id;
    /** The name it was created with, or null. */
    private final String name;
    /** HOST:PORT of the process that owns the actor, where calls from other nodes go. */
    private final String nodeAddress;
    private final transient ActorRef actor;

    ActorHandle(ActorRef actor)
    {
        this.id = actor.id();
        this.name = actor.name();
        this.nodeAddress = actor.nodeAddress() != null ? actor.nodeAddress() : localAddress();
        this.actor = actor;
    }

    /** The transport address of the running node, or null when it is not part of a cluster. */
    private static String localAddress()
    {
        final Node node = CurrentNode.orNull();
        return node == null ? null : node.address();
    }

    @Override
    <R> ActorCall<R> newCall(Object method, Object[] args)
    {
        return new ActorCall<>(ref(), method, args);
    }

    private ActorRef ref()
    {
        if (actor == null)
        {
            throw new ActorDiedException("actor #" + id + " is not known on this node");
        }
        return actor;
    }

    /** Kills the actor for good (no restart): the call in flight and those queued fail with {@link ActorDiedException}. */
    public void kill()
    {
        try
        {
            ref().kill();
        }
        catch (RuntimeException ex)
        {
            throw ApiErrors.toApi(ex);
        }
    }

    /**
     * The name the actor was created with ({@link ActorOptions#name}).
     *
     * @return the name, or null for an unnamed actor.
     */
    public String name()
    {
        return name;
    }

    /**
     * The actor's unique id, the same in every process that holds a handle to it.
     *
     * @return the id.
     */
    public String id()
    {
        return id;
    }

    /**
     * Reconnects a deserialized handle to the actor: the live actor this process knows under its id, or a
     * proxy calling the owner at {@code nodeAddress}.
     *
     * @return the live handle, or this one when Tessera is not initialized here.
     * @throws ObjectStreamException never; declared by the serialization contract.
     */
    @Serial
    private Object readResolve() throws ObjectStreamException
    {
        final Node rt = CurrentNode.orNull();
        final ActorRef live = rt == null ? null : rt.actorById(id, name, nodeAddress);
        return live != null ? new ActorHandle<>(live) : this;
    }

    @Override
    public boolean equals(Object o)
    {
        return o instanceof ActorHandle<?> h && h.id.equals(id);
    }

    @Override
    public int hashCode()
    {
        return id.hashCode();
    }

    @Override
    public String toString()
    {
        return "ActorHandle(" + (actor != null ? actor : id()) + ')';
    }
}
