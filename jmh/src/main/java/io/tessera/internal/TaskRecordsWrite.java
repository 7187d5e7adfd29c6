package io.tessera.internal;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What the state API's task record ring costs one task (issue #14: at most 50 ns): the three writes a task makes
 * on its way (submitted, started, ended), each a seqlock-guarded slot write, on a ring of the default capacity.
 * {@code recordOneTask} calls the ring as the engine does with the task metrics on: submission and start reuse the
 * clock readings the metrics took ({@code submittedNs}, {@code startNs}), the end reads the clock itself.
 * {@code recordOneTaskReadingClocks} is the metrics-off path (the ring reads all three). Baselines in the same run:
 * one and three {@link System#nanoTime()} reads. The benchmark sits in the engine's internal package because the
 * ring is package-private there.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TaskRecordsWrite
{
    private final TaskRecords records = new TaskRecords(TaskRecords.DEFAULT_CAPACITY);
    private final Thread worker = Thread.currentThread();
    private long id;

    private final long metricsClock = System.nanoTime();

    @Benchmark
    public long recordOneTask()
    {
        final long rec = records.submitted(7, ++id, "Jobs.square", "job-1", false, metricsClock);
        records.started(rec, worker, metricsClock + 1);
        records.ended(rec, io.tessera.state.TaskStatus.FINISHED, null);
        return rec;
    }

    @Benchmark
    public long recordOneTaskReadingClocks()
    {
        final long rec = records.submitted(7, ++id, "Jobs.square", "job-1", false, 0);
        records.started(rec, worker, 0);
        records.ended(rec, io.tessera.state.TaskStatus.FINISHED, null);
        return rec;
    }

    @Benchmark
    public long baselineOneClockRead()
    {
        return System.nanoTime() + ++id;
    }

    @Benchmark
    public long baselineThreeClockReads()
    {
        return System.nanoTime() + System.nanoTime() + System.nanoTime() + ++id;
    }
}
