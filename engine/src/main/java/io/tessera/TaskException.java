package io.tessera;

/** A task or actor method threw: {@link #getCause()} is the original exception, its type, message and stack trace kept. */
public class TaskException extends TesseraException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the task and the exception it threw.
     */
    public TaskException(String message)
    {
        super(message);
    }

    /**
     * Creates the exception with what caused it.
     *
     * @param message the task and the exception it threw.
     * @param cause   the task's own exception, with its type, message and stack trace.
     */
    public TaskException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
