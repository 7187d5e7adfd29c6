package io.tessera;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resource part of {@link TaskOptions} and {@link ActorOptions}. Fields left unset fall back to
 * the {@link Resources} annotation, then to the defaults.
 *
 * @param <S> the concrete options type, for fluent chaining
 */
public abstract sealed class ResourceOptions<S extends ResourceOptions<S>> permits TaskOptions, ActorOptions {
    double cpus = Double.NaN;
    double gpus = Double.NaN;
    long memoryBytes = -1;
    final Map<String, Double> custom = new LinkedHashMap<>();

    ResourceOptions() {
    }

    /** Copies the resource fields into the engine's call spec. */
    io.tessera.internal.CallSpec toSpec() {
        final io.tessera.internal.CallSpec spec = new io.tessera.internal.CallSpec();
        spec.cpus = cpus;
        spec.gpus = gpus;
        spec.memoryBytes = memoryBytes;
        spec.custom = Map.copyOf(custom);
        return spec;
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    static double checkAmount(String what, double amount) {
        if (!(amount >= 0) || Double.isInfinite(amount)) {
            throw new IllegalArgumentException(what + " must be a finite amount >= 0, got " + amount);
        }
        return amount;
    }

    /** CPUs held while running (tasks default to 1, actors to 0). */
    public S cpus(double cpus) {
        this.cpus = checkAmount("cpus", cpus);
        return self();
    }

    /** GPUs; whole numbers get distinct devices, fractions may share one. */
    public S gpus(double gpus) {
        this.gpus = checkAmount("gpus", gpus);
        return self();
    }

    /** Memory reserved, in bytes. */
    public S memoryBytes(long memoryBytes) {
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memoryBytes must be >= 0, got " + memoryBytes);
        }
        this.memoryBytes = memoryBytes;
        return self();
    }

    /** A custom resource, e.g. {@code resource("accelerator:H100", 1)}. */
    public S resource(String name, double amount) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("resource name must not be blank");
        }
        custom.put(name, checkAmount("resource '" + name + "'", amount));
        return self();
    }
}
