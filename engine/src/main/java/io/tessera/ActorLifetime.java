package io.tessera;

/** How long an actor lives (Ray's actor lifetimes); see {@link ActorOptions#lifetime(ActorLifetime)}. */
public enum ActorLifetime
{
    /** The default: the actor dies when the job that created it ends (its driver finished or went away). */
    NON_DETACHED,
    /**
     * The actor outlives the job that created it: it lives until {@link ActorHandle#kill()} (or its node stops); a later
     * job finds it by name with {@link Tessera#getActor(String, String, Class)}. Such an actor must be named.
     */
    DETACHED
}
