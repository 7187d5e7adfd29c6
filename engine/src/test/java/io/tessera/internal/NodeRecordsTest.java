package io.tessera.internal;

import io.tessera.state.JobInfo;
import io.tessera.state.JobStatus;
import io.tessera.state.ObjectInfo;
import io.tessera.state.TaskInfo;
import io.tessera.state.TaskStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How the nodes' answers become one record per object ({@link NodeRecords#objectInfos()}). */
class NodeRecordsTest
{
    private static final String RESULT = "000000000000007f0000000000000002";
    private static final String PUT = "000000000000007f0000000000000003";
    private static final String ORPHAN = "00000000000000aa0000000000000001";

    @Test
    void shouldMergeCopiesAndNameOwnerJobAndTask()
    {
        final TaskInfo task = new TaskInfo("7f-2", "Demo.make", TaskStatus.FINISHED, "n2", "w", "job-1", 0, 1_000, 1_000_000,
            2_000_000, 7_000_000, null, 0);
        final NodeRecords owner = new NodeRecords(List.of(), List.of(), 0,
            List.of(new ObjectCopy(PUT, 100, "n1", "job-1", 1, false, false, 50)), Map.of(0x7fL, "n1"), List.of());
        final NodeRecords worker = new NodeRecords(List.of(task), List.of(), 3,
            List.of(new ObjectCopy(RESULT, 500, "n2", null, 0, false, true, 20),
                new ObjectCopy(PUT, 100, "n2", null, 2, false, true, 60),
                new ObjectCopy(ORPHAN, 9, "n2", null, 0, true, false, 5)),
            Map.of(-5L, "n2"), List.of());
        final JobInfo job = new JobInfo("job-1", "127.0.0.1:1", JobStatus.RUNNING, 1, 0);
        final NodeRecords all = NodeRecords.merge(List.of(worker, owner)).withJobs(List.of(job));
        assertEquals(3, all.dropped());
        assertEquals(List.of(job), all.jobs());
        final List<ObjectInfo> objects = all.objectInfos();
        assertEquals(List.of(
            new ObjectInfo(RESULT, 500, "n1", "job-1", List.of("n2"), 0, false, "7f-2", "Demo.make", 1_010, 20),
            new ObjectInfo(PUT, 100, "n1", "job-1", List.of("n1", "n2"), 3, false, null, null, 0, 60),
            new ObjectInfo(ORPHAN, 9, null, null, List.of("n2"), 0, true, null, null, 0, 5)), objects,
            "owner by id prefix and listed first, job and call site from the task record, pins added, spilled when no copy is in memory");
    }
}
