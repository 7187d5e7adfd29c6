package io.tessera.transport;

/**
 * The connection closed before a request got its reply, or a message was sent on a closed
 * connection.
 */
public class ConnectionClosedException extends TransportException
{
    public ConnectionClosedException(final String message)
    {
        super(message);
    }

    public ConnectionClosedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
