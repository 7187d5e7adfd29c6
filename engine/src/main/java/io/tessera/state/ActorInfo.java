package io.tessera.state;

/**
 * One actor.
 *
 * @param id         the actor's id
 * @param className  the actor's class, fully qualified
 * @param name       its registered name; null when it has none
 * @param state      where it is in its life
 * @param nodeId     the node it lives on; null while pending
 * @param jobId      the job that created it
 * @param restarts   how many times it was constructed again after a failure
 * @param deathCause why it died, when {@link ActorStatus#DEAD}; null otherwise
 * @param namespace  the namespace of its name; null when it has no name
 */
public record ActorInfo(String id, String className, String name, ActorStatus state, String nodeId, String jobId,
                        int restarts, String deathCause, String namespace)
{
    /**
     * An actor without a namespace (as before namespaces).
     *
     * @param id         the actor's id
     * @param className  the actor's class, fully qualified
     * @param name       its registered name; null when it has none
     * @param state      where it is in its life
     * @param nodeId     the node it lives on; null while pending
     * @param jobId      the job that created it
     * @param restarts   how many times it was constructed again after a failure
     * @param deathCause why it died, when {@link ActorStatus#DEAD}; null otherwise
     */
    public ActorInfo(String id, String className, String name, ActorStatus state, String nodeId, String jobId, int restarts,
                     String deathCause)
    {
        this(id, className, name, state, nodeId, jobId, restarts, deathCause, null);
    }
}
