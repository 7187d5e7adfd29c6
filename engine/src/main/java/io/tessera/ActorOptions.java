package io.tessera;

/** Options of an actor; resources override the class's {@link Resources} field by field. */
public final class ActorOptions extends ResourceOptions<ActorOptions>
{
    String name;
    int maxRestarts;
    String namespace;
    ActorLifetime lifetime = ActorLifetime.NON_DETACHED;

    ActorOptions()
    {
    }

    @Override
    io.tessera.internal.CallSpec toSpec()
    {
        final io.tessera.internal.CallSpec spec = super.toSpec();
        spec.name = name;
        spec.maxRestarts = maxRestarts;
        if (lifetime == ActorLifetime.DETACHED && name == null)
        {
            throw new IllegalArgumentException("a detached actor must be named: set ActorOptions.name(...) so a later job "
                + "can find it with Tessera.getActor(name, namespace, type)");
        }
        if (namespace != null && name == null)
        {
            throw new IllegalArgumentException("a namespace is for a named actor: set ActorOptions.name(...) too");
        }
        spec.namespace = namespace;
        spec.detached = lifetime == ActorLifetime.DETACHED;
        return spec;
    }

    /**
     * A name, unique in its namespace, under which {@link Tessera#getActor(String, Class)} finds the actor while it lives.
     *
     * @param name the name, not blank.
     * @return this.
     * @throws IllegalArgumentException when the name is blank
     */
    public ActorOptions name(String name)
    {
        if (name == null || name.isBlank())
        {
            throw new IllegalArgumentException("actor name must not be blank");
        }
        this.name = name;
        return this;
    }

    /**
     * How many times the actor is re-created (its constructor run again) after a system failure; the call
     * that hit the failure fails with {@link ActorDiedException} either way.
     *
     * @param maxRestarts 0 (the default) or more.
     * @return this.
     * @throws IllegalArgumentException when negative
     */
    public ActorOptions maxRestarts(int maxRestarts)
    {
        if (maxRestarts < 0)
        {
            throw new IllegalArgumentException("maxRestarts must be >= 0, got " + maxRestarts);
        }
        this.maxRestarts = maxRestarts;
        return this;
    }

    /**
     * The namespace the named actor is created in, instead of this job's ({@link TesseraConfig#namespace()}).
     *
     * @param namespace the namespace, not blank.
     * @return this.
     * @throws IllegalArgumentException when blank
     */
    public ActorOptions namespace(String namespace)
    {
        this.namespace = TesseraConfig.checkNamespace(namespace);
        return this;
    }

    /**
     * The actor's lifetime: {@link ActorLifetime#NON_DETACHED} (the default) or {@link ActorLifetime#DETACHED}, which
     * outlives the job that created it and must be named (else {@code remote()} throws {@link IllegalArgumentException}).
     *
     * @param lifetime the lifetime, not null.
     * @return this.
     */
    public ActorOptions lifetime(ActorLifetime lifetime)
    {
        this.lifetime = java.util.Objects.requireNonNull(lifetime, "lifetime");
        return this;
    }
}
