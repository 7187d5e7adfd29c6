package io.tessera.dashboard.jobs;

import java.util.List;
import java.util.Map;

/**
 * One submitted job as the API reports it and the head journals it.
 *
 * @param submissionId  its id
 * @param jobId         its driver's job id (the state API's {@code JobInfo.id})
 * @param status        where it is
 * @param message       why it is there, for people
 * @param classPath     the driver's class path entries
 * @param mainClass     the driver's main class
 * @param args          its arguments
 * @param env           the environment variables given
 * @param workingDir    its working directory (null: the head's)
 * @param submittedAtMs when it was submitted (epoch ms)
 * @param startTimeMs   when its driver started (0: not yet)
 * @param endTimeMs     when it ended (0: not yet)
 * @param exitCode      the driver's exit code (null: not known)
 * @param driverPid     the driver's process id (0: none yet)
 * @param driverStartMs the driver process's start instant (tells it from a later process with the same pid)
 */
public record JobDetails(String submissionId, String jobId, Status status, String message, List<String> classPath, String mainClass,
                         List<String> args, Map<String, String> env, String workingDir, long submittedAtMs, long startTimeMs,
                         long endTimeMs, Integer exitCode, long driverPid, long driverStartMs)
{
    /** A job's life: PENDING, RUNNING, then one of the terminal states. */
    public enum Status
    {
        /** Accepted; its driver is starting. */
        PENDING,
        /** Its driver runs. */
        RUNNING,
        /** Its driver exited with 0. */
        SUCCEEDED,
        /** Its driver could not start, exited with another code, or was lost. */
        FAILED,
        /** Stopped by {@code POST /api/jobs/{id}/stop}. */
        STOPPED;

        /**
         * Whether the job is over.
         *
         * @return true for SUCCEEDED, FAILED, STOPPED
         */
        public boolean terminal()
        {
            return this == SUCCEEDED || this == FAILED || this == STOPPED;
        }
    }

    JobDetails running(long pid, long startMs, long nowMs)
    {
        return new JobDetails(submissionId, jobId, Status.RUNNING, "the driver runs (pid " + pid + ")", classPath, mainClass, args,
            env, workingDir, submittedAtMs, nowMs, 0, null, pid, startMs);
    }

    JobDetails ended(Status s, String why, Integer exit, long nowMs)
    {
        return new JobDetails(submissionId, jobId, s, why, classPath, mainClass, args, env, workingDir, submittedAtMs, startTimeMs,
            nowMs, exit, driverPid, driverStartMs);
    }
}
