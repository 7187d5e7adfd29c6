package io.tessera.memory;

import java.lang.foreign.MemorySegment;

/**
 * A pinned, sealed object: a read-only zero-copy view of its bytes. Valid until the matching
 * {@link ObjectStore#release(ObjectId)}; reading after release may see another object's bytes.
 *
 * <p>A flyweight: {@link ObjectStore#get(ObjectId, long, ObjectView)} wraps a caller's view over the
 * object it pins, so a reader that keeps one view per thread gets without allocating. Re-wrapped over
 * the same bytes (the same object, or one placed where the last one was) it keeps its
 * {@link #segment()}; only a view over other bytes slices the store's mapping anew.
 */
public final class ObjectView
{
    private ObjectId id;
    private MemorySegment segment;
    private int kind;

    /**
     * An empty view, for {@link ObjectStore#get(ObjectId, long, ObjectView)} to wrap.
     */
    public ObjectView()
    {
    }

    /**
     * Points this view at {@code size} bytes at {@code offset} of the store's read-only {@code mapping}.
     */
    void wrap(final ObjectId id, final MemorySegment mapping, final long offset, final long size, final int kind)
    {
        this.id = id;
        this.kind = kind;
        final MemorySegment last = segment;
        // no fields beyond the three: the allocating ObjectStore.get pays for the view's size on every call
        if (last == null || last.address() != mapping.address() + offset || last.byteSize() != size ||
            last.scope() != mapping.scope())
        {
            this.segment = mapping.asSlice(offset, size);
        }
    }

    /**
     * Returns the id of the pinned object.
     *
     * @return the object last wrapped, or null when this view was never wrapped.
     */
    public ObjectId id()
    {
        return id;
    }

    /**
     * Returns the object's bytes, read-only, 64-byte aligned.
     *
     * @return the object's bytes, read-only, 64-byte aligned.
     * @throws IllegalStateException when this view was never wrapped.
     */
    public MemorySegment segment()
    {
        if (segment == null)
        {
            throw new IllegalStateException("this ObjectView wraps no object yet: pass it to ObjectStore.get first");
        }
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
        return segment().byteSize();
    }

    @Override
    public String toString()
    {
        return "ObjectView{id=" + id + ", kind=" + kind + ", size=" + (segment == null ? -1 : segment.byteSize()) + '}';
    }
}
