package io.tessera.scheduler;

import java.util.Map;

/**
 * An approximate snapshot of a scheduler: its queues, threads, resources and counters.
 *
 * @param queued                runnable tasks waiting for resources or a worker
 * @param waitingOnDependencies tasks waiting for {@link LocalScheduler#dependencyResolved(Task)}
 * @param running               workers running a task or a mailbox batch
 * @param workers               live worker threads
 * @param blockedWorkers        workers inside {@link LocalScheduler#beginBlocking()}
 * @param mailboxes             live mailboxes
 * @param tasksCompleted        tasks and actor calls that ran to the end (whatever their outcome)
 * @param errors                throwables that escaped a task's {@code run} or {@code abandoned}
 *
 * @param totalCpus             CPUs of the node
 * @param availableCpus         CPUs not held now
 * @param totalGpus             GPUs of the node
 * @param availableGpus         GPUs not held now
 * @param totalMemoryBytes      memory the scheduler hands out
 * @param availableMemoryBytes  memory not held now
 * @param totalCustom           custom resource totals
 * @param availableCustom       custom resources not held now
 */
public record SchedulerStats(
    long queued,
    long waitingOnDependencies,
    long running,
    int workers,
    int blockedWorkers,
    long mailboxes,
    double totalCpus,
    double availableCpus,
    double totalGpus,
    double availableGpus,
    long totalMemoryBytes,
    long availableMemoryBytes,
    Map<String, Double> totalCustom,
    Map<String, Double> availableCustom,
    long tasksCompleted,
    long errors)
{
}
