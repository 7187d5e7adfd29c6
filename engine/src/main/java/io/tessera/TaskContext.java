package io.tessera;

import io.tessera.internal.DriverContext;
import io.tessera.internal.Invocation;

import java.util.Map;
import java.util.Optional;

/** Who is running: the current task or actor call, or the driver when called outside any task. */
public interface TaskContext {
    /** The context of the calling thread; never null. */
    static TaskContext current() {
        final TaskContext task = Invocation.current();
        return task != null ? task : DriverContext.INSTANCE;
    }

    /** Unique id of the task or actor call; the driver's id outside a task. */
    String taskId();

    /** The node this runs on. */
    String nodeId();

    /** The function's name, e.g. {@code Demo.square}. */
    String name();

    /** 0 for the first attempt, then 1, 2 … on retries. */
    int attempt();

    /** Resources granted to this task (for an actor call: the actor's lifetime grant). */
    Map<String, Double> resources();

    /** GPU device ordinals granted; empty (never null) without a GPU grant. */
    int[] gpuIds();

    /** The actor this call runs on, if any. */
    Optional<String> actorId();

    /** True outside any task. */
    boolean isDriver();

    /**
     * The job this runs for: the id of the driver's run that submitted it (the driver's own job
     * outside a task). Empty when not known: an embedded node, or a task context that does not
     * carry its job yet (the engine adds it with the task records of issue #14).
     *
     * @return the job's id, or {@code ""}
     */
    default String jobId() {
        return "";
    }
}
