package io.tessera.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The user metrics registered in one Prometheus registry, by name: registering the same name, type
 * and tag keys again returns the metric registered first; anything else under that name is a clash.
 */
final class MetricTable
{
    /** Prometheus's metric name rule. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    /** Prometheus's label name rule; names starting with {@code __} are Prometheus's own. */
    private static final Pattern TAG = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** The labels the node adds to every user metric. */
    static final Set<String> RESERVED_TAGS = Set.of("node", "job");

    private final PrometheusRegistry registry;
    private final Map<String, Metric> byName = new ConcurrentHashMap<>();

    MetricTable(PrometheusRegistry registry)
    {
        this.registry = registry;
    }

    Counter counter(String name, String description, String... tagKeys)
    {
        final List<String> tags = checkTags(checkName(name), tagKeys);
        return register(Counter.class, name, tags, null, () -> new Counter(name, description, tags,
            io.prometheus.metrics.core.metrics.Counter.builder().name(name).help(description).labelNames(labels(tags))
                .register(registry)));
    }

    Gauge gauge(String name, String description, String... tagKeys)
    {
        final List<String> tags = checkTags(checkName(name), tagKeys);
        return register(Gauge.class, name, tags, null, () -> new Gauge(name, description, tags,
            io.prometheus.metrics.core.metrics.Gauge.builder().name(name).help(description).labelNames(labels(tags))
                .register(registry)));
    }

    Histogram histogram(String name, String description, double[] boundaries, String... tagKeys)
    {
        final List<String> tags = checkTags(checkName(name), tagKeys);
        checkBoundaries(name, boundaries);
        return register(Histogram.class, name, tags, boundaries, () -> new Histogram(name, description, tags, boundaries,
            io.prometheus.metrics.core.metrics.Histogram.builder().name(name).help(description).labelNames(labels(tags))
                .classicOnly().classicUpperBounds(boundaries).register(registry)));
    }

    private <M extends Metric> M register(Class<M> type, String name, List<String> tags, double[] boundaries,
                                          java.util.function.Supplier<M> create)
    {
        final Metric m = byName.computeIfAbsent(name, n ->
        {
            try
            {
                return create.get();
            }
            catch (IllegalArgumentException | IllegalStateException ex)
            {
                throw new IllegalArgumentException("cannot register metric '" + n + "': " + ex.getMessage(), ex);
            }
        });
        if (!type.isInstance(m) || !m.tagKeys().equals(tags)
            || (m instanceof Histogram h && !h.sameBoundaries(boundaries)))
        {
            throw new IllegalArgumentException("metric '" + name + "' is already registered as a "
                + m.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " with tag keys " + m.tagKeys()
                + (m instanceof Histogram h ? " and boundaries " + Arrays.toString(h.boundaries()) : "")
                + ": register it with the same type, tag keys" + (m instanceof Histogram ? " and boundaries" : "")
                + ", or use another name");
        }
        return type.cast(m);
    }

    private static String checkName(String name)
    {
        if (name == null || !NAME.matcher(name).matches())
        {
            throw new IllegalArgumentException("metric name '" + name + "' is not a Prometheus name: letters, digits, '_' and ':',"
                + " not starting with a digit (e.g. requests_served)");
        }
        return name;
    }

    private static List<String> checkTags(String name, String[] tagKeys)
    {
        final Set<String> seen = new HashSet<>();
        for (String k : tagKeys)
        {
            if (k == null || !TAG.matcher(k).matches() || k.startsWith("__"))
            {
                throw new IllegalArgumentException(name + ": tag key '" + k + "' is not a Prometheus label name: letters,"
                    + " digits and '_', not starting with a digit or '__'");
            }
            if (RESERVED_TAGS.contains(k))
            {
                throw new IllegalArgumentException(name + ": tag key '" + k + "' is reserved: the node adds "
                    + RESERVED_TAGS + " to every metric");
            }
            if (!seen.add(k))
            {
                throw new IllegalArgumentException(name + ": tag key '" + k + "' is given twice");
            }
        }
        return List.of(tagKeys);
    }

    private static void checkBoundaries(String name, double[] boundaries)
    {
        if (boundaries == null || boundaries.length == 0)
        {
            throw new IllegalArgumentException(name + ": a histogram needs at least one bucket boundary");
        }
        for (int i = 0; i < boundaries.length; i++)
        {
            if (!Double.isFinite(boundaries[i]) || (i > 0 && boundaries[i] <= boundaries[i - 1]))
            {
                throw new IllegalArgumentException(name + ": bucket boundaries must be finite and strictly increasing, got "
                    + Arrays.toString(boundaries));
            }
        }
    }

    private static String[] labels(List<String> tags)
    {
        final List<String> all = new ArrayList<>(tags);
        all.add("node");
        all.add("job");
        return all.toArray(String[]::new);
    }
}
