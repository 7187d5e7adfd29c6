package io.tessera;

/**
 * No space could be made in the object store for the object: everything else in it is in use (pinned or being
 * written), or spilling to disk failed. It may succeed once other objects are freed; the cause is the store's
 * {@code io.tessera.memory.StoreFullException}.
 */
public class ObjectStoreFullException extends ObjectStoreException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was asked for and why no space could be made, as the store said it.
     * @param cause   the store's exception.
     */
    public ObjectStoreFullException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
