package io.tessera.scheduler;

import static io.tessera.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * N equal tasks on C CPUs run in ceil(N/C) waves of min(C, left) tasks each: tasks that waited in the
 * queue while the node was full start on every CPU as it frees up, never one after another on one
 * worker (issue #10, item 5). Each test first fills the node and queues the tasks, then frees one CPU
 * alone, which is exactly when the dispatcher hands every queued task with the same request to the
 * one worker it starts; then it frees the rest and steps the tasks through by hand, wave by wave.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueuedTaskParallelismTest
{
    private static final ResourceRequest ONE_CPU = ResourceRequest.builder().cpus(1).build();
    private static final int TASKS = 8;

    private final List<LocalScheduler> schedulers = new ArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final AtomicInteger started = new AtomicInteger();
    private final ConcurrentLinkedQueue<CountDownLatch> startedReleases = new ConcurrentLinkedQueue<>();
    /** Every latch a test task waits on, counted down after each test so a failed one ends quickly. */
    private final ConcurrentLinkedQueue<CountDownLatch> allReleases = new ConcurrentLinkedQueue<>();

    private LocalScheduler scheduler(final double cpus)
    {
        final LocalScheduler s = new LocalScheduler(new SchedulerContext().cpus(cpus).errorHandler(errors::add));
        schedulers.add(s);
        return s;
    }

    @AfterEach
    void closeAndCheckNoLeakedThreads()
    {
        for (final CountDownLatch release : allReleases)
        {
            release.countDown();
        }
        for (final LocalScheduler s : schedulers)
        {
            s.close();
        }
        for (final LocalScheduler s : schedulers)
        {
            for (final Thread t : s.threads())
            {
                assertFalse(t.isAlive(), "thread still alive after close: " + t.getName());
            }
        }
        assertTrue(errors.isEmpty(), () -> "scheduler errors: " + errors);
    }

    /** Holds one CPU until its own latch is counted down, recording how many such tasks run at once. */
    private TestTask waveTask()
    {
        final CountDownLatch release = new CountDownLatch(1);
        allReleases.add(release);
        return new TestTask(ONE_CPU, 0, g ->
        {
            final int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            startedReleases.add(release);
            started.incrementAndGet();
            try
            {
                TestTask.await(release);
            }
            catch (final InterruptedException e)
            {
                throw new AssertionError(e);
            }
            finally
            {
                running.decrementAndGet();
            }
        });
    }

    /** Fills every CPU with a blocking task, queues {@code n} wave tasks behind them, returns the hogs' latches. */
    private List<CountDownLatch> fillNodeAndQueue(final LocalScheduler s, final int cpus, final List<TestTask> tasks)
        throws InterruptedException
    {
        final List<CountDownLatch> hogReleases = new ArrayList<>();
        final List<TestTask> hogs = new ArrayList<>();
        for (int i = 0; i < cpus; i++)
        {
            final CountDownLatch release = new CountDownLatch(1);
            allReleases.add(release);
            final TestTask hog = TestTask.blocking(ONE_CPU, release);
            hogReleases.add(release);
            hogs.add(hog);
            s.submit(hog);
        }
        for (final TestTask hog : hogs)
        {
            TestTask.await(hog.started);
        }
        for (final TestTask t : tasks)
        {
            s.submit(t);
        }
        until(tasks.size() + " tasks queued", () -> s.stats().queued() == tasks.size());
        return hogReleases;
    }

    /** Frees one CPU and waits until the first queued task took it, then frees the others. */
    private void freeOneCpuThenTheRest(final List<CountDownLatch> hogReleases) throws InterruptedException
    {
        hogReleases.get(0).countDown();
        until("first queued task started", () -> started.get() >= 1);
        for (final CountDownLatch release : hogReleases)
        {
            release.countDown();
        }
    }

    private void runInWaves(final int cpus, final int n) throws InterruptedException
    {
        int done = 0;
        int waves = 0;
        while (done < n)
        {
            final int expect = Math.min(cpus, n - done);
            final int target = done + expect;
            until("wave " + (waves + 1) + ": " + expect + " tasks running at once (" + started.get() + " of " +
                n + " started, " + done + " done, " + running.get() + " running)", () -> started.get() == target);
            for (int i = 0; i < expect; i++)
            {
                startedReleases.remove().countDown();
            }
            done = target;
            waves++;
        }
        assertEquals((n + cpus - 1) / cpus, waves);
        assertEquals(Math.min(n, cpus), maxRunning.get(), "most tasks running at once");
    }

    @ParameterizedTest(name = "{0} CPUs")
    @ValueSource(ints = {2, 4, 8})
    void shouldRunQueuedTasksOnEveryCpuAsItFrees(final int cpus) throws Exception
    {
        final LocalScheduler s = scheduler(cpus);
        final List<TestTask> tasks = new ArrayList<>();
        for (int i = 0; i < TASKS; i++)
        {
            tasks.add(waveTask());
        }
        freeOneCpuThenTheRest(fillNodeAndQueue(s, cpus, tasks));
        runInWaves(cpus, TASKS);
        for (final TestTask t : tasks)
        {
            TestTask.await(t.finished);
            assertEquals(1, t.runs.get());
        }
        until("cpus back", () -> s.stats().availableCpus() == cpus && s.stats().running() == 0);
    }

    @Test
    void shouldNeverRunTasksCancelledWhileWaitingBehindABusyWorker() throws Exception
    {
        final int cpus = 2;
        final LocalScheduler s = scheduler(cpus);
        final List<TestTask> tasks = new ArrayList<>();
        for (int i = 0; i < TASKS; i++)
        {
            tasks.add(waveTask());
        }
        final List<CountDownLatch> hogReleases = fillNodeAndQueue(s, cpus, tasks);
        hogReleases.get(0).countDown();
        until("first queued task started", () -> started.get() >= 1);
        final List<TestTask> cancelled = new ArrayList<>();
        for (int i = 1; i < TASKS; i += 2)
        {
            final TestTask t = tasks.get(i);
            assertEquals(CancelOutcome.REMOVED, s.cancel(t));
            cancelled.add(t);
        }
        hogReleases.get(1).countDown();
        runInWaves(cpus, TASKS - cancelled.size());
        for (final TestTask t : tasks)
        {
            if (!cancelled.contains(t))
            {
                TestTask.await(t.finished);
            }
        }
        until("cpus back", () -> s.stats().availableCpus() == cpus && s.stats().running() == 0);
        for (final TestTask t : cancelled)
        {
            assertEquals(0, t.runs.get());
            assertEquals(0, t.abandons.get());
        }
        assertEquals(TASKS - cancelled.size(), started.get());
    }

    @Test
    void shouldRunEveryTaskExactlyOnceWhileFreedCpusTakeBatchedTasksBack() throws Exception
    {
        final int cpus = 4;
        final int rounds = 100;
        final int perRound = 64;
        final LocalScheduler s = scheduler(cpus);
        final List<TestTask> tasks = new ArrayList<>();
        final Set<TestTask> cancelled = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int round = 0; round < rounds; round++)
        {
            final List<TestTask> batch = new ArrayList<>();
            for (int i = 0; i < perRound; i++)
            {
                // some tasks hold their CPU a little, so the workers' claims race the dispatcher's
                final boolean slow = (i + round) % 4 == 0;
                batch.add(new TestTask(ONE_CPU, 0, g ->
                {
                    if (slow)
                    {
                        LockSupport.parkNanos(50_000L);
                    }
                }));
            }
            final List<CountDownLatch> hogReleases = fillNodeAndQueue(s, cpus, batch);
            for (final CountDownLatch release : hogReleases)
            {
                release.countDown();
                if (round % 2 == 0)
                {
                    Thread.yield();
                }
            }
            for (int i = round % 5; i < perRound; i += 5)
            {
                if (s.cancel(batch.get(i)) == CancelOutcome.REMOVED)
                {
                    cancelled.add(batch.get(i));
                }
            }
            tasks.addAll(batch);
        }
        for (final TestTask t : tasks)
        {
            if (!cancelled.contains(t))
            {
                TestTask.await(t.finished);
            }
        }
        until("cpus back", () -> s.stats().availableCpus() == cpus && s.stats().running() == 0);
        for (final TestTask t : tasks)
        {
            assertEquals(cancelled.contains(t) ? 0 : 1, t.runs.get());
            assertEquals(0, t.abandons.get());
        }
        assertFalse(cancelled.isEmpty());
    }
}
