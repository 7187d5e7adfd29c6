package io.tessera;

/** Per-call options of a task; they override {@link Resources} field by field. */
public final class TaskOptions extends ResourceOptions<TaskOptions> {
    int maxRetries = -1;
    boolean retryExceptions;
    String name;

    TaskOptions() {
    }

    @Override
    io.tessera.internal.CallSpec toSpec() {
        final io.tessera.internal.CallSpec spec = super.toSpec();
        spec.maxRetries = maxRetries;
        spec.retryExceptions = retryExceptions;
        spec.name = name;
        return spec;
    }

    /** Re-runs after a system failure (default 3); with {@link #retryExceptions(boolean)} also after a throw. */
    public TaskOptions maxRetries(int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
        }
        this.maxRetries = maxRetries;
        return this;
    }

    /** Whether an exception thrown by the task is retried too (default false). */
    public TaskOptions retryExceptions(boolean retryExceptions) {
        this.retryExceptions = retryExceptions;
        return this;
    }

    /** A name shown in errors and {@code tessera status}. */
    public TaskOptions name(String name) {
        this.name = name;
        return this;
    }
}
