package io.tessera.memory;

/**
 * An object with this id is already in the store (created, sealed or spilled).
 */
public class ObjectExistsException extends StoreException
{
    /**
     * Creates the exception.
     *
     * @param message the id that is taken, and in which state the existing object is.
     */
    public ObjectExistsException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with the failure that caused it.
     *
     * @param message the id that is taken, and in which state the existing object is.
     * @param cause   the underlying failure, kept as the cause.
     */
    public ObjectExistsException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
