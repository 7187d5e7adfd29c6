package io.tessera.scheduler;

/**
 * What {@link LocalScheduler#cancel(Task)} did.
 */
public enum CancelOutcome
{
    /** The task was queued or waiting; it will never run and {@link Task#abandoned} is not called. */
    REMOVED,
    /** The task was running; its worker thread was interrupted. */
    INTERRUPTED,
    /** The task had finished, was already cancelled or abandoned, or was never submitted here. */
    NOT_FOUND
}
