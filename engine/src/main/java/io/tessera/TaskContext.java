package io.tessera;

import io.tessera.internal.DriverContext;
import io.tessera.internal.Invocation;

import java.util.Map;
import java.util.Optional;

/** Who is running: the current task or actor call, or the driver when called outside any task. */
public interface TaskContext {
    /**
     * The context of the calling thread: the task or actor call it runs, else the driver's.
     *
     * @return the context; never null.
     */
    static TaskContext current() {
        final TaskContext task = Invocation.current();
        return task != null ? task : DriverContext.INSTANCE;
    }

    /**
     * Unique id of the task or actor call; the driver's id outside a task.
     *
     * @return the id.
     */
    String taskId();

    /**
     * The node this runs on, as {@code tessera status} lists it.
     *
     * @return the node's id.
     */
    String nodeId();

    /**
     * The function's name, e.g. {@code Demo.square}, or the name given with {@link TaskOptions#name}.
     *
     * @return the name.
     */
    String name();

    /**
     * Which attempt this is: 0 for the first, then 1, 2 … on retries ({@link TaskOptions#maxRetries}).
     *
     * @return the attempt, from 0.
     */
    int attempt();

    /**
     * Resources granted to this task (for an actor call: the actor's lifetime grant), such as {@code CPU=1}.
     *
     * @return resource name to amount; unmodifiable.
     */
    Map<String, Double> resources();

    /**
     * GPU device ordinals granted; a task holding a GPU runs with the first one's context current.
     *
     * @return the ordinals (a copy); empty, never null, without a GPU grant.
     */
    int[] gpuIds();

    /**
     * The actor this call runs on, if any.
     *
     * @return its id ({@link ActorHandle#id()}), or empty in a task or the driver.
     */
    Optional<String> actorId();

    /**
     * Whether the caller is outside any task: the program that called {@link Tessera#init}.
     *
     * @return true outside any task.
     */
    boolean isDriver();
}
