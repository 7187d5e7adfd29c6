package io.tessera;

/** The object was freed, or lost and could not be re-created. */
public class ObjectLostException extends TesseraException {
    private static final long serialVersionUID = 1L;

    public ObjectLostException(String message) {
        super(message);
    }

    public ObjectLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
