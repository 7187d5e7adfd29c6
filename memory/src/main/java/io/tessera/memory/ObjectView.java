package io.tessera.memory;

import java.lang.foreign.MemorySegment;

/**
 * A pinned, sealed object: a read-only zero-copy view of its bytes. Valid until the matching
 * {@link ObjectStore#release(ObjectId)}; reading after release may see another object's bytes.
 */
public final class ObjectView
{
    private final ObjectId id;
    private final MemorySegment segment;
    private final int kind;

    ObjectView(final ObjectId id, final MemorySegment segment, final int kind)
    {
        this.id = id;
        this.segment = segment;
        this.kind = kind;
    }

    /**
     * Returns the id of the pinned object.
     *
     * @return the object's id.
     */
    public ObjectId id()
    {
        return id;
    }

    /**
     * Returns the object's bytes, read-only, 64-byte aligned.
     *
     * @return the object's bytes, read-only, 64-byte aligned.
     */
    public MemorySegment segment()
    {
        return segment;
    }

    /**
     * Returns the caller's type tag given at create time.
     *
     * @return the caller's type tag given at create time.
     */
    public int kind()
    {
        return kind;
    }

    /**
     * Returns the object's size in bytes, as given at create time (the length of {@link #segment()}).
     *
     * @return the object's size in bytes.
     */
    public long size()
    {
        return segment.byteSize();
    }

    @Override
    public String toString()
    {
        return "ObjectView{id=" + id + ", kind=" + kind + ", size=" + segment.byteSize() + '}';
    }
}
