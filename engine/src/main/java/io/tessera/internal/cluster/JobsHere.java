package io.tessera.internal.cluster;

import io.tessera.memory.ObjectId;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node's record of which job each object it holds for an owner belongs to, and of the jobs that
 * ended here recently (a result finishing after its job ended is freed at once instead of held).
 */
final class JobsHere
{
    /** Ended jobs remembered, oldest forgotten first (a late result of an older job is then held until its owner frees it). */
    private static final int ENDED_REMEMBERED = 4096;

    private final Map<ObjectId, String> jobOf = new ConcurrentHashMap<>();
    private final Map<String, Boolean> ended = new LinkedHashMap<>(16, 0.75f, false)
    {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest)
        {
            return size() > ENDED_REMEMBERED;
        }
    };

    /** Records that {@code id} is held for {@code jobId}; false (nothing recorded) when that job already ended. */
    boolean held(ObjectId id, String jobId)
    {
        synchronized (ended)
        {
            if (jobId != null && ended.containsKey(jobId))
            {
                return false;
            }
            if (jobId != null)
            {
                jobOf.put(id, jobId);
            }
            return true;
        }
    }

    /** The job {@code id} is held for, or null. */
    String jobOf(ObjectId id)
    {
        return jobOf.get(id);
    }

    void forget(ObjectId id)
    {
        jobOf.remove(id);
    }

    boolean ended(String jobId)
    {
        synchronized (ended)
        {
            return ended.containsKey(jobId);
        }
    }

    void end(String jobId)
    {
        synchronized (ended)
        {
            ended.put(jobId, Boolean.TRUE);
        }
    }

    /** The objects held for {@code jobId} now. */
    List<ObjectId> objectsOf(String jobId)
    {
        final List<ObjectId> out = new ArrayList<>();
        synchronized (ended)
        {
            jobOf.forEach((id, job) ->
            {
                if (job.equals(jobId))
                {
                    out.add(id);
                }
            });
        }
        return out;
    }

    int size()
    {
        return jobOf.size();
    }
}
