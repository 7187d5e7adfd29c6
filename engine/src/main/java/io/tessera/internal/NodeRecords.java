package io.tessera.internal;

import io.tessera.memory.ObjectId;
import io.tessera.state.ActorInfo;
import io.tessera.state.JobInfo;
import io.tessera.state.ObjectInfo;
import io.tessera.state.TaskInfo;
import io.tessera.state.TaskStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one node (or, merged, the whole cluster) recorded for the state API: its task records, its
 * actors, how many task records its bounded ring dropped, the object copies in its store, the id prefix
 * of the objects it owns, and (from the head only) the head's job table.
 *
 * @param tasks    task records, oldest first
 * @param actors   live and recently dead actors
 * @param dropped  task records overwritten before they were asked
 * @param objects  the copies in the stores
 * @param owners   node id by the id prefix of the objects each process owns ({@link ObjectId#hi()})
 * @param jobs     the head's jobs; empty in a node's own answer
 */
public record NodeRecords(List<TaskInfo> tasks, List<ActorInfo> actors, long dropped, List<ObjectCopy> objects,
                          Map<Long, String> owners, List<JobInfo> jobs)
{
    /** Copies the lists. */
    public NodeRecords
    {
        tasks = List.copyOf(tasks);
        actors = List.copyOf(actors);
        objects = List.copyOf(objects);
        owners = Map.copyOf(owners);
        jobs = List.copyOf(jobs);
    }

    /**
     * Only the objects of this answer (what the head takes from a driver: it runs no tasks or actors).
     *
     * @return the objects and owners, nothing else
     */
    public NodeRecords objectsOnly()
    {
        return new NodeRecords(List.of(), List.of(), 0, objects, owners, List.of());
    }

    /**
     * This answer with {@code jobTable} as its jobs.
     *
     * @param jobTable the head's jobs
     * @return the new answer
     */
    public NodeRecords withJobs(List<JobInfo> jobTable)
    {
        return new NodeRecords(tasks, actors, dropped, objects, owners, jobTable);
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
        final List<ObjectCopy> o = new ArrayList<>();
        final Map<Long, String> owners = new HashMap<>();
        final List<JobInfo> j = new ArrayList<>();
        long dropped = 0;
        for (NodeRecords p : parts)
        {
            t.addAll(p.tasks);
            a.addAll(p.actors);
            o.addAll(p.objects);
            owners.putAll(p.owners);
            j.addAll(p.jobs);
            dropped += p.dropped;
        }
        return new NodeRecords(t, a, dropped, o, owners, j);
    }

    /**
     * One record per object: its copies merged, its owner found by the id prefix, its job, task and call
     * site from the record of the task whose result it is (a task record's id is its result's id).
     *
     * @return the objects, in the order their first copy was reported
     */
    public List<ObjectInfo> objectInfos()
    {
        final Map<String, TaskInfo> byId = new HashMap<>();
        for (TaskInfo task : tasks)
        {
            byId.put(task.id(), task);
        }
        final Map<String, List<ObjectCopy>> copies = new LinkedHashMap<>();
        for (ObjectCopy c : objects)
        {
            copies.computeIfAbsent(c.id(), k -> new ArrayList<>()).add(c);
        }
        final List<ObjectInfo> out = new ArrayList<>(copies.size());
        copies.forEach((id, cs) ->
        {
            final ObjectId oid = ObjectId.parse(id);
            final String owner = owners.get(oid.hi());
            final TaskInfo task = byId.get(Long.toHexString(oid.hi()) + '-' + Long.toHexString(oid.lo()));
            cs.sort((x, y) -> Boolean.compare(!x.nodeId().equals(owner), !y.nodeId().equals(owner)));
            long size = 0;
            long lastUsed = 0;
            int pins = 0;
            boolean inMemory = false;
            String job = null;
            final List<String> nodes = new ArrayList<>(cs.size());
            for (ObjectCopy c : cs)
            {
                size = Math.max(size, c.sizeBytes());
                lastUsed = Math.max(lastUsed, c.lastUsedAtMs());
                pins += c.pins();
                inMemory |= !c.spilled();
                job = job != null ? job : c.ownerJob();
                if (!nodes.contains(c.nodeId()))
                {
                    nodes.add(c.nodeId());
                }
            }
            if (job == null && task != null)
            {
                job = task.jobId();
            }
            out.add(new ObjectInfo(id, size, owner, job, nodes, pins, !inMemory, task == null ? null : task.id(),
                task == null ? null : task.functionName(), task == null ? 0 : finishedAtMs(task), lastUsed));
        });
        return out;
    }

    private static long finishedAtMs(TaskInfo t)
    {
        return t.state() != TaskStatus.FINISHED ? 0
            : t.submittedAtMs() + (t.waitForArgsNs() + t.queueNs() + t.runNs()) / 1_000_000L;
    }
}
