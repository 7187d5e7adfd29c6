package io.tessera.metrics;

import java.util.List;

/**
 * A value that only goes up, such as requests served; from {@link Metrics#counter}.
 * <pre>{@code
 * Counter served = Metrics.counter("requests_served", "Requests served.", "route");
 * served.inc(1, "/predict");
 * }</pre>
 */
public final class Counter extends Metric
{
    private final io.prometheus.metrics.core.metrics.Counter counter;

    Counter(String name, String description, List<String> tagKeys, io.prometheus.metrics.core.metrics.Counter counter)
    {
        super(name, description, tagKeys);
        this.counter = counter;
    }

    /**
     * Adds 1 (a counter without tag keys).
     *
     * @throws IllegalArgumentException when the counter has tag keys
     */
    public void inc()
    {
        inc(1.0);
    }

    /**
     * Adds {@code amount} (a counter without tag keys).
     *
     * @param amount 0 or more
     * @throws IllegalArgumentException when {@code amount} is negative or not finite, or the counter has tag keys
     */
    public void inc(double amount)
    {
        inc(amount, new String[0]);
    }

    /**
     * Adds {@code amount} to the series of these tag values.
     *
     * @param amount    0 or more
     * @param tagValues one per tag key, in order
     * @throws IllegalArgumentException when {@code amount} is negative or not finite, or the tag values
     *                                  do not match the tag keys
     */
    public void inc(double amount, String... tagValues)
    {
        if (!(amount >= 0 && amount < Double.POSITIVE_INFINITY))
        {
            throw new IllegalArgumentException(name() + ": a counter only goes up by a finite amount, got " + amount);
        }
        counter.labelValues(labelValues(tagValues)).inc(amount);
    }
}
