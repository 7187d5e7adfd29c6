package io.tessera.transport;

/**
 * Puller side of one object stream: the byte range one holder sends over one connection. Registered
 * by the pulling thread, then touched only by the connection's event loop.
 */
final class ReceiveStream
{
    final PullOperation operation;
    final ChannelConnection connection;
    final long streamId;
    final long start;
    final long end;
    final long creditBatch;
    long next;
    long unacknowledged;

    ReceiveStream(final PullOperation operation, final ChannelConnection connection, final long streamId,
        final long start, final long end, final long creditBatch)
    {
        this.operation = operation;
        this.connection = connection;
        this.streamId = streamId;
        this.start = start;
        this.end = end;
        this.creditBatch = creditBatch;
        this.next = start;
    }
}
