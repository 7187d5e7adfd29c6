package io.tessera.memory;

/**
 * The object exists but is in the wrong state for the call (double seal, seal of an aborted object, delete of an
 * unsealed one, write after seal).
 */
public class ObjectStateException extends StoreException
{
    /**
     * Creates the exception.
     *
     * @param message the object, its state, and the call that state refuses.
     */
    public ObjectStateException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with the failure that caused it.
     *
     * @param message the object, its state, and the call that state refuses.
     * @param cause   the underlying failure, kept as the cause.
     */
    public ObjectStateException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
