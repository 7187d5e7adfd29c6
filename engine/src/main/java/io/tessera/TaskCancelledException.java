package io.tessera;

/** The task or actor call was cancelled before it produced a value. */
public class TaskCancelledException extends TesseraException {
    private static final long serialVersionUID = 1L;

    public TaskCancelledException(String message) {
        super(message);
    }

    public TaskCancelledException(String message, Throwable cause) {
        super(message, cause);
    }
}
