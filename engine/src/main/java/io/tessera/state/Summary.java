package io.tessera.state;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Counts of tasks, actors or objects by name and state, as {@code ray summary} prints them.
 *
 * @param counts  by name (function name, actor class, or object call site), then by state: how many
 * @param dropped records the nodes' bounded rings overwrote before they were counted
 */
public record Summary(Map<String, Map<String, Long>> counts, long dropped)
{
    /** Copies the maps. */
    public Summary
    {
        final Map<String, Map<String, Long>> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        counts = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Counts {@code records} by {@code name} and {@code state}.
     *
     * @param records the records
     * @param name    a record's name (function, class …)
     * @param state   a record's state, as text
     * @param dropped records lost before they could be counted
     * @param <T>     the record type
     * @return the summary
     */
    public static <T> Summary of(Collection<? extends T> records, Function<? super T, String> name,
                                 Function<? super T, String> state, long dropped)
    {
        final Map<String, Map<String, Long>> m = new TreeMap<>();
        for (T r : records)
        {
            m.computeIfAbsent(String.valueOf(name.apply(r)), k -> new TreeMap<>()).merge(String.valueOf(state.apply(r)), 1L, Long::sum);
        }
        return new Summary(m, dropped);
    }

    /**
     * All counts added up.
     *
     * @return the number of records counted
     */
    public long total()
    {
        return counts.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    }
}
