package io.tessera;

import io.tessera.internal.ApiErrors;
import io.tessera.internal.CallSpec;
import io.tessera.internal.Node;

import java.util.function.Consumer;

/**
 * An actor about to be created: set {@link #options(Consumer)} if needed, then {@link #remote()}.
 *
 * @param <A> the actor's class
 */
public final class ActorCreation<A>
{
    private final Node runtime;
    private final Object constructor;
    private final Object[] args;
    private ActorOptions options;

    ActorCreation(Node runtime, Object constructor, Object[] args)
    {
        this.runtime = runtime;
        this.constructor = constructor;
        this.args = args;
    }

    /**
     * Name, restarts and resources of the actor.
     *
     * @param configure sets the options, e.g. {@code o -> o.name("counter").maxRestarts(2)}.
     * @return this.
     */
    public ActorCreation<A> options(Consumer<ActorOptions> configure)
    {
        if (options == null)
        {
            options = new ActorOptions();
        }
        configure.accept(options);
        return this;
    }

    /**
     * Creates the actor; its constructor runs on a worker, before any of its calls.
     *
     * @return the handle, usable at once (calls queue until the constructor has run).
     * @throws IllegalArgumentException when the name is taken by a live actor
     */
    public ActorHandle<A> remote()
    {
        final CallSpec spec = options == null ? new CallSpec() : options.toSpec();
        try
        {
            return new ActorHandle<>(runtime.createActor(constructor, ObjectRef.unwrap(args), spec));
        }
        catch (RuntimeException ex)
        {
            throw ApiErrors.toApi(ex);
        }
    }
}
