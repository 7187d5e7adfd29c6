package io.tessera.transport;

/**
 * The connection handshake failed: the peer refused us (wrong cluster token, wrong protocol
 * version), could not prove it knows the token itself, or did not answer in time.
 */
public class HandshakeException extends TransportException
{
    public HandshakeException(final String message)
    {
        super(message);
    }

    public HandshakeException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
