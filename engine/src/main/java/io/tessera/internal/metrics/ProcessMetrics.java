package io.tessera.internal.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The metrics registry of this process: user metrics ({@link io.tessera.metrics.Metrics}), the engine's
 * ({@link SystemMetrics}, once a node runs) and the JVM's (memory, GC, threads, class loading). A node's
 * {@link MetricsServer} serves it at {@code /metrics}.
 */
public final class ProcessMetrics
{
    private static final PrometheusRegistry REGISTRY = new PrometheusRegistry();

    static
    {
        JvmMetrics.builder().register(REGISTRY);
    }

    private ProcessMetrics()
    {
    }

    /** The one registry of this process. */
    public static PrometheusRegistry registry()
    {
        return REGISTRY;
    }
}
