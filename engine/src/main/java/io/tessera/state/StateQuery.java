package io.tessera.state;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which records to list: equality filters on a record's field names, and a limit. Immutable; each
 * call returns a new query.
 * <pre>{@code
 * StateQuery q = StateQuery.all().filter("state", "FAILED").filter("node", nodeId).limit(100);
 * }</pre>
 * A key is a field name of the record listed ({@code functionName}, {@code state} …) or a field name
 * without its {@code Id} or {@code Ids} suffix ({@code node} for {@code nodeId}, {@code job} for {@code jobId},
 * {@code node} for an object's {@code nodeIds}). A value matches a field whose text ({@code String.valueOf}, an
 * enum's name) equals it; a list field matches when one of its elements does.
 */
public final class StateQuery
{
    /** The limit of {@link #all()}. */
    public static final int DEFAULT_LIMIT = 1000;

    private static final StateQuery ALL = new StateQuery(Map.of(), DEFAULT_LIMIT);

    private final Map<String, String> filters;
    private final int limit;

    private StateQuery(Map<String, String> filters, int limit)
    {
        this.filters = filters;
        this.limit = limit;
    }

    /**
     * No filter, at most {@link #DEFAULT_LIMIT} records.
     *
     * @return the query selecting everything
     */
    public static StateQuery all()
    {
        return ALL;
    }

    /**
     * This query, also requiring {@code key} to equal {@code value} (replaces an earlier filter on {@code key}).
     *
     * @param key   a field name of the listed record (or one without its {@code Id} suffix)
     * @param value the text the field must have
     * @return the new query
     * @throws IllegalArgumentException when {@code key} is blank
     */
    public StateQuery filter(String key, String value)
    {
        Objects.requireNonNull(value, "value");
        if (key == null || key.isBlank())
        {
            throw new IllegalArgumentException("a filter key must be a field name, got '" + key + "'");
        }
        final Map<String, String> f = new LinkedHashMap<>(filters);
        f.put(key, value);
        return new StateQuery(Map.copyOf(f), limit);
    }

    /**
     * This query, selecting at most {@code n} records.
     *
     * @param n the limit, at least 1
     * @return the new query
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    public StateQuery limit(int n)
    {
        if (n < 1)
        {
            throw new IllegalArgumentException("limit must be at least 1, got " + n);
        }
        return new StateQuery(filters, n);
    }

    /**
     * The filters, by key.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> filters()
    {
        return filters;
    }

    /**
     * The limit.
     *
     * @return at most this many records are selected
     */
    public int limit()
    {
        return limit;
    }

    /**
     * Checks every key against {@code type}'s fields.
     *
     * @param type the record type listed
     * @throws IllegalArgumentException naming the unknown key and the valid ones
     */
    public void validate(Class<? extends Record> type)
    {
        for (String key : filters.keySet())
        {
            component(type, key);
        }
    }

    /**
     * Applies this query to {@code records}: those matching every filter, in their order, at most the limit.
     *
     * @param type    the records' type
     * @param records the candidates
     * @param dropped records lost before they could be listed (passed on as {@link StateList#dropped()})
     * @param <T>     the record type
     * @return the selection
     * @throws IllegalArgumentException when a filter key is not a field of {@code type}
     */
    public <T extends Record> StateList<T> select(Class<T> type, Collection<? extends T> records, long dropped)
    {
        final List<RecordComponent> fields = new ArrayList<>(filters.size());
        final List<String> values = new ArrayList<>(filters.size());
        filters.forEach((k, v) ->
        {
            fields.add(component(type, k));
            values.add(v);
        });
        final List<T> items = new ArrayList<>(Math.min(limit, records.size()));
        long total = 0;
        for (T r : records)
        {
            if (matches(r, fields, values))
            {
                total++;
                if (items.size() < limit)
                {
                    items.add(r);
                }
            }
        }
        return new StateList<>(items, total, dropped);
    }

    private static boolean matches(Record r, List<RecordComponent> fields, List<String> values)
    {
        for (int i = 0; i < fields.size(); i++)
        {
            final Object v = read(fields.get(i), r);
            if (v instanceof Collection<?> list ? !containsText(list, values.get(i)) : !values.get(i).equals(String.valueOf(v)))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean containsText(Collection<?> list, String value)
    {
        for (Object e : list)
        {
            if (value.equals(String.valueOf(e)))
            {
                return true;
            }
        }
        return false;
    }

    private static Object read(RecordComponent c, Record r)
    {
        try
        {
            return c.getAccessor().invoke(r);
        }
        catch (IllegalAccessException | InvocationTargetException ex)
        {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getName(), ex);
        }
    }

    private static RecordComponent component(Class<? extends Record> type, String key)
    {
        final RecordComponent[] all = type.getRecordComponents();
        for (RecordComponent c : all)
        {
            if (c.getName().equals(key) || c.getName().equals(key + "Id") || c.getName().equals(key + "Ids"))
            {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown filter key '" + key + "' for " + type.getSimpleName() + ": valid keys are "
            + String.join(", ", Arrays.stream(all).map(RecordComponent::getName).toList()));
    }

    @Override
    public boolean equals(Object o)
    {
        return o instanceof StateQuery q && q.limit == limit && q.filters.equals(filters);
    }

    @Override
    public int hashCode()
    {
        return filters.hashCode() * 31 + limit;
    }

    @Override
    public String toString()
    {
        return "StateQuery" + filters + " limit " + limit;
    }
}
