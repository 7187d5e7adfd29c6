package io.tessera.transport;

/**
 * The peer answered a request with an error reply ({@link Connection#replyError}); the message is
 * the peer's.
 */
public class RemoteException extends TransportException
{
    /**
     * Creates the exception.
     *
     * @param message the peer's error message, as it sent it.
     */
    public RemoteException(final String message)
    {
        super(message);
    }
}
