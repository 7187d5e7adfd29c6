package io.tessera.scheduler;

/**
 * Bad input to the scheduler (a negative amount, a task submitted twice) or the reason a task was
 * abandoned because no node resource total could ever satisfy it. The scheduler's root exception; through the
 * engine's API ({@code io.tessera}) it reaches the user as a {@code TesseraException} with this as its cause.
 */
public class SchedulerException extends RuntimeException
{
    /**
     * Creates the exception.
     *
     * @param message the bad value and what would have been valid, or why the task can never run.
     */
    public SchedulerException(final String message)
    {
        super(message);
    }
}
