package io.tessera;

/**
 * Root of every unchecked exception Tessera throws. Messages name the offending value and what
 * would have been valid.
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
