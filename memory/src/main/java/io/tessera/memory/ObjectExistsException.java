package io.tessera.memory;

import io.tessera.TesseraException;

/**
 * An object with this id is already in the store (created, sealed or spilled).
 */
public class ObjectExistsException extends TesseraException
{
    public ObjectExistsException(final String message)
    {
        super(message);
    }

    public ObjectExistsException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
