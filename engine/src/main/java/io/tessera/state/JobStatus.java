package io.tessera.state;

/** Where a job (one driver's run) is in its life. */
public enum JobStatus
{
    /** Its driver is connected. */
    RUNNING,
    /** Its driver ended, or went away and its grace period ran out. */
    FINISHED,
    /** Its driver exited with a failure (jobs submitted through the jobs API). */
    FAILED
}
