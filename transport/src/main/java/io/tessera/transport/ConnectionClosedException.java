package io.tessera.transport;

/**
 * The connection closed before a request got its reply, or a message was sent on a closed
 * connection.
 */
public class ConnectionClosedException extends TransportException
{
    /**
     * Creates the exception.
     *
     * @param message which connection closed and what was waiting on it.
     */
    public ConnectionClosedException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with what caused it.
     *
     * @param message which connection closed and what was waiting on it.
     * @param cause   the underlying failure (a socket or TLS error), kept as the cause.
     */
    public ConnectionClosedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
