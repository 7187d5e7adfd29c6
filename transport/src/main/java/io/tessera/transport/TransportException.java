package io.tessera.transport;

/**
 * Root of the transport's failures: misuse (bad message type, closed connection), unavailable
 * transport kinds, bind and connect failures. Through the engine's API ({@code io.tessera}) it reaches the user as a
 * {@code TesseraException} with this as its cause.
 */
public class TransportException extends RuntimeException
{
    /**
     * Creates the exception.
     *
     * @param message what failed, naming the peer or address.
     */
    public TransportException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with what caused it.
     *
     * @param message what failed, naming the peer or address.
     * @param cause   the underlying failure (a socket or TLS error), kept as the cause.
     */
    public TransportException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
