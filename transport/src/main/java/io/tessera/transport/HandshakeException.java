package io.tessera.transport;

/**
 * The connection handshake failed: the peer refused us (wrong cluster token, wrong protocol
 * version), could not prove it knows the token itself, or did not answer in time.
 */
public class HandshakeException extends TransportException
{
    /**
     * Creates the exception.
     *
     * @param message which peer and why the handshake failed.
     */
    public HandshakeException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with what caused it.
     *
     * @param message which peer and why the handshake failed.
     * @param cause   the underlying failure (a socket or TLS error), kept as the cause.
     */
    public HandshakeException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
