package io.tessera.internal.cluster;

import java.util.Map;

/**
 * What {@code tessera logs} (and the dashboard's logs page) asks the head for: the captured task output of a
 * job on every node, of an actor on its node, or a node's own log file — exactly one of {@code job},
 * {@code actor} (id or name) and {@code node} (id or HOST:PORT) is set.
 *
 * @param job   the job's id, or null.
 * @param actor the actor's id or name, or null.
 * @param node  the node's id or HOST:PORT, or null.
 * @param tail  how many of the last lines of each file to return when {@code after} has no position for it.
 * @param after positions returned by an earlier read ({@link LogLines#positions()}): only lines written since then come.
 */
public record LogQuery(String job, String actor, String node, int tail, Map<String, Long> after)
{
    /** Checks that exactly one target is set and {@code tail} is not negative. */
    public LogQuery
    {
        final int targets = (job != null ? 1 : 0) + (actor != null ? 1 : 0) + (node != null ? 1 : 0);
        if (targets != 1)
        {
            throw new IllegalArgumentException("a log query names exactly one of a job, an actor or a node; got " + targets);
        }
        if (tail < 0)
        {
            throw new IllegalArgumentException("tail must be >= 0, got " + tail);
        }
        after = after == null ? Map.of() : Map.copyOf(after);
    }

    /** The same query continuing after {@code positions}. */
    public LogQuery after(Map<String, Long> positions)
    {
        return new LogQuery(job, actor, node, tail, positions);
    }
}
