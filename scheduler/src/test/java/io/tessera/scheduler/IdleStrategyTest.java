package io.tessera.scheduler;

import static io.tessera.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the scheduler's threads wait when there is no work: by default they end up parked (an idle node
 * burns no CPU: issue #15 goal 1), in the low-latency mode they spin and never park (goal 2). Asserted on
 * thread states and the idle strategies' counters, not on time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdleStrategyTest
{
    private static final ResourceRequest ONE_CPU = ResourceRequest.builder().cpus(1).build();
    private static final int TASKS = 200;

    private final TestSchedulers schedulers = new TestSchedulers();

    private LocalScheduler scheduler(final SchedulerContext ctx)
    {
        return schedulers.open(ctx);
    }

    @AfterEach
    void closeAndCheckNoLeakedThreads()
    {
        schedulers.closeAndCheckNoLeakedThreads();
        assertTrue(schedulers.errors.isEmpty(), () -> "errors: " + schedulers.errors);
    }

    private static void runTasks(final LocalScheduler s) throws InterruptedException
    {
        final List<TestTask> tasks = new ArrayList<>();
        for (int i = 0; i < TASKS; i++)
        {
            final TestTask t = new TestTask(ONE_CPU);
            tasks.add(t);
            s.submit(t);
        }
        for (final TestTask t : tasks)
        {
            TestTask.await(t.finished);
        }
    }

    @Test
    void shouldParkDispatcherAndWorkersOnceIdle() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(2));
        runTasks(s);

        final List<Thread> threads = s.threads();
        assertTrue(threads.size() >= 3, "the dispatcher and at least two workers: " + threads);
        for (final Thread t : threads)
        {
            until(t.getName() + " parked", () -> t.getState() == Thread.State.WAITING && LockSupport.getBlocker(t) != null);
        }
        for (final SpinYieldParkIdleStrategy idle : s.idleStrategies())
        {
            assertEquals("spin-yield-park", idle.alias());
            assertTrue(idle.parks() > 0, "an idle thread parked at least once");
        }

        // parked threads are woken by the next hand-off: the work still runs
        runTasks(s);
    }

    @Test
    void shouldNeverParkWhenBusySpinning() throws Exception
    {
        final AtomicInteger pinned = new AtomicInteger();
        final AtomicInteger released = new AtomicInteger();
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(2).busySpin(true).threadPinning(name ->
        {
            assertEquals(Thread.currentThread().getName(), name);
            pinned.incrementAndGet();
            return released::incrementAndGet;
        }));
        runTasks(s);

        final List<SpinYieldParkIdleStrategy> strategies = s.idleStrategies();
        assertEquals(s.threads().size(), strategies.size());
        for (final SpinYieldParkIdleStrategy idle : strategies)
        {
            assertEquals("busy-spin", idle.alias());
            final long seen = idle.idleCycles();
            // far more idle cycles than the default strategy's spins and yields before it parks
            until("idle cycles past " + (seen + 100_000), () -> idle.idleCycles() > seen + 100_000);
            assertEquals(0, idle.parks(), "a busy-spinning thread never parks");
        }
        for (final Thread t : s.threads())
        {
            assertNotSame(Thread.State.WAITING, t.getState(), t.getName() + " spins, it does not wait");
        }
        assertEquals(s.threads().size(), pinned.get(), "every scheduler thread was pinned as it started");

        runTasks(s);
        s.close();
        assertEquals(pinned.get(), released.get(), "every pinned thread released its core as it ended");
    }
}
