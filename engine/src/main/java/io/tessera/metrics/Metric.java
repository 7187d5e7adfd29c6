package io.tessera.metrics;

import io.tessera.TaskContext;

import java.util.List;

/**
 * A user metric: its name, description and tag keys. Each value recorded carries the tag values
 * given (one per tag key, in order) and two labels the node adds: {@code node} (where the code ran)
 * and {@code job} (the job it ran for, {@link TaskContext#jobId()}). Thread-safe.
 */
public abstract sealed class Metric permits Counter, Gauge, Histogram
{
    private final String name;
    private final String description;
    private final List<String> tagKeys;

    Metric(String name, String description, List<String> tagKeys)
    {
        this.name = name;
        this.description = description;
        this.tagKeys = tagKeys;
    }

    /**
     * The name it is exported under (a counter's with {@code _total} appended when missing).
     *
     * @return the name given at registration
     */
    public String name()
    {
        return name;
    }

    /**
     * The description (Prometheus's HELP).
     *
     * @return the description given at registration
     */
    public String description()
    {
        return description;
    }

    /**
     * The tag keys, in the order tag values are given.
     *
     * @return an unmodifiable list
     */
    public List<String> tagKeys()
    {
        return tagKeys;
    }

    /** The Prometheus label values of one recording: the tag values, then node and job. */
    final String[] labelValues(String[] tagValues)
    {
        if (tagValues.length != tagKeys.size())
        {
            throw new IllegalArgumentException(name + " takes " + tagKeys.size() + " tag value(s) " + tagKeys
                + ", got " + tagValues.length);
        }
        final String[] values = java.util.Arrays.copyOf(tagValues, tagValues.length + 2);
        for (int i = 0; i < tagValues.length; i++)
        {
            if (tagValues[i] == null)
            {
                throw new IllegalArgumentException(name + ": the value of tag " + tagKeys.get(i) + " is null");
            }
        }
        final TaskContext ctx = TaskContext.current();
        values[tagValues.length] = ctx.nodeId();
        values[tagValues.length + 1] = ctx.jobId();
        return values;
    }
}
