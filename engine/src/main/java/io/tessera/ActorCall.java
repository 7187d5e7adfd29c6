package io.tessera;

import io.tessera.internal.ActorRef;
import io.tessera.internal.ApiErrors;

/**
 * An actor method call about to be submitted: {@link #remote()} queues it behind the actor's earlier calls.
 *
 * @param <R> the method's result type
 */
public final class ActorCall<R>
{
    private final ActorRef actor;
    private final Object method;
    private final Object[] args;

    ActorCall(ActorRef actor, Object method, Object[] args)
    {
        this.actor = actor;
        this.method = method;
        this.args = args;
    }

    /**
     * Submits the call; it runs after the actor's earlier calls, one at a time. A call on a dead actor gives
     * a ref that fails with {@link ActorDiedException}.
     *
     * @return a ref to the method's result.
     */
    public ObjectRef<R> remote()
    {
        try
        {
            return new ObjectRef<>(actor.call(method, ObjectRef.unwrap(args)));
        }
        catch (RuntimeException ex)
        {
            throw ApiErrors.toApi(ex);
        }
    }
}
