package io.tessera;

/**
 * Root of every unchecked exception Tessera's API ({@code io.tessera}) throws. Messages name the offending value and
 * what would have been valid. A failure of a lower module (the object store, the scheduler, the transport, the GPU
 * module, each with its own root exception in its own package) reaches the user as a {@code TesseraException} with
 * the same message and that failure as its cause; {@link ObjectStoreException} and its subtypes for the store.
 */
public class TesseraException extends RuntimeException
{
    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the offending value and what would have been valid.
     */
    public TesseraException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with the failure that caused it.
     *
     * @param message what went wrong, naming the offending value and what would have been valid.
     * @param cause   the underlying failure, kept as the cause.
     */
    public TesseraException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
