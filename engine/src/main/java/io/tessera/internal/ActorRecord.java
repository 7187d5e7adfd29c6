package io.tessera.internal;

import io.tessera.ActorDiedException;
import io.tessera.scheduler.Mailbox;

/**
 * An actor on this node: its mailbox (calls run one at a time, in order, on shared workers), the
 * live instance, and how it died. Restarts happen inside the mailbox's order, so {@link #restarts}
 * is only touched by the one worker running the actor at a time.
 */
final class ActorRecord
{
    final long id;
    private final String idString;
    final String name;
    /** The namespace of a named actor (set before it is published), else null. */
    String namespace;
    final Class<?> actorClass;
    final Object constructor;
    final Object[] constructorArgs;
    final FnInfo constructorInfo;
    final int maxRestarts;
    /** The name the state API shows: its registered name, or the one the head's table holds for it. */
    final String label;
    /** The job that created it; null for this node's own job. */
    final String jobId;
    int restarts;
    volatile Mailbox mailbox;
    /** The result of the call running now, failed with the actor's death if it dies meanwhile. */
    volatile ObjectCell running;
    /** True while a crashed actor is being constructed again. */
    volatile boolean restarting;
    private volatile Object instance;
    private volatile ActorDiedException death;

    ActorRecord(long prefix, long id, String name, Class<?> actorClass, Object constructor, Object[] constructorArgs,
                FnInfo constructorInfo, int maxRestarts, String label, String jobId)
    {
        this.label = label;
        this.jobId = jobId;
        this.id = id;
        this.idString = Long.toHexString(prefix) + "-" + Long.toHexString(id);
        this.name = name;
        this.actorClass = actorClass;
        this.constructor = constructor;
        this.constructorArgs = constructorArgs;
        this.constructorInfo = constructorInfo;
        this.maxRestarts = maxRestarts;
    }

    void started(Object newInstance)
    {
        instance = newInstance;
    }

    Object instanceOrThrow()
    {
        final ActorDiedException d = death;
        if (d != null)
        {
            throw d;
        }
        final Object i = instance;
        if (i == null)
        {
            throw new ActorDiedException("actor " + describe() + " has no live instance");
        }
        return i;
    }

    Object instance()
    {
        return instance;
    }

    /** Marks the actor dead; false when it already was. */
    synchronized boolean die(ActorDiedException cause)
    {
        if (death != null)
        {
            return false;
        }
        death = cause;
        instance = null;
        return true;
    }

    ActorDiedException death()
    {
        return death;
    }

    boolean isAlive()
    {
        return death == null;
    }

    String idString()
    {
        return idString;
    }

    /** The actor as the state API lists it. */
    io.tessera.state.ActorInfo info(String nodeId, String jobId)
    {
        final ActorDiedException d = death;
        final io.tessera.state.ActorStatus state = d != null ? io.tessera.state.ActorStatus.DEAD
            : restarting ? io.tessera.state.ActorStatus.RESTARTING
            : instance != null ? io.tessera.state.ActorStatus.ALIVE : io.tessera.state.ActorStatus.PENDING;
        final String cls = actorClass != null ? actorClass.getName() : constructorInfo.name;
        return new io.tessera.state.ActorInfo(idString, cls, label, state, nodeId, this.jobId != null ? this.jobId : jobId, restarts,
            d == null ? null : TaskRecords.oneLine(d), label != null ? namespace : null);
    }

    String describe()
    {
        final String cls = actorClass != null ? actorClass.getSimpleName() : constructorInfo.name;
        return (name != null ? "'" + name + "' (" + cls + ")" : cls) + " #" + idString();
    }
}
