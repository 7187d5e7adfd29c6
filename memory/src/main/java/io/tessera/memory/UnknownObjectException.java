package io.tessera.memory;

import io.tessera.TesseraException;

/**
 * The id names no object in the store (never created, already deleted, aborted or evicted as a secondary copy).
 */
public class UnknownObjectException extends TesseraException
{
    public UnknownObjectException(final String message)
    {
        super(message);
    }

    public UnknownObjectException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
