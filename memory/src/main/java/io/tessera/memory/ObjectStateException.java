package io.tessera.memory;

import io.tessera.TesseraException;

/**
 * The object exists but is in the wrong state for the call (double seal, seal of an aborted object, delete of an unsealed one, write after seal).
 */
public class ObjectStateException extends TesseraException
{
    public ObjectStateException(final String message)
    {
        super(message);
    }

    public ObjectStateException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
