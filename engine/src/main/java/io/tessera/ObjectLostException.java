package io.tessera;

/** The object was freed, or lost and could not be re-created. */
public class ObjectLostException extends TesseraException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the object and why it is gone.
     */
    public ObjectLostException(String message)
    {
        super(message);
    }

    /**
     * Creates the exception with what caused it.
     *
     * @param message the object and why it is gone.
     * @param cause   the failure that lost it, e.g. the unreachable holder's error.
     */
    public ObjectLostException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
