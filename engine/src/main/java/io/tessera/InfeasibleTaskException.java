package io.tessera;

/** No node can ever satisfy the request; the message names the missing resource. */
public class InfeasibleTaskException extends TesseraException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the request and the resource no node has enough of.
     */
    public InfeasibleTaskException(String message)
    {
        super(message);
    }

    /**
     * Creates the exception with what caused it.
     *
     * @param message the request and the resource no node has enough of.
     * @param cause   the underlying failure, kept as the cause.
     */
    public InfeasibleTaskException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
