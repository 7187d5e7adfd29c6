package io.tessera;

import io.tessera.internal.ApiErrors;
import io.tessera.internal.CallSpec;
import io.tessera.internal.Node;

import java.util.function.Consumer;

/**
 * A task about to be submitted: set {@link #options(Consumer)} if needed, then {@link #remote()}.
 *
 * @param <R> the task's result type
 */
public final class TaskCall<R>
{
    private final Node runtime;
    private final Object fn;
    private final Object[] args;
    private TaskOptions options;

    TaskCall(Node runtime, Object fn, Object[] args)
    {
        this.runtime = runtime;
        this.fn = fn;
        this.args = args;
    }

    /**
     * Per-call resources, retries and name; they override {@link Resources} field by field.
     *
     * @param configure sets the options, e.g. {@code o -> o.cpus(2).maxRetries(0)}.
     * @return this.
     */
    public TaskCall<R> options(Consumer<TaskOptions> configure)
    {
        if (options == null)
        {
            options = new TaskOptions();
        }
        configure.accept(options);
        return this;
    }

    /**
     * Submits the task.
     *
     * @return a ref to its result, ready when the task has run.
     * @throws InfeasibleTaskException when no node could ever satisfy its resources
     * @throws IllegalArgumentException when an argument cannot be serialized (names its type)
     */
    public ObjectRef<R> remote()
    {
        final CallSpec spec = options == null ? null : options.toSpec();
        try
        {
            return new ObjectRef<>(runtime.submitTask(fn, ObjectRef.unwrap(args), spec));
        }
        catch (RuntimeException ex)
        {
            throw ApiErrors.toApi(ex);
        }
    }
}
