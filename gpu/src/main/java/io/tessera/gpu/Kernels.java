package io.tessera.gpu;

/**
 * The shipped kernel library (float32, from {@code gpu/src/main/cuda/tessera_kernels.cu}, committed as
 * PTX). Each call launches asynchronously on the buffers' device; copy the result out, or
 * {@link GpuContexts#synchronize(int)}, to wait for it.
 */
public final class Kernels
{
    /** Threads per block of the element-wise kernels. */
    public static final int BLOCK_THREADS = 256;
    /** Tile edge of {@link #matmul}: blocks of TILE x TILE threads, two TILE x TILE float tiles of shared memory. */
    public static final int TILE = 16;
    static final String RESOURCE = "io/tessera/gpu/kernels/tessera_kernels.ptx";

    private Kernels()
    {
    }

    private static final class Library
    {
        static final CudaModule MODULE = CudaModule.loadResource(RESOURCE);
        static final Kernel VECTOR_ADD = MODULE.kernel("vectorAdd");
        static final Kernel SAXPY = MODULE.kernel("saxpy");
        static final Kernel MATMUL = MODULE.kernel("matmul");
    }

    /**
     * {@code out[i] = a[i] + b[i]} for {@code i < n}, on floats; queued, returns without waiting.
     *
     * @param a   the first operand, at least {@code n} floats.
     * @param b   the second operand, at least {@code n} floats.
     * @param out the result, at least {@code n} floats (may be {@code a} or {@code b}).
     * @param n   how many elements, 0 or more.
     */
    public static void vectorAdd(GpuBuffer a, GpuBuffer b, GpuBuffer out, int n)
    {
        requireFloats(n, a, "a");
        requireFloats(n, b, "b");
        requireFloats(n, out, "out");
        if (n > 0)
        {
            Library.VECTOR_ADD.launch(Dim3.of(blocks(n)), Dim3.of(BLOCK_THREADS), 0, a, b, out, n);
        }
    }

    /**
     * {@code y[i] = a * x[i] + y[i]} for {@code i < n}, on floats; queued, returns without waiting.
     *
     * @param a the scale.
     * @param x the scaled vector, at least {@code n} floats.
     * @param y the accumulated vector, at least {@code n} floats, updated in place.
     * @param n how many elements, 0 or more.
     */
    public static void saxpy(float a, GpuBuffer x, GpuBuffer y, int n)
    {
        requireFloats(n, x, "x");
        requireFloats(n, y, "y");
        if (n > 0)
        {
            Library.SAXPY.launch(Dim3.of(blocks(n)), Dim3.of(BLOCK_THREADS), 0, a, x, y, n);
        }
    }

    /**
     * {@code c[m x n] = a[m x k] * b[k x n]} on floats, row-major, tiled through shared memory; queued, returns
     * without waiting.
     *
     * @param a the left matrix, at least {@code m * k} floats.
     * @param b the right matrix, at least {@code k * n} floats.
     * @param c the result, at least {@code m * n} floats.
     * @param m rows of {@code a} and {@code c}.
     * @param n columns of {@code b} and {@code c}.
     * @param k columns of {@code a}, rows of {@code b}.
     */
    public static void matmul(GpuBuffer a, GpuBuffer b, GpuBuffer c, int m, int n, int k)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new IllegalArgumentException("matmul sizes must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        requireFloats((long) m * k, a, "a");
        requireFloats((long) k * n, b, "b");
        requireFloats((long) m * n, c, "c");
        if (m > 0 && n > 0)
        {
            Library.MATMUL.launch(Dim3.of(ceilDiv(n, TILE), ceilDiv(m, TILE)), Dim3.of(TILE, TILE), 0, a, b, c, m, n, k);
        }
    }

    private static int blocks(int n)
    {
        return ceilDiv(n, BLOCK_THREADS);
    }

    private static int ceilDiv(int n, int d)
    {
        return (n + d - 1) / d;
    }

    private static void requireFloats(long count, GpuBuffer buffer, String what)
    {
        if (count < 0)
        {
            throw new IllegalArgumentException("element count must be >= 0, got " + count);
        }
        buffer.requireOpen();
        if (buffer.bytes() < count * Float.BYTES)
        {
            throw new IllegalArgumentException(what + " holds " + buffer.bytes() / Float.BYTES + " floats, needs " + count);
        }
    }
}
