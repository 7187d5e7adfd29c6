package io.tessera.scheduler;

import io.tessera.TesseraException;

/**
 * Bad input to the scheduler (a negative amount, a task submitted twice) or the reason a task was
 * abandoned because no node resource total could ever satisfy it.
 */
public class SchedulerException extends TesseraException
{
    public SchedulerException(final String message)
    {
        super(message);
    }
}
