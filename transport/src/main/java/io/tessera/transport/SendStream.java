package io.tessera.transport;

import io.tessera.memory.ObjectId;

import java.lang.foreign.MemorySegment;

/**
 * Holder side of one object stream: a byte range of a pinned object and the credit the puller has
 * granted. Event loop only.
 */
final class SendStream
{
    final long streamId;
    final ObjectId id;
    final MemorySegment segment;
    final long end;
    long next;
    long credit;
    boolean released;

    SendStream(final long streamId, final ObjectId id, final MemorySegment segment, final long start, final long end,
        final long credit)
    {
        this.streamId = streamId;
        this.id = id;
        this.segment = segment;
        this.next = start;
        this.end = end;
        this.credit = credit;
    }
}
