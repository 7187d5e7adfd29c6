package io.tessera.internal.cluster;

import io.tessera.memory.ObjectId;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The borrows each peer registered with this owner (GET_OBJECT) and has not released yet, so that a
 * peer that is gone for good (its node died, its job ended) gives back what it borrowed: a borrower
 * that exits never runs the Cleaners that would have released its refs.
 */
final class Borrowers
{
    private final Map<String, Map<ObjectId, Integer>> byPeer = new ConcurrentHashMap<>();

    void borrowed(String peer, ObjectId id)
    {
        byPeer.compute(peer, (p, known) ->
        {
            final Map<ObjectId, Integer> m = known != null ? known : new ConcurrentHashMap<>();
            m.merge(id, 1, Integer::sum);
            return m;
        });
    }

    void released(String peer, ObjectId id)
    {
        byPeer.computeIfPresent(peer, (p, m) ->
        {
            m.computeIfPresent(id, (k, n) -> n <= 1 ? null : n - 1);
            return m.isEmpty() ? null : m;
        });
    }

    /** The peer is gone: {@code release} runs once for every borrow it still had. Returns how many. */
    int gone(String peer, Consumer<ObjectId> release)
    {
        final Map<ObjectId, Integer> m = byPeer.remove(peer);
        if (m == null)
        {
            return 0;
        }
        int n = 0;
        for (Map.Entry<ObjectId, Integer> e : m.entrySet())
        {
            for (int i = 0; i < e.getValue(); i++)
            {
                release.accept(e.getKey());
                n++;
            }
        }
        return n;
    }

    /** Borrows outstanding, all peers together. */
    int size()
    {
        int n = 0;
        for (Map<ObjectId, Integer> m : byPeer.values())
        {
            n += m.values().stream().mapToInt(Integer::intValue).sum();
        }
        return n;
    }
}
