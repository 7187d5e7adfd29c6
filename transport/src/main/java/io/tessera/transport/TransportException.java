package io.tessera.transport;

import io.tessera.TesseraException;

/**
 * Root of the transport's failures: misuse (bad message type, closed connection), unavailable
 * transport kinds, bind and connect failures.
 */
public class TransportException extends TesseraException
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
