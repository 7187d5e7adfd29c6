package io.tessera.scheduler;

import io.tessera.TesseraException;

/**
 * Bad input to the scheduler (a negative amount, a task submitted twice) or the reason a task was
 * abandoned because no node resource total could ever satisfy it.
 */
public class SchedulerException extends TesseraException
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
