package io.tessera;

/** A task or actor method threw: {@link #getCause()} is the original exception, its type, message and stack trace kept. */
public class TaskException extends TesseraException {
    private static final long serialVersionUID = 1L;

    public TaskException(String message) {
        super(message);
    }

    public TaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
