package io.tessera;

/**
 * The object store refused a call the API made for the user (a put, a get of stored bytes, a store that cannot be
 * opened at {@link Tessera#init}). The message is the store's; the cause is the store's own exception
 * ({@code io.tessera.memory.StoreException} or a subtype).
 */
public class ObjectStoreException extends TesseraException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what the store refused and why, as the store said it.
     * @param cause   the store's exception.
     */
    public ObjectStoreException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
