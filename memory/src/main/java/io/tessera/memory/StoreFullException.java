package io.tessera.memory;

/**
 * No space could be made: every candidate is pinned or unsealed, the object table is full, or spilling to disk failed.
 */
public class StoreFullException extends StoreException
{
    /**
     * Creates the exception.
     *
     * @param message what was asked for and why no space could be made.
     */
    public StoreFullException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with the failure that caused it.
     *
     * @param message what was asked for and why no space could be made.
     * @param cause   the underlying failure, kept as the cause.
     */
    public StoreFullException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
