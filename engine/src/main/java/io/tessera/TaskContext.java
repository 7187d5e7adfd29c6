package io.tessera;

import io.tessera.internal.CurrentNode;
import io.tessera.internal.Node;
import io.tessera.internal.RunningTask;

import java.util.Map;
import java.util.Optional;

/** Who is running: the current task or actor call, or the driver when called outside any task. */
public interface TaskContext {
    /** The context of the calling thread; never null. */
    static TaskContext current() {
        return RunningTask.get() instanceof TaskContext task ? task : driver();
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
     * The context of a thread that runs no task. Declared here, not in the engine, so that this
     * interface and its implementations do not name each other (the running task's implements it).
     */
    private static TaskContext driver() {
        final class Driver implements TaskContext {
            @Override
            public String taskId() {
                return "driver-" + ProcessHandle.current().pid();
            }

            @Override
            public String nodeId() {
                final Node node = CurrentNode.orNull();
                return node == null ? "none" : node.nodeId();
            }

            @Override
            public String name() {
                return "driver";
            }

            @Override
            public int attempt() {
                return 0;
            }

            @Override
            public Map<String, Double> resources() {
                return Map.of();
            }

            @Override
            public int[] gpuIds() {
                return new int[0];
            }

            @Override
            public Optional<String> actorId() {
                return Optional.empty();
            }

            @Override
            public boolean isDriver() {
                return true;
            }
        }
        return new Driver();
    }
}
