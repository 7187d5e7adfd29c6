package io.tessera.memory;

import java.io.Serial;
import java.io.Serializable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A 128-bit, globally unique object id. Immutable value; {@link #toString()} gives 32 hex chars.
 */
public final class ObjectId implements Comparable<ObjectId>, Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;

    /** The high 64 bits (the first 16 hex chars of {@link #toString()}). */
    private final long hi;
    /** The low 64 bits (the last 16 hex chars of {@link #toString()}). */
    private final long lo;

    private ObjectId(final long hi, final long lo)
    {
        this.hi = hi;
        this.lo = lo;
    }

    /**
     * Returns the id made of these bits.
     *
     * @param hi high 64 bits.
     * @param lo low 64 bits.
     * @return the id made of these bits.
     */
    public static ObjectId of(final long hi, final long lo)
    {
        return new ObjectId(hi, lo);
    }

    /**
     * Returns a random id (128 random bits; collisions are negligible).
     *
     * @return a random id (128 random bits; collisions are negligible).
     */
    public static ObjectId random()
    {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        return new ObjectId(random.nextLong(), random.nextLong());
    }

    /**
     * Returns the id.
     *
     * @param hex 32 hex chars as produced by {@link #toString()}.
     * @return the id.
     */
    public static ObjectId parse(final String hex)
    {
        if (hex == null || hex.length() != 32)
        {
            throw new IllegalArgumentException("object id must be 32 hex chars, got: " + hex);
        }
        return new ObjectId(Long.parseUnsignedLong(hex, 0, 16, 16), Long.parseUnsignedLong(hex, 16, 32, 16));
    }

    /**
     * Returns the high 64 bits, as given to {@link #of(long, long)}.
     *
     * @return the high 64 bits.
     */
    public long hi()
    {
        return hi;
    }

    /**
     * Returns the low 64 bits, as given to {@link #of(long, long)}.
     *
     * @return the low 64 bits.
     */
    public long lo()
    {
        return lo;
    }

    @Override
    public int compareTo(final ObjectId other)
    {
        final int c = Long.compareUnsigned(hi, other.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, other.lo);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof ObjectId other && other.hi == hi && other.lo == lo;
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(hi * 31 + lo);
    }

    @Override
    public String toString()
    {
        final String h = Long.toHexString(hi);
        final String l = Long.toHexString(lo);
        return "0".repeat(16 - h.length()) + h + "0".repeat(16 - l.length()) + l;
    }
}
