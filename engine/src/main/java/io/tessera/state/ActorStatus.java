package io.tessera.state;

/** Where an actor is in its life. */
public enum ActorStatus
{
    /** Created; waiting for a node or for its constructor to run. */
    PENDING,
    /** Constructed and taking calls. */
    ALIVE,
    /** Its node or process died; being constructed again. */
    RESTARTING,
    /** Gone for good; {@link ActorInfo#deathCause()} says why. */
    DEAD
}
