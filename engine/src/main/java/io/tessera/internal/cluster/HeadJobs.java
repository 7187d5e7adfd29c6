package io.tessera.internal.cluster;

import java.util.Map;

/**
 * What the head lends a job supervisor (the jobs API of issue #16): records kept in the head's
 * journal, so they survive a head restart, and ending a driver's job at once (its tasks and actors
 * freed on every node, as when the driver ends it itself).
 */
public interface HeadJobs
{
    /**
     * The records journaled so far (replayed from the journal after a restart).
     *
     * @return submission id to record, a snapshot
     */
    Map<String, String> records();

    /**
     * Journals one record; returns once it is written.
     *
     * @param submissionId the record's key
     * @param record       its text; null removes it
     */
    void record(String submissionId, String record);

    /**
     * Ends job {@code jobId} now: every node frees what it holds for it (its tasks, its actors but
     * detached ones). Nothing happens when the head knows no such job.
     *
     * @param jobId the driver's job id
     * @param why   for the head's log
     */
    void endJob(String jobId, String why);
}
