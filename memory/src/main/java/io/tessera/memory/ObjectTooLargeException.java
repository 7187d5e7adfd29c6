package io.tessera.memory;

import io.tessera.TesseraException;

/**
 * The requested size can never fit: it exceeds the store's data capacity.
 */
public class ObjectTooLargeException extends TesseraException
{
    public ObjectTooLargeException(final String message)
    {
        super(message);
    }

    public ObjectTooLargeException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
