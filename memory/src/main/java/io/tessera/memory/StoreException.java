package io.tessera.memory;

/**
 * Root of the object store's failures: bad input, an object in the wrong state, a full store, a store file
 * that cannot be opened. Messages name the offending value and what would have been valid. Through the engine's
 * API ({@code io.tessera}) a store failure reaches the user as a {@code TesseraException} with this as its cause.
 */
public class StoreException extends RuntimeException
{
    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the offending value and what would have been valid.
     */
    public StoreException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with the failure that caused it.
     *
     * @param message what went wrong, naming the offending value and what would have been valid.
     * @param cause   the underlying failure, kept as the cause.
     */
    public StoreException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
