package io.tessera.internal;

import io.tessera.TaskContext;

import java.util.Map;
import java.util.Optional;

/** {@link TaskContext} of a thread that runs no task: the driver. */
public final class DriverContext implements TaskContext {
    public static final DriverContext INSTANCE = new DriverContext();
    private static final int[] NONE = {};

    private DriverContext() {
    }

    @Override
    public String taskId() {
        return "driver-" + ProcessHandle.current().pid();
    }

    @Override
    public String nodeId() {
        final LocalRuntime rt = LocalRuntime.currentOrNull();
        return rt == null ? "none" : rt.nodeId();
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
        return NONE;
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
