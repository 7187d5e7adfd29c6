package io.tessera.metrics;

import io.tessera.internal.metrics.ProcessMetrics;

/**
 * User metrics from inside tasks and actors (and drivers), as Ray's {@code ray.util.metrics}. The
 * node the code runs on exports them at {@code /metrics} with the tag values given and two labels it
 * adds, {@code node} and {@code job}.
 * <pre>{@code
 * static int handle(String route) {
 *     Metrics.counter("requests_served", "Requests served.", "route").inc(1, route);
 *     return 0;
 * }
 * }</pre>
 * Registering is idempotent: the same name with the same type and tag keys (and, for a histogram,
 * boundaries) returns the metric registered first, so a task may call it on every run. A name
 * registered with another type, tag keys or boundaries is an {@link IllegalArgumentException}.
 * Names and tag keys follow Prometheus's rules; {@code node} and {@code job} are reserved.
 */
public final class Metrics
{
    private static final MetricTable TABLE = new MetricTable(ProcessMetrics.registry());

    private Metrics()
    {
    }

    /**
     * The counter {@code name}, registered on first use.
     *
     * @param name        a Prometheus metric name, e.g. {@code requests_served} ({@code _total} is appended when exported)
     * @param description what it counts
     * @param tagKeys     the names of the tags each increment gives values for
     * @return the counter
     * @throws IllegalArgumentException when the name or a tag key is invalid, or {@code name} is registered differently
     */
    public static Counter counter(String name, String description, String... tagKeys)
    {
        return TABLE.counter(name, description, tagKeys);
    }

    /**
     * The gauge {@code name}, registered on first use.
     *
     * @param name        a Prometheus metric name, e.g. {@code queue_length}
     * @param description what it measures
     * @param tagKeys     the names of the tags each value gives values for
     * @return the gauge
     * @throws IllegalArgumentException when the name or a tag key is invalid, or {@code name} is registered differently
     */
    public static Gauge gauge(String name, String description, String... tagKeys)
    {
        return TABLE.gauge(name, description, tagKeys);
    }

    /**
     * The histogram {@code name}, registered on first use.
     *
     * @param name        a Prometheus metric name, e.g. {@code predict_seconds}
     * @param description what it measures
     * @param boundaries  the buckets' upper bounds, finite and strictly increasing (+Inf is implied)
     * @param tagKeys     the names of the tags each observation gives values for
     * @return the histogram
     * @throws IllegalArgumentException when the name, a tag key or the boundaries are invalid, or
     *                                  {@code name} is registered differently
     */
    public static Histogram histogram(String name, String description, double[] boundaries, String... tagKeys)
    {
        return TABLE.histogram(name, description, boundaries, tagKeys);
    }
}
