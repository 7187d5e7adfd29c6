package io.tessera.scheduler;

import java.util.Map;

/**
 * What a running task holds, or what an actor holds for its life. Immutable; grants without GPUs
 * are shared between tasks with the same request.
 */
public final class Grant
{
    static final int[] NO_GPUS = new int[0];

    private final double cpus;
    private final double gpus;
    private final int[] gpuIds;
    private final long memoryBytes;
    private final Map<String, Double> custom;

    Grant(final ResourceRequest request, final int[] gpuIds)
    {
        this.cpus = request.cpus();
        this.gpus = request.gpus();
        this.gpuIds = gpuIds;
        this.memoryBytes = request.memoryBytes();
        this.custom = request.custom();
    }

    /**
     * CPUs held, as requested.
     *
     * @return the amount.
     */
    public double cpus()
    {
        return cpus;
    }

    /**
     * GPUs held, as requested; {@link #gpuIds()} names the devices.
     *
     * @return the amount.
     */
    public double gpus()
    {
        return gpus;
    }

    /**
     * Returns the granted device ordinals (a copy); empty without GPUs, never null.
     *
     * @return the granted device ordinals (a copy); empty without GPUs, never null.
     */
    public int[] gpuIds()
    {
        return gpuIds.length == 0 ? NO_GPUS : gpuIds.clone();
    }

    int[] gpuIdsUnsafe()
    {
        return gpuIds;
    }

    /**
     * Memory held, as requested.
     *
     * @return bytes.
     */
    public long memoryBytes()
    {
        return memoryBytes;
    }

    /**
     * Custom resources held, as requested.
     *
     * @return name to amount, sorted by name; unmodifiable.
     */
    public Map<String, Double> custom()
    {
        return custom;
    }

    @Override
    public String toString()
    {
        return "Grant{cpus=" + cpus + ", gpus=" + gpus + ", gpuIds=" + java.util.Arrays.toString(gpuIds) +
            ", memoryBytes=" + memoryBytes + (custom.isEmpty() ? "" : ", custom=" + custom) + '}';
    }
}
