package io.tessera;

/** A {@code get} with a timeout found the object still not ready. */
public class GetTimeoutException extends TesseraException {
    private static final long serialVersionUID = 1L;

    public GetTimeoutException(String message) {
        super(message);
    }

    public GetTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
