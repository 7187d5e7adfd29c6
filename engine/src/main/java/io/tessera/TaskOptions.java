package io.tessera;

/** Per-call options of a task; they override {@link Resources} field by field. */
public final class TaskOptions extends ResourceOptions<TaskOptions>
{
    int maxRetries = -1;
    boolean retryExceptions;
    String name;

    TaskOptions()
    {
    }

    @Override
    io.tessera.internal.CallSpec toSpec()
    {
        final io.tessera.internal.CallSpec spec = super.toSpec();
        spec.maxRetries = maxRetries;
        spec.retryExceptions = retryExceptions;
        spec.name = name;
        return spec;
    }

    /**
     * Re-runs after a system failure (a lost node, an {@code Error} other than {@code AssertionError}); with
     * {@link #retryExceptions(boolean)} also after a throw.
     *
     * @param maxRetries 0 or more; default 3.
     * @return this.
     * @throws IllegalArgumentException when negative
     */
    public TaskOptions maxRetries(int maxRetries)
    {
        if (maxRetries < 0)
        {
            throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
        }
        this.maxRetries = maxRetries;
        return this;
    }

    /**
     * Whether an exception thrown by the task is retried too, up to {@link #maxRetries(int)} times.
     *
     * @param retryExceptions true to retry on exceptions; default false.
     * @return this.
     */
    public TaskOptions retryExceptions(boolean retryExceptions)
    {
        this.retryExceptions = retryExceptions;
        return this;
    }

    /**
     * A name shown in errors, logs and {@code tessera status} instead of the function's.
     *
     * @param name the name.
     * @return this.
     */
    public TaskOptions name(String name)
    {
        this.name = name;
        return this;
    }
}
