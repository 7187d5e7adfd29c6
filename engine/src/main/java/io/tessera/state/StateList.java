package io.tessera.state;

import java.util.List;

/**
 * The records a {@link StateQuery} selected.
 *
 * @param items   the selected records, at most the query's limit
 * @param total   how many records matched the filters (may exceed {@code items.size()})
 * @param dropped records the nodes' bounded rings overwrote before they were asked (not counted in {@code total})
 * @param <T>     the record type
 */
public record StateList<T>(List<T> items, long total, long dropped)
{
    /** Copies the list. */
    public StateList
    {
        items = List.copyOf(items);
    }
}
