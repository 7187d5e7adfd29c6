package io.tessera;

import io.tessera.internal.CurrentNode;
import io.tessera.internal.Node;
import io.tessera.internal.RunningTask;

import java.util.Map;
import java.util.Optional;

/** Who is running: the current task or actor call, or the driver when called outside any task. */
public interface TaskContext
{
    /**
     * The context of the calling thread: the task or actor call it runs, else the driver's.
     *
     * @return the context; never null.
     */
    static TaskContext current()
    {
        return RunningTask.get() instanceof TaskContext task ? task : driver();
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

    /**
     * The job this runs for: the id of the driver's run that submitted it (the driver's own job
     * outside a task; an embedded node is one job). Empty when not known (no node running).
     *
     * @return the job's id, or {@code ""}
     */
    default String jobId()
    {
        return "";
    }

    /**
     * The context of a thread that runs no task. Declared here, not in the engine, so that this
     * interface and its implementations do not name each other (the running task's implements it).
     */
    private static TaskContext driver()
    {
        final class Driver implements TaskContext
        {
            @Override
            public String jobId()
            {
                final Node node = CurrentNode.orNull();
                return node == null ? "" : node.jobId();
            }

            @Override
            public String taskId()
            {
                return "driver-" + ProcessHandle.current().pid();
            }

            @Override
            public String nodeId()
            {
                final Node node = CurrentNode.orNull();
                return node == null ? "none" : node.nodeId();
            }

            @Override
            public String name()
            {
                return "driver";
            }

            @Override
            public int attempt()
            {
                return 0;
            }

            @Override
            public Map<String, Double> resources()
            {
                return Map.of();
            }

            @Override
            public int[] gpuIds()
            {
                return new int[0];
            }

            @Override
            public Optional<String> actorId()
            {
                return Optional.empty();
            }

            @Override
            public boolean isDriver()
            {
                return true;
            }
        }
        return new Driver();
    }
}
