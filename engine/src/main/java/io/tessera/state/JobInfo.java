package io.tessera.state;

/**
 * One job: a driver's run against the cluster.
 *
 * @param id          the job's id
 * @param driver      the driver's transport address
 * @param state       where it is in its life
 * @param startedAtMs when it started (epoch milliseconds)
 * @param endedAtMs   when it ended (epoch milliseconds); 0 while it runs
 */
public record JobInfo(String id, String driver, JobStatus state, long startedAtMs, long endedAtMs)
{
}
