package io.tessera;

import java.util.List;

/**
 * What {@link Tessera#wait(List, int, java.time.Duration)} found: at most {@code n} ready refs, in
 * input order, and the rest, in input order.
 *
 * @param ready    refs whose value or failure is available
 * @param notReady the others
 * @param <T>      the objects' type
 */
public record WaitResult<T>(List<ObjectRef<T>> ready, List<ObjectRef<T>> notReady)
{
    /**
     * Copies both lists.
     *
     * @throws NullPointerException when a list or an element is null
     */
    public WaitResult
    {
        ready = List.copyOf(ready);
        notReady = List.copyOf(notReady);
    }
}
