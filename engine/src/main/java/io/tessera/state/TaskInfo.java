package io.tessera.state;

/**
 * One task or actor call, as the node that ran it recorded it.
 *
 * @param id            the task's id
 * @param functionName  the function's name, e.g. {@code Demo.square} (for an actor call {@code Class.method})
 * @param state         where it is in its life
 * @param nodeId        the node it runs or ran on; null while it waits for one
 * @param workerThread  the worker thread that ran it; null before it started
 * @param jobId         the job that submitted it
 * @param attempt       0 for the first attempt, then 1, 2 … on retries
 * @param submittedAtMs when it was submitted (epoch milliseconds)
 * @param waitForArgsNs time from submission until its arguments were ready (0 while waiting)
 * @param queueNs       time from arguments ready until it started (0 while waiting)
 * @param runNs         time it ran (0 until it ended)
 * @param error         what it threw, when {@link TaskStatus#FAILED}; null otherwise
 * @param startedAtUs   when its current attempt started (epoch microseconds, from the node's monotonic clock);
 *                      0 before it started. With {@code runNs} it places the task on a timeline
 */
public record TaskInfo(String id, String functionName, TaskStatus state, String nodeId, String workerThread,
                       String jobId, int attempt, long submittedAtMs, long waitForArgsNs, long queueNs, long runNs,
                       String error, long startedAtUs)
{
}
