package io.tessera.internal.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The metrics registry of this process: user metrics ({@link io.tessera.metrics.Metrics}) and, with
 * issue #14, the engine's own. The node's {@code /metrics} endpoint serves it.
 */
public final class ProcessMetrics
{
    private static final PrometheusRegistry REGISTRY = new PrometheusRegistry();

    private ProcessMetrics()
    {
    }

    /** The one registry of this process. */
    public static PrometheusRegistry registry()
    {
        return REGISTRY;
    }
}
