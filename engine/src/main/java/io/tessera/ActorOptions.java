package io.tessera;

/** Options of an actor; resources override the class's {@link Resources} field by field. */
public final class ActorOptions extends ResourceOptions<ActorOptions>
{
    String name;
    int maxRestarts;

    ActorOptions()
    {
    }

    @Override
    io.tessera.internal.CallSpec toSpec()
    {
        final io.tessera.internal.CallSpec spec = super.toSpec();
        spec.name = name;
        spec.maxRestarts = maxRestarts;
        return spec;
    }

    /**
     * A cluster-unique name under which {@link Tessera#getActor(String, Class)} finds the actor while it lives.
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
}
