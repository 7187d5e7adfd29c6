package io.tessera.internal;

import io.tessera.state.ActorInfo;
import io.tessera.state.TaskInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * What one node (or, merged, the whole cluster) recorded for the state API: its task records, its
 * actors, and how many task records its bounded ring dropped.
 *
 * @param tasks   task records, oldest first
 * @param actors  live and recently dead actors
 * @param dropped task records overwritten before they were asked
 */
public record NodeRecords(List<TaskInfo> tasks, List<ActorInfo> actors, long dropped)
{
    /** Copies the lists. */
    public NodeRecords
    {
        tasks = List.copyOf(tasks);
        actors = List.copyOf(actors);
    }

    /**
     * Everything in {@code parts}, in their order, dropped counts added up.
     *
     * @param parts the nodes' records
     * @return the merge
     */
    public static NodeRecords merge(List<NodeRecords> parts)
    {
        final List<TaskInfo> t = new ArrayList<>();
        final List<ActorInfo> a = new ArrayList<>();
        long dropped = 0;
        for (NodeRecords p : parts)
        {
            t.addAll(p.tasks);
            a.addAll(p.actors);
            dropped += p.dropped;
        }
        return new NodeRecords(t, a, dropped);
    }
}
