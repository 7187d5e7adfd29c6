package io.tessera.state;

/** Where a task is in its life. */
public enum TaskStatus
{
    /** Submitted; some argument is not ready yet. */
    WAITING_FOR_ARGS,
    /** Arguments ready; waiting for a node with the resources it asks for. */
    WAITING_FOR_RESOURCES,
    /** Running on a worker thread. */
    RUNNING,
    /** Returned a value. */
    FINISHED,
    /** Threw (after its retries); {@link TaskInfo#error()} says what. */
    FAILED,
    /** Cancelled before it finished. */
    CANCELLED
}
