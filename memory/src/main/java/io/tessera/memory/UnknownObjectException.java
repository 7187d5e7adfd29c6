package io.tessera.memory;

/**
 * The id names no object in the store (never created, already deleted, aborted or evicted as a secondary copy).
 */
public class UnknownObjectException extends StoreException
{
    /**
     * Creates the exception.
     *
     * @param message the id that names no object.
     */
    public UnknownObjectException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with the failure that caused it.
     *
     * @param message the id that names no object.
     * @param cause   the underlying failure, kept as the cause.
     */
    public UnknownObjectException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
