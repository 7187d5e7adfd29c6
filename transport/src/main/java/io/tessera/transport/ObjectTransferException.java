package io.tessera.transport;

/**
 * An object pull failed. The half-written object, if one was created, has been aborted: it is not
 * visible in the receiving store. {@link #reason()} says what went wrong.
 */
public class ObjectTransferException extends TransportException
{
    /**
     * Why a pull failed.
     */
    public enum Reason
    {
        /** A holder does not have the object (never had it, deleted or evicted). */
        UNKNOWN_OBJECT,
        /** The receiving store cannot hold the object (full of pinned objects, or object too large). */
        STORE_FULL,
        /** The receiving store already has an object with that id being written. */
        ALREADY_EXISTS,
        /** A holder's connection closed (peer died, network failure) before all bytes arrived. */
        PEER_CLOSED,
        /** A holder sent something the protocol does not allow, or failed internally. */
        PROTOCOL,
        /** The caller cancelled the pull's future. */
        CANCELLED
    }

    /** Why the pull failed; part of the serialized form. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason  why the pull failed.
     * @param message the object, the holder and what happened.
     */
    public ObjectTransferException(final Reason reason, final String message)
    {
        super(message);
        this.reason = reason;
    }

    /**
     * Creates the exception with what caused it.
     *
     * @param reason  why the pull failed.
     * @param message the object, the holder and what happened.
     * @param cause   the underlying failure, e.g. the store's exception.
     */
    public ObjectTransferException(final Reason reason, final String message, final Throwable cause)
    {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * Why the pull failed, for callers that retry some reasons (another holder after {@code PEER_CLOSED}).
     *
     * @return the reason.
     */
    public Reason reason()
    {
        return reason;
    }
}
