package io.tessera.metrics;

import java.util.List;

/**
 * A distribution of observed values in buckets, such as latencies; from {@link Metrics#histogram}.
 * <pre>{@code
 * Histogram latency = Metrics.histogram("predict_seconds", "Time to predict.", new double[] {0.01, 0.1, 1});
 * latency.observe(0.042);
 * }</pre>
 */
public final class Histogram extends Metric
{
    private final io.prometheus.metrics.core.metrics.Histogram histogram;
    private final double[] boundaries;

    Histogram(String name, String description, List<String> tagKeys, double[] boundaries,
              io.prometheus.metrics.core.metrics.Histogram histogram)
    {
        super(name, description, tagKeys);
        this.boundaries = boundaries.clone();
        this.histogram = histogram;
    }

    /**
     * The buckets' upper bounds (a last one, +Inf, is implied).
     *
     * @return a copy, in increasing order
     */
    public double[] boundaries()
    {
        return boundaries.clone();
    }

    /**
     * Records {@code value} in the series of these tag values.
     *
     * @param value     the value observed
     * @param tagValues one per tag key, in order
     * @throws IllegalArgumentException when {@code value} is NaN or the tag values do not match the tag keys
     */
    public void observe(double value, String... tagValues)
    {
        if (Double.isNaN(value))
        {
            throw new IllegalArgumentException(name() + ": cannot observe NaN");
        }
        histogram.labelValues(labelValues(tagValues)).observe(value);
    }

    boolean sameBoundaries(double[] other)
    {
        return java.util.Arrays.equals(boundaries, other);
    }
}
