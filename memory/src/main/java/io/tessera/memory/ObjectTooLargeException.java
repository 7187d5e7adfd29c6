package io.tessera.memory;

/**
 * The requested size can never fit: it exceeds the store's data capacity.
 */
public class ObjectTooLargeException extends StoreException
{
    /**
     * Creates the exception.
     *
     * @param message the size asked for and the store's data capacity.
     */
    public ObjectTooLargeException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with the failure that caused it.
     *
     * @param message the size asked for and the store's data capacity.
     * @param cause   the underlying failure, kept as the cause.
     */
    public ObjectTooLargeException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
