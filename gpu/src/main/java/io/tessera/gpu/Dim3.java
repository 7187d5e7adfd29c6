package io.tessera.gpu;

/**
 * A CUDA grid or block shape; each extent is at least 1.
 *
 * @param x extent along x (threads per block, or blocks per grid), at least 1.
 * @param y extent along y, at least 1.
 * @param z extent along z, at least 1.
 */
public record Dim3(int x, int y, int z)
{
    /**
     * Checks the extents.
     *
     * @throws IllegalArgumentException when an extent is below 1, naming all three.
     */
    public Dim3
    {
        if (x < 1 || y < 1 || z < 1)
        {
            throw new IllegalArgumentException("Dim3 extents must be >= 1, got (" + x + ", " + y + ", " + z + ")");
        }
    }

    /**
     * A one-dimensional shape {@code (x, 1, 1)}.
     *
     * @param x the extent, at least 1.
     * @return the shape.
     */
    public static Dim3 of(int x)
    {
        return new Dim3(x, 1, 1);
    }

    /**
     * A two-dimensional shape {@code (x, y, 1)}.
     *
     * @param x extent along x, at least 1.
     * @param y extent along y, at least 1.
     * @return the shape.
     */
    public static Dim3 of(int x, int y)
    {
        return new Dim3(x, y, 1);
    }

    /**
     * The shape {@code (x, y, z)}; the same as the constructor.
     *
     * @param x extent along x, at least 1.
     * @param y extent along y, at least 1.
     * @param z extent along z, at least 1.
     * @return the shape.
     */
    public static Dim3 of(int x, int y, int z)
    {
        return new Dim3(x, y, z);
    }

    /**
     * Threads (for a block) or blocks (for a grid) in total.
     *
     * @return {@code x * y * z}, as a long so it cannot overflow.
     */
    public long volume()
    {
        return (long) x * y * z;
    }
}
