package io.tessera.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one endpoint (a server with its outbound connections, or a client), readable at any
 * time from any thread. Bytes are counted as they cross the socket, frames when fully decoded or
 * written.
 */
public final class TransportCounters
{
    private final LongAdder framesIn = new LongAdder();
    private final LongAdder framesOut = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder rejectedHandshakes = new LongAdder();
    private final LongAdder malformedFrames = new LongAdder();
    private final LongAdder objectsServed = new LongAdder();
    private final LongAdder objectsPulled = new LongAdder();
    private final LongAdder directReadBytes = new LongAdder();
    private final LongAdder messageFlushes = new LongAdder();

    TransportCounters()
    {
    }

    /**
     * Frames received, on every connection of the endpoint.
     *
     * @return the count since the endpoint started.
     */
    public long framesIn()
    {
        return framesIn.sum();
    }

    /**
     * Frames sent, on every connection of the endpoint.
     *
     * @return the count since the endpoint started.
     */
    public long framesOut()
    {
        return framesOut.sum();
    }

    /**
     * Bytes received, frame headers included.
     *
     * @return the count since the endpoint started.
     */
    public long bytesIn()
    {
        return bytesIn.sum();
    }

    /**
     * Bytes sent, frame headers included.
     *
     * @return the count since the endpoint started.
     */
    public long bytesOut()
    {
        return bytesOut.sum();
    }

    /**
     * Returns peers refused during the handshake: wrong token, wrong protocol version, bad magic, timeout,
     * or a peer that failed to prove the token to us.
     *
     * @return peers refused during the handshake: wrong token, wrong protocol version, bad magic,
     * timeout, or a peer that failed to prove the token to us.
     */
    public long rejectedHandshakes()
    {
        return rejectedHandshakes.sum();
    }

    /**
     * Returns connections closed because a frame broke the protocol (bad length, unknown reserved type,
     * truncated body, reserved bits set).
     *
     * @return connections closed because a frame broke the protocol (bad length, unknown reserved
     * type, truncated body, reserved bits set).
     */
    public long malformedFrames()
    {
        return malformedFrames.sum();
    }

    /**
     * Returns object byte ranges fully sent to pullers.
     *
     * @return object byte ranges fully sent to pullers.
     */
    public long objectsServed()
    {
        return objectsServed.sum();
    }

    /**
     * Returns objects pulled into a local store and sealed.
     *
     * @return objects pulled into a local store and sealed.
     */
    public long objectsPulled()
    {
        return objectsPulled.sum();
    }

    /**
     * Returns object bytes the socket read straight into a receiving store segment (epoll and NIO), not
     * copied from a socket buffer.
     *
     * @return object bytes the socket read straight into a receiving store segment (epoll and NIO),
     * not copied from a socket buffer.
     */
    public long directReadBytes()
    {
        return directReadBytes.sum();
    }

    /**
     * Flushes of the messages the engine sends ({@link Connection#send}, {@link Connection#request},
     * {@link Connection#reply}): below {@link #framesOut()} when frames written by other threads than the event
     * loop share one flush (one syscall) in bursts.
     *
     * @return the count since the endpoint started.
     */
    public long messageFlushes()
    {
        return messageFlushes.sum();
    }

    void messageFlush()
    {
        messageFlushes.increment();
    }

    void directRead(final long bytes)
    {
        directReadBytes.add(bytes);
    }

    void frameIn()
    {
        framesIn.increment();
    }

    void frameOut(final long bytes)
    {
        framesOut.increment();
        bytesOut.add(bytes);
    }

    void bytesIn(final long bytes)
    {
        bytesIn.add(bytes);
    }

    void rejectedHandshake()
    {
        rejectedHandshakes.increment();
    }

    void malformedFrame()
    {
        malformedFrames.increment();
    }

    void objectServed()
    {
        objectsServed.increment();
    }

    void objectPulled()
    {
        objectsPulled.increment();
    }

    @Override
    public String toString()
    {
        return "TransportCounters{framesIn=" + framesIn() + ", framesOut=" + framesOut() + ", bytesIn=" + bytesIn() +
            ", bytesOut=" + bytesOut() + ", rejectedHandshakes=" + rejectedHandshakes() +
            ", malformedFrames=" + malformedFrames() + ", objectsServed=" + objectsServed() +
            ", objectsPulled=" + objectsPulled() + ", directReadBytes=" + directReadBytes() +
            ", messageFlushes=" + messageFlushes() + '}';
    }
}
