package io.tessera.memory;

/**
 * The store file cannot be used: missing, deleted, closed by its owner, or written with another magic or layout version.
 */
public class IncompatibleStoreException extends StoreException
{
    /**
     * Creates the exception.
     *
     * @param message which store file and why it cannot be used (its path, and the magic or version found).
     */
    public IncompatibleStoreException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with the failure that caused it.
     *
     * @param message which store file and why it cannot be used (its path, and the magic or version found).
     * @param cause   the underlying failure, kept as the cause.
     */
    public IncompatibleStoreException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
