package io.tessera.scheduler;

import static io.tessera.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dispatcher as an Agrona agent: stepped by hand through an {@link AgentInvoker} (no dispatcher
 * thread), each duty cycle's work count and the state it leaves are exact; run by a runner, it idles
 * on the context's strategy.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DispatcherAgentTest
{
    private static final ResourceRequest ONE_CPU = ResourceRequest.builder().cpus(1).build();
    /** Equal to {@link #ONE_CPU} but another instance: tasks with it are not batched with those of ONE_CPU. */
    private static final ResourceRequest ANOTHER_CPU = ResourceRequest.builder().cpus(1).build();

    private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private LocalScheduler scheduler;

    @AfterEach
    void closeAndCheck()
    {
        scheduler.close();
        for (final Thread t : scheduler.threads())
        {
            assertFalse(t.isAlive(), "thread still alive after close: " + t.getName());
        }
        assertTrue(errors.isEmpty(), "errors: " + errors);
    }

    private AgentInvoker steppedByHand(final double cpus)
    {
        scheduler = LocalScheduler.steppedByHand(new SchedulerContext().cpus(cpus).errorHandler(errors::add));
        assertEquals(1, scheduler.threads().size(), "no dispatcher thread, one worker");
        return scheduler.invoker();
    }

    /** Steps until a cycle does some work (a worker's COMPLETE arrives) and returns that cycle's count. */
    private static int stepUntilWork(final AgentInvoker dispatcher, final String what)
    {
        final int[] work = new int[1];
        until(what, () -> (work[0] = dispatcher.invoke()) > 0);
        return work[0];
    }

    @Test
    void shouldDoNothingUntilSteppedThenCountEachCyclesWork() throws Exception
    {
        final AgentInvoker dispatcher = steppedByHand(1);
        assertEquals(0, dispatcher.invoke(), "nothing submitted: no work");
        final TestTask a = new TestTask(ONE_CPU);
        final TestTask b = new TestTask(ANOTHER_CPU);
        scheduler.submit(a);
        scheduler.submit(b);
        assertEquals(0, scheduler.stats().queued(), "submissions wait on the ring until a cycle runs");
        assertEquals(0, a.runs.get());

        assertEquals(3, dispatcher.invoke(), "two SUBMIT events handled, one task started");
        assertEquals(1, scheduler.stats().running());
        assertEquals(1, scheduler.stats().queued(), "b waits for the only CPU");
        TestTask.await(a.finished);

        assertEquals(2, stepUntilWork(dispatcher, "a's COMPLETE"), "a's COMPLETE handled, b started");
        assertEquals(1, scheduler.stats().running());
        assertEquals(0, scheduler.stats().queued());
        TestTask.await(b.finished);

        assertEquals(1, stepUntilWork(dispatcher, "b's COMPLETE"), "b's COMPLETE handled, nothing to start");
        assertEquals(0, scheduler.stats().running());
        assertEquals(1.0, scheduler.stats().availableCpus());
        assertEquals(2, scheduler.stats().tasksCompleted());
        assertEquals(0, dispatcher.invoke());
    }

    @Test
    void shouldAbandonWhatIsQueuedWhenClosedBetweenCycles() throws Exception
    {
        final AgentInvoker dispatcher = steppedByHand(1);
        final TestTask a = new TestTask(ONE_CPU);
        final TestTask b = new TestTask(ANOTHER_CPU);
        scheduler.submit(a);
        scheduler.submit(b);
        assertEquals(3, dispatcher.invoke());
        TestTask.await(a.finished);

        scheduler.close();
        assertTrue(dispatcher.isClosed());
        assertEquals(1, b.abandons.get());
        assertInstanceOf(IllegalStateException.class, b.abandonReason);
        assertEquals(0, b.runs.get());
        assertEquals(1, a.runs.get());
        assertEquals(0, scheduler.stats().workers());
    }

    @Test
    void shouldIdleOnTheContextsStrategy() throws Exception
    {
        final CountingIdleStrategy idle = new CountingIdleStrategy();
        scheduler = new LocalScheduler(new SchedulerContext().cpus(1).dispatcherIdleStrategy(idle)
            .errorHandler(errors::add));
        final TestTask a = new TestTask(ONE_CPU);
        scheduler.submit(a);
        TestTask.await(a.finished);
        until("the dispatcher handled a's COMPLETE", () -> scheduler.stats().tasksCompleted() == 1 &&
            scheduler.stats().running() == 0);
        until("the runner idled on the given strategy", () -> idle.idleCycles.get() > 0);
        assertTrue(idle.busyCycles.get() > 0, "cycles with work are reported to the strategy too");
    }

    /** Agrona's back-off, counting the cycles it is handed. */
    private static final class CountingIdleStrategy implements IdleStrategy
    {
        final AtomicLong idleCycles = new AtomicLong();
        final AtomicLong busyCycles = new AtomicLong();
        private final IdleStrategy delegate = new BackoffIdleStrategy();

        @Override
        public void idle(final int workCount)
        {
            (workCount > 0 ? busyCycles : idleCycles).incrementAndGet();
            delegate.idle(workCount);
        }

        @Override
        public void idle()
        {
            idleCycles.incrementAndGet();
            delegate.idle();
        }

        @Override
        public void reset()
        {
            delegate.reset();
        }
    }
}
