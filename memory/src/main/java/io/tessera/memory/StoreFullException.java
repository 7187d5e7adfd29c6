package io.tessera.memory;

import io.tessera.TesseraException;

/**
 * No space could be made: every candidate is pinned or unsealed, the object table is full, or spilling to disk failed.
 */
public class StoreFullException extends TesseraException
{
    public StoreFullException(final String message)
    {
        super(message);
    }

    public StoreFullException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
