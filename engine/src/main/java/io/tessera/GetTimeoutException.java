package io.tessera;

/** A {@code get} with a timeout found the object still not ready. */
public class GetTimeoutException extends TesseraException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the object and how long was waited.
     */
    public GetTimeoutException(String message)
    {
        super(message);
    }

    /**
     * Creates the exception with what caused it.
     *
     * @param message the object and how long was waited.
     * @param cause   the underlying failure, kept as the cause.
     */
    public GetTimeoutException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
