package io.tessera;

/** The task or actor call was cancelled before it produced a value. */
public class TaskCancelledException extends TesseraException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the task that was cancelled.
     */
    public TaskCancelledException(String message)
    {
        super(message);
    }

    /**
     * Creates the exception with what caused it.
     *
     * @param message the task that was cancelled.
     * @param cause   the underlying failure, kept as the cause.
     */
    public TaskCancelledException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
