package io.tessera.metrics;

import java.util.List;

/**
 * A value that goes up and down, such as a queue's length; from {@link Metrics#gauge}.
 * <pre>{@code
 * Gauge queued = Metrics.gauge("batch_queue_length", "Items waiting for a batch.");
 * queued.set(12);
 * }</pre>
 */
public final class Gauge extends Metric
{
    private final io.prometheus.metrics.core.metrics.Gauge gauge;

    Gauge(String name, String description, List<String> tagKeys, io.prometheus.metrics.core.metrics.Gauge gauge)
    {
        super(name, description, tagKeys);
        this.gauge = gauge;
    }

    /**
     * Sets the series of these tag values to {@code value}.
     *
     * @param value     the value now
     * @param tagValues one per tag key, in order
     * @throws IllegalArgumentException when the tag values do not match the tag keys
     */
    public void set(double value, String... tagValues)
    {
        gauge.labelValues(labelValues(tagValues)).set(value);
    }
}
