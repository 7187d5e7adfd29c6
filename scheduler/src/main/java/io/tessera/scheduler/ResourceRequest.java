package io.tessera.scheduler;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a task needs while it runs, or what an actor holds for its whole life. Immutable. Amounts
 * are doubles so fractions ({@code gpus(0.5)}) are allowed; a GPU amount above 1 must be whole.
 */
public final class ResourceRequest
{
    /** Zero of everything. */
    public static final ResourceRequest NONE = new ResourceRequest(0, 0, 0, Map.of());

    private final double cpus;
    private final double gpus;
    private final long memoryBytes;
    private final Map<String, Double> custom;
    private final int hash;

    /** Scheduler-side resolution of this request against one node's resource table (a cache). */
    volatile ResolvedRequest resolved;

    private ResourceRequest(final double cpus, final double gpus, final long memoryBytes,
        final Map<String, Double> custom)
    {
        this.cpus = cpus;
        this.gpus = gpus;
        this.memoryBytes = memoryBytes;
        this.custom = custom;
        int h = Double.hashCode(cpus);
        h = 31 * h + Double.hashCode(gpus);
        h = 31 * h + Long.hashCode(memoryBytes);
        this.hash = 31 * h + custom.hashCode();
    }

    /**
     * A builder with every amount at zero.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * CPUs the work holds.
     *
     * @return the amount, 0 or more.
     */
    public double cpus()
    {
        return cpus;
    }

    /**
     * GPUs the work holds: at most 1 (a share of one device) or a whole number of devices.
     *
     * @return the amount, 0 or more.
     */
    public double gpus()
    {
        return gpus;
    }

    /**
     * Memory the work holds.
     *
     * @return bytes, 0 or more.
     */
    public long memoryBytes()
    {
        return memoryBytes;
    }

    /**
     * Returns custom resources by name, sorted by name; unmodifiable, never null.
     *
     * @return custom resources by name, sorted by name; unmodifiable, never null.
     */
    public Map<String, Double> custom()
    {
        return custom;
    }

    /**
     * Whether the request holds nothing at all (such as an actor's default lifetime request).
     *
     * @return true when every amount is zero.
     */
    public boolean isZero()
    {
        return cpus == 0 && gpus == 0 && memoryBytes == 0 && custom.isEmpty();
    }

    /** Names of the built-in resources in a resource table (custom resources use their own names). */
    public static final String CPU = "CPU";
    public static final String GPU = "GPU";
    public static final String MEMORY = "memory";

    private static final double EPSILON = 1e-9;

    /**
     * Whether this request fits within a resource table (a node's totals: {@value #CPU}, {@value #GPU},
     * {@value #MEMORY} in bytes, custom resources by name; a missing entry is zero). Fractions are
     * compared with a tolerance of 1e-9, memory exactly. Allocation-free.
     *
     * @param total resource amounts by name.
     * @return true when every amount requested is at most the table's.
     */
    public boolean fitsWithin(final Map<String, Double> total)
    {
        return firstShort(total) == null;
    }

    /**
     * What keeps this request from fitting within a resource table, checked in the order CPU, GPU,
     * memory, custom resources: for example {@code "CPU: requested 3.0, node has 2.0"} or
     * {@code "custom resource 'disk': requested 1.0, node has none"}.
     *
     * @param total resource amounts by name (see {@link #fitsWithin}).
     * @return the first resource short, described; null when the request fits.
     */
    public String shortfall(final Map<String, Double> total)
    {
        return shortfall(total, "node");
    }

    /**
     * The same, naming the holder of the table as {@code holder} (for example "the largest node").
     *
     * @param total  resource amounts by name.
     * @param holder what has these amounts, as the description names it.
     * @return the first resource short, described; null when the request fits.
     */
    public String shortfall(final Map<String, Double> total, final String holder)
    {
        final String name = firstShort(total);
        if (name == null)
        {
            return null;
        }
        switch (name)
        {
            case CPU:
                return "CPU: requested " + cpus + ", " + holder + " has " + amount(total, CPU);
            case GPU:
                return "GPU: requested " + gpus + ", " + holder + " has " + amount(total, GPU);
            case MEMORY:
                return "memory: requested " + memoryBytes + " bytes, " + holder + " has " + (long)amount(total, MEMORY) + " bytes";
            default:
                final Double has = total.get(name);
                return "custom resource '" + name + "': requested " + custom.get(name) + ", " + holder + " has " +
                    (has == null ? "none" : has.toString());
        }
    }

    /** The name of the first resource short in {@code total}, or null. */
    private String firstShort(final Map<String, Double> total)
    {
        if (cpus > amount(total, CPU) + EPSILON)
        {
            return CPU;
        }
        if (gpus > amount(total, GPU) + EPSILON)
        {
            return GPU;
        }
        if (memoryBytes > amount(total, MEMORY))
        {
            return MEMORY;
        }
        for (final Map.Entry<String, Double> e : custom.entrySet())
        {
            if (e.getValue() > amount(total, e.getKey()) + EPSILON)
            {
                return e.getKey();
            }
        }
        return null;
    }

    private static double amount(final Map<String, Double> total, final String name)
    {
        final Double v = total.get(name);
        return v == null ? 0.0 : v;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof ResourceRequest r))
        {
            return false;
        }
        return Double.compare(cpus, r.cpus) == 0 && Double.compare(gpus, r.gpus) == 0 &&
            memoryBytes == r.memoryBytes && custom.equals(r.custom);
    }

    @Override
    public int hashCode()
    {
        return hash;
    }

    @Override
    public String toString()
    {
        return "ResourceRequest{cpus=" + cpus + ", gpus=" + gpus + ", memoryBytes=" + memoryBytes +
            (custom.isEmpty() ? "" : ", custom=" + custom) + '}';
    }

    /**
     * Fluent builder; every amount defaults to zero. A custom amount of zero is dropped.
     */
    public static final class Builder
    {
        private double cpus;
        private double gpus;
        private long memoryBytes;
        private final TreeMap<String, Double> custom = new TreeMap<>();

        private Builder()
        {
        }

        /**
         * Sets the CPUs.
         *
         * @param cpus the amount, 0 or more and finite; fractions allowed.
         * @return this.
         * @throws SchedulerException when negative, NaN or infinite
         */
        public Builder cpus(final double cpus)
        {
            this.cpus = checkAmount("cpus", cpus);
            return this;
        }

        /**
         * Sets the GPUs.
         *
         * @param gpus at most 1 (a share of one device) or a whole number of devices.
         * @return this.
         * @throws SchedulerException when negative, not finite, or a fraction above 1
         */
        public Builder gpus(final double gpus)
        {
            checkAmount("gpus", gpus);
            if (gpus > 1 && gpus != Math.rint(gpus))
            {
                throw new SchedulerException(
                    "gpus must be at most 1 or a whole number, got " + gpus);
            }
            this.gpus = gpus;
            return this;
        }

        /**
         * Sets the memory.
         *
         * @param memoryBytes bytes, 0 or more.
         * @return this.
         * @throws SchedulerException when negative
         */
        public Builder memoryBytes(final long memoryBytes)
        {
            if (memoryBytes < 0)
            {
                throw new SchedulerException("memoryBytes must be >= 0, got " + memoryBytes);
            }
            this.memoryBytes = memoryBytes;
            return this;
        }

        /**
         * Sets a custom resource; an amount of zero removes it.
         *
         * @param name   the resource's name, not empty.
         * @param amount the amount, 0 or more and finite.
         * @return this.
         * @throws SchedulerException when the name is empty or the amount negative, NaN or infinite
         */
        public Builder resource(final String name, final double amount)
        {
            if (name == null || name.isEmpty())
            {
                throw new SchedulerException("custom resource name must be non-empty, got " +
                    (name == null ? "null" : "\"\""));
            }
            checkAmount("custom resource '" + name + "'", amount);
            if (amount == 0)
            {
                custom.remove(name);
            }
            else
            {
                custom.put(name, amount);
            }
            return this;
        }

        /**
         * The request; all zero gives the shared empty request.
         *
         * @return the request.
         */
        public ResourceRequest build()
        {
            if (cpus == 0 && gpus == 0 && memoryBytes == 0 && custom.isEmpty())
            {
                return NONE;
            }
            return new ResourceRequest(cpus, gpus, memoryBytes,
                custom.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(custom)));
        }

        private static double checkAmount(final String what, final double amount)
        {
            if (!(amount >= 0) || Double.isInfinite(amount))
            {
                throw new SchedulerException(what + " must be a finite amount >= 0, got " + amount);
            }
            return amount;
        }
    }
}
