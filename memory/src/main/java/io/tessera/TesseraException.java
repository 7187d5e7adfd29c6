package io.tessera;

/**
 * Root of every unchecked exception Tessera throws. Messages name the offending value and what
 * would have been valid.
 */
public class TesseraException extends RuntimeException
{
    public TesseraException(final String message)
    {
        super(message);
    }

    public TesseraException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
