package io.tessera;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resource part of {@link TaskOptions} and {@link ActorOptions}. Fields left unset fall back to
 * the {@link Resources} annotation, then to the defaults.
 *
 * @param <S> the concrete options type, for fluent chaining
 */
public abstract sealed class ResourceOptions<S extends ResourceOptions<S>> permits TaskOptions, ActorOptions
{
    double cpus = Double.NaN;
    double gpus = Double.NaN;
    long memoryBytes = -1;
    final Map<String, Double> custom = new LinkedHashMap<>();

    ResourceOptions()
    {
    }

    /** Copies the resource fields into the engine's call spec. */
    io.tessera.internal.CallSpec toSpec()
    {
        final io.tessera.internal.CallSpec spec = new io.tessera.internal.CallSpec();
        spec.cpus = cpus;
        spec.gpus = gpus;
        spec.memoryBytes = memoryBytes;
        spec.custom = Map.copyOf(custom);
        return spec;
    }

    @SuppressWarnings("unchecked")
    private S self()
    {
        return (S) this;
    }

    static double checkAmount(String what, double amount)
    {
        if (!(amount >= 0) || Double.isInfinite(amount))
        {
            throw new IllegalArgumentException(what + " must be a finite amount >= 0, got " + amount);
        }
        return amount;
    }

    /**
     * CPUs held while running (tasks default to 1, actors to 0 for their life).
     *
     * @param cpus the amount, 0 or more; fractions pack several tasks onto a CPU.
     * @return these options.
     * @throws IllegalArgumentException when negative, NaN or infinite
     */
    public S cpus(double cpus)
    {
        this.cpus = checkAmount("cpus", cpus);
        return self();
    }

    /**
     * GPUs held while running; whole numbers get distinct devices, fractions may share one.
     *
     * @param gpus the amount, 0 or more.
     * @return these options.
     * @throws IllegalArgumentException when negative, NaN or infinite
     */
    public S gpus(double gpus)
    {
        this.gpus = checkAmount("gpus", gpus);
        return self();
    }

    /**
     * Memory reserved on the node while running: a node runs no more than its memory total allows.
     *
     * @param memoryBytes the amount in bytes, 0 or more.
     * @return these options.
     * @throws IllegalArgumentException when negative
     */
    public S memoryBytes(long memoryBytes)
    {
        if (memoryBytes < 0)
        {
            throw new IllegalArgumentException("memoryBytes must be >= 0, got " + memoryBytes);
        }
        this.memoryBytes = memoryBytes;
        return self();
    }

    /**
     * A custom resource, e.g. {@code resource("accelerator:H100", 1)}: only nodes offering enough of it run
     * the call.
     *
     * @param name   the resource's name, not blank.
     * @param amount the amount, 0 or more.
     * @return these options.
     * @throws IllegalArgumentException when the name is blank or the amount negative, NaN or infinite
     */
    public S resource(String name, double amount)
    {
        if (name == null || name.isBlank())
        {
            throw new IllegalArgumentException("resource name must not be blank");
        }
        custom.put(name, checkAmount("resource '" + name + "'", amount));
        return self();
    }
}
