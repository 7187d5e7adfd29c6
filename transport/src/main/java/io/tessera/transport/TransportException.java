package io.tessera.transport;

import io.tessera.TesseraException;

/**
 * Root of the transport's failures: misuse (bad message type, closed connection), unavailable
 * transport kinds, bind and connect failures.
 */
public class TransportException extends TesseraException
{
    public TransportException(final String message)
    {
        super(message);
    }

    public TransportException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
