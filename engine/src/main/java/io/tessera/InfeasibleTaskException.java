package io.tessera;

/** No node can ever satisfy the request; the message names the missing resource. */
public class InfeasibleTaskException extends TesseraException {
    private static final long serialVersionUID = 1L;

    public InfeasibleTaskException(String message) {
        super(message);
    }

    public InfeasibleTaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
