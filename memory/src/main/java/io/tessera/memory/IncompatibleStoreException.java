package io.tessera.memory;

import io.tessera.TesseraException;

/**
 * The store file cannot be used: missing, deleted, closed by its owner, or written with another magic or layout version.
 */
public class IncompatibleStoreException extends TesseraException
{
    public IncompatibleStoreException(final String message)
    {
        super(message);
    }

    public IncompatibleStoreException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
