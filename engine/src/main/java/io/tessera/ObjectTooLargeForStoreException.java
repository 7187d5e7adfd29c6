package io.tessera;

/**
 * The object can never fit: it is larger than the object store's whole capacity
 * ({@link TesseraConfig.Builder#objectStoreBytes}). The cause is the store's
 * {@code io.tessera.memory.ObjectTooLargeException}.
 */
public class ObjectTooLargeForStoreException extends ObjectStoreException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the object's size and the store's capacity, as the store said it.
     * @param cause   the store's exception.
     */
    public ObjectTooLargeForStoreException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
