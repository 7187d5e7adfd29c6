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

    private final Reason reason;

    public ObjectTransferException(final Reason reason, final String message)
    {
        super(message);
        this.reason = reason;
    }

    public ObjectTransferException(final Reason reason, final String message, final Throwable cause)
    {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason()
    {
        return reason;
    }
}
