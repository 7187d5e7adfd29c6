package io.tessera.scheduler;

import static io.tessera.testing.Await.await;
import static io.tessera.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalSchedulerTest
{
    private static final ResourceRequest ONE_CPU = ResourceRequest.builder().cpus(1).build();

    private final TestSchedulers schedulers = new TestSchedulers();
    private final ConcurrentLinkedQueue<Throwable> errors = schedulers.errors;

    private LocalScheduler scheduler(final SchedulerContext ctx)
    {
        return schedulers.open(ctx);
    }

    @AfterEach
    void closeAndCheckNoLeakedThreads()
    {
        schedulers.closeAndCheckNoLeakedThreads();
    }

    @Test
    void shouldRunTaskOnlyWhenWholeRequestFits() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(2).resource("x", 1));
        final ResourceRequest cpuAndX = ResourceRequest.builder().cpus(1).resource("x", 1).build();
        final CountDownLatch releaseA = new CountDownLatch(1);
        final TestTask a = TestTask.blocking(cpuAndX, releaseA);
        s.submit(a);
        TestTask.await(a.started);

        final TestTask b = new TestTask(cpuAndX);
        final TestTask c = new TestTask(ONE_CPU);
        s.submit(b);
        s.submit(c);
        TestTask.await(c.finished);
        assertEquals(0, b.runs.get(), "b needs x, which a holds: it must not run");
        until("b queued", () -> s.stats().queued() == 1);

        releaseA.countDown();
        TestTask.await(b.finished);
        until("all free", () -> s.stats().availableCpus() == 2 && s.stats().availableCustom().get("x") == 1.0);
    }

    @Test
    void shouldReleaseResourcesOnCompletionFailureAndCancel() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(1).memoryBytes(1000));
        final ResourceRequest req = ResourceRequest.builder().cpus(1).memoryBytes(600).build();

        final TestTask failing = new TestTask(req, 0, g ->
        {
            throw new IllegalStateException("boom");
        });
        s.submit(failing);
        TestTask.await(failing.finished);
        until("error counted", () -> s.stats().errors() == 1);
        assertEquals("boom", errors.peek().getMessage());

        final TestTask ok = new TestTask(req);
        s.submit(ok);
        TestTask.await(ok.finished);

        final TestTask running = TestTask.blocking(req, new CountDownLatch(1));
        s.submit(running);
        TestTask.await(running.started);
        final TestTask queued = new TestTask(req);
        s.submit(queued);
        until("queued", () -> s.stats().queued() == 1);
        assertEquals(CancelOutcome.REMOVED, s.cancel(queued));
        assertEquals(CancelOutcome.INTERRUPTED, s.cancel(running));
        TestTask.await(running.finished);
        assertTrue(running.interrupted);
        assertEquals(CancelOutcome.NOT_FOUND, s.cancel(running));

        until("resources back", () ->
            s.stats().availableCpus() == 1 && s.stats().availableMemoryBytes() == 1000 && s.stats().running() == 0);
        final TestTask after = new TestTask(req);
        s.submit(after);
        TestTask.await(after.finished);
        assertEquals(0, queued.runs.get());
        assertEquals(0, queued.abandons.get(), "cancel does not call abandoned");
    }

    @Test
    void shouldGrantDistinctWholeGpusAndShareFractionalOnes() throws Exception
    {
        final CopyOnWriteArrayList<String> binds = new CopyOnWriteArrayList<>();
        final AtomicInteger unbinds = new AtomicInteger();
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(8).gpuIds(3, 7).gpuBinder(new GpuBinder()
        {
            @Override
            public void bind(final int[] gpuIds)
            {
                binds.add(Arrays.toString(gpuIds) + LocalScheduler.isWorkerThread());
            }

            @Override
            public void unbind()
            {
                unbinds.incrementAndGet();
            }
        }));
        final ResourceRequest oneGpu = ResourceRequest.builder().gpus(1).build();
        final CountDownLatch release = new CountDownLatch(1);
        final TestTask g1 = TestTask.blocking(oneGpu, release);
        final TestTask g2 = TestTask.blocking(oneGpu, release);
        final TestTask g3 = new TestTask(oneGpu);
        s.submit(g1);
        s.submit(g2);
        s.submit(g3);
        TestTask.await(g1.started);
        TestTask.await(g2.started);
        final Set<Integer> ids = new HashSet<>();
        ids.add(g1.grant.gpuIds()[0]);
        ids.add(g2.grant.gpuIds()[0]);
        assertEquals(Set.of(3, 7), ids, "whole GPUs go to distinct devices");
        assertEquals(0, g3.runs.get());
        assertEquals(0.0, s.stats().availableGpus());
        release.countDown();
        TestTask.await(g3.finished);
        assertTrue(binds.contains("[" + g1.grant.gpuIds()[0] + "]true"), binds.toString());

        final ResourceRequest half = ResourceRequest.builder().gpus(0.5).build();
        final CountDownLatch releaseHalves = new CountDownLatch(1);
        final List<TestTask> halves = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            final TestTask t = TestTask.blocking(half, releaseHalves);
            halves.add(t);
            s.submit(t);
        }
        for (final TestTask t : halves)
        {
            TestTask.await(t.started);
        }
        final int[] perDevice = new int[8];
        for (final TestTask t : halves)
        {
            assertEquals(1, t.grant.gpuIds().length);
            perDevice[t.grant.gpuIds()[0]]++;
        }
        assertEquals(2, perDevice[3]);
        assertEquals(2, perDevice[7]);
        releaseHalves.countDown();
        until("GPUs free", () -> s.stats().availableGpus() == 2.0);
        until("unbinds", () -> unbinds.get() == 7);
        assertEquals(0, new TestTask(ResourceRequest.NONE).request().gpus());
    }

    @Test
    void shouldAccountMemoryAndCustomResources() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(4).memoryBytes(100).resource("accelerator:H100", 1.5));
        final ResourceRequest mem = ResourceRequest.builder().memoryBytes(60).resource("accelerator:H100", 1).build();
        final CountDownLatch release = new CountDownLatch(1);
        final TestTask a = TestTask.blocking(mem, release);
        s.submit(a);
        TestTask.await(a.started);
        assertEquals(60, a.grant.memoryBytes());
        assertEquals(1.0, a.grant.custom().get("accelerator:H100"));
        final SchedulerStats st = s.stats();
        assertEquals(40, st.availableMemoryBytes());
        assertEquals(0.5, st.availableCustom().get("accelerator:H100"), 1e-9);
        assertEquals(4.0, st.availableCpus());

        final TestTask b = new TestTask(mem);
        final TestTask small = new TestTask(ResourceRequest.builder().memoryBytes(40).resource("accelerator:H100", 0.5).build());
        s.submit(b);
        s.submit(small);
        TestTask.await(small.finished);
        assertEquals(0, b.runs.get());
        release.countDown();
        TestTask.await(b.finished);
        until("all free", () -> s.stats().availableMemoryBytes() == 100);
    }

    @Test
    void shouldRunAfterLastDependencyResolvedHoldingNothing() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(1));
        final TestTask waiting = new TestTask(ONE_CPU, 2, g -> { });
        s.submit(waiting);
        until("waiting", () -> s.stats().waitingOnDependencies() == 1);
        assertEquals(1.0, s.stats().availableCpus());
        final TestTask other = new TestTask(ONE_CPU);
        s.submit(other);
        TestTask.await(other.finished);

        s.dependencyResolved(waiting);
        final TestTask marker = new TestTask(ONE_CPU);
        s.submit(marker);
        TestTask.await(marker.finished);
        assertEquals(0, waiting.runs.get());
        s.dependencyResolved(waiting);
        TestTask.await(waiting.finished);
        assertEquals(0, s.stats().waitingOnDependencies());
        assertThrows(SchedulerException.class, () -> s.dependencyResolved(waiting));

        final TestTask resolvedEarly = new TestTask(ONE_CPU, 1, g -> { });
        s.dependencyResolved(resolvedEarly);
        s.submit(resolvedEarly);
        TestTask.await(resolvedEarly.finished);

        final TestTask cancelledWaiting = new TestTask(ONE_CPU, 1, g -> { });
        s.submit(cancelledWaiting);
        assertEquals(CancelOutcome.REMOVED, s.cancel(cancelledWaiting));
        s.dependencyResolved(cancelledWaiting);
        until("none waiting", () -> s.stats().waitingOnDependencies() == 0);
        final TestTask marker2 = new TestTask(ONE_CPU);
        s.submit(marker2);
        TestTask.await(marker2.finished);
        assertEquals(0, cancelledWaiting.runs.get());
    }

    @Test
    void shouldLetNestedTaskRunWhileParentBlocksOnOneCpu() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(1));
        final TestTask[] child = new TestTask[1];
        final TestTask parent = new TestTask(ONE_CPU, 0, g ->
        {
            child[0] = new TestTask(ONE_CPU);
            s.submit(child[0]);
            LocalScheduler.beginBlocking();
            try
            {
                TestTask.await(child[0].finished);
            }
            catch (final InterruptedException e)
            {
                throw new AssertionError(e);
            }
            finally
            {
                LocalScheduler.endBlocking();
            }
        });
        s.submit(parent);
        TestTask.await(parent.finished);
        assertEquals(1, child[0].runs.get());
        assertNotEquals(parent.thread, child[0].thread);
        until("cpu back", () -> s.stats().availableCpus() == 1.0 && s.stats().blockedWorkers() == 0);
        assertFalse(LocalScheduler.isWorkerThread());
        LocalScheduler.beginBlocking();
        LocalScheduler.endBlocking();
    }

    @Test
    void shouldRunCallsOfTenThousandMailboxesInOrderOnFewThreads() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(2));
        final int actors = 10_000;
        final int calls = 20;
        final int[] next = new int[actors];
        final AtomicInteger outOfOrder = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(actors * calls);
        final Mailbox[] boxes = new Mailbox[actors];
        for (int a = 0; a < actors; a++)
        {
            boxes[a] = s.createMailbox(ResourceRequest.NONE);
        }
        for (int c = 0; c < calls; c++)
        {
            for (int a = 0; a < actors; a++)
            {
                final int actor = a;
                final int seq = c;
                s.submit(boxes[a], new TestTask(ResourceRequest.NONE, 0, g ->
                {
                    if (next[actor] != seq)
                    {
                        outOfOrder.incrementAndGet();
                    }
                    next[actor] = seq + 1;
                    done.countDown();
                }));
            }
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "calls left: " + done.getCount());
        assertEquals(0, outOfOrder.get());
        assertEquals(actors, s.stats().mailboxes());
        assertTrue(s.stats().workers() <= 8, "workers: " + s.stats().workers());
    }

    @Test
    void shouldKeepCallsBehindHeadWithPendingDependency() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(2));
        final Mailbox m = s.createMailbox(ResourceRequest.NONE);
        final CopyOnWriteArrayList<Integer> order = new CopyOnWriteArrayList<>();
        final TestTask first = new TestTask(ResourceRequest.NONE, 1, g -> order.add(1));
        final TestTask second = new TestTask(ResourceRequest.NONE, 0, g -> order.add(2));
        s.submit(m, first);
        s.submit(m, second);
        final TestTask marker = new TestTask(ONE_CPU);
        s.submit(marker);
        TestTask.await(marker.finished);
        assertEquals(List.of(), order);
        s.dependencyResolved(first);
        TestTask.await(second.finished);
        assertEquals(List.of(1, 2), order);
        assertNotNull(s.mailboxGrant(m));
    }

    @Test
    void shouldWaitForActorReservationBeforeCalls() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(1));
        final CountDownLatch release = new CountDownLatch(1);
        final TestTask hog = TestTask.blocking(ONE_CPU, release);
        s.submit(hog);
        TestTask.await(hog.started);
        final Mailbox m = s.createMailbox(ONE_CPU);
        final TestTask call = new TestTask(ResourceRequest.NONE);
        s.submit(m, call);
        assertNull(s.mailboxGrant(m));
        release.countDown();
        TestTask.await(call.finished);
        assertEquals(1.0, s.mailboxGrant(m).cpus());
        assertSame(s.mailboxGrant(m), call.grant);
        until("reserved", () -> s.stats().availableCpus() == 0.0);
        final TestTask task = new TestTask(ONE_CPU);
        s.submit(task);
        s.closeMailbox(m, new IllegalStateException("actor died"));
        TestTask.await(task.finished);
        until("released", () -> s.stats().availableCpus() == 1.0);
    }

    @Test
    void shouldCancelQueuedAndRunningTasks() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(1));
        final TestTask running = TestTask.blocking(ONE_CPU, new CountDownLatch(1));
        s.submit(running);
        TestTask.await(running.started);
        final TestTask queued = new TestTask(ONE_CPU);
        s.submit(queued);
        assertEquals(CancelOutcome.REMOVED, s.cancel(queued));
        assertEquals(CancelOutcome.NOT_FOUND, s.cancel(queued));
        assertEquals(CancelOutcome.INTERRUPTED, s.cancel(running));
        TestTask.await(running.finished);
        final TestTask next = new TestTask(ONE_CPU);
        s.submit(next);
        TestTask.await(next.finished);
        assertEquals(0, queued.runs.get());
        assertEquals(CancelOutcome.NOT_FOUND, s.cancel(new TestTask(ONE_CPU)));
        assertFalse(next.thread.isInterrupted());
    }

    @Test
    void shouldAbandonQueuedCallsAndLaterSubmitsWhenMailboxClosed() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(2));
        final Mailbox m = s.createMailbox(ResourceRequest.builder().cpus(1).build());
        final TestTask running = TestTask.blocking(ResourceRequest.NONE, new CountDownLatch(1));
        final TestTask queued1 = new TestTask(ResourceRequest.NONE);
        final TestTask queued2 = new TestTask(ResourceRequest.NONE, 1, g -> { });
        s.submit(m, running);
        s.submit(m, queued1);
        s.submit(m, queued2);
        TestTask.await(running.started);
        final IllegalStateException reason = new IllegalStateException("actor killed");
        s.closeMailbox(m, reason);
        assertTrue(m.isClosed());
        TestTask.await(running.finished);
        assertTrue(running.interrupted);
        TestTask.await(queued1.abandonedLatch);
        TestTask.await(queued2.abandonedLatch);
        assertSame(reason, queued1.abandonReason);
        assertEquals(0, queued1.runs.get());
        final TestTask late = new TestTask(ResourceRequest.NONE);
        s.submit(m, late);
        assertSame(reason, late.abandonReason);
        until("reservation released", () -> s.stats().availableCpus() == 2.0);
        assertEquals(0, s.stats().mailboxes());
    }

    @Test
    void shouldCancelQueuedMailboxCall() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(2));
        final Mailbox m = s.createMailbox(ResourceRequest.NONE);
        final CountDownLatch release = new CountDownLatch(1);
        final TestTask first = TestTask.blocking(ResourceRequest.NONE, release);
        final TestTask second = new TestTask(ResourceRequest.NONE);
        final TestTask third = new TestTask(ResourceRequest.NONE);
        s.submit(m, first);
        s.submit(m, second);
        s.submit(m, third);
        TestTask.await(first.started);
        assertEquals(CancelOutcome.REMOVED, s.cancel(second));
        release.countDown();
        TestTask.await(third.finished);
        assertEquals(0, second.runs.get());
        assertEquals(0, second.abandons.get());
    }

    @Test
    void shouldExplainInfeasibleRequests() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(2).memoryBytes(1024).resource("disk", 1));
        assertNull(s.infeasibleReason(ResourceRequest.builder().cpus(2).memoryBytes(1024).resource("disk", 1).build()));
        assertEquals("GPU: requested 1.0, node has 0.0", s.infeasibleReason(ResourceRequest.builder().gpus(1).build()));
        assertEquals("custom resource 'accelerator:H100': requested 1.0, node has none",
            s.infeasibleReason(ResourceRequest.builder().resource("accelerator:H100", 1).build()));
        assertEquals("CPU: requested 3.0, node has 2.0", s.infeasibleReason(ResourceRequest.builder().cpus(3).build()));
        assertEquals("custom resource 'disk': requested 2.0, node has 1.0",
            s.infeasibleReason(ResourceRequest.builder().resource("disk", 2).build()));
        assertTrue(s.infeasibleReason(ResourceRequest.builder().memoryBytes(2048).build()).startsWith("memory"));
        assertThrows(SchedulerException.class, () -> ResourceRequest.builder().cpus(-1));
        assertThrows(SchedulerException.class, () -> ResourceRequest.builder().gpus(1.5));
        assertThrows(SchedulerException.class, () -> s.createMailbox(ResourceRequest.builder().gpus(1).build()));

        final TestTask infeasible = new TestTask(ResourceRequest.builder().gpus(1).build());
        s.submit(infeasible);
        TestTask.await(infeasible.abandonedLatch);
        assertInstanceOf(SchedulerException.class, infeasible.abandonReason);
        assertTrue(infeasible.abandonReason.getMessage().contains("GPU"));
        assertEquals(ResourceRequest.builder().cpus(1).build(), ONE_CPU);
        assertTrue(ResourceRequest.builder().build().isZero());
    }

    @Test
    void shouldHoldOneMillionQueuedTasks() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(1));
        final CountDownLatch release = new CountDownLatch(1);
        final TestTask hog = TestTask.blocking(ONE_CPU, release);
        s.submit(hog);
        TestTask.await(hog.started);
        final int n = 1_000_000;
        final AtomicInteger ran = new AtomicInteger();
        final AtomicInteger abandoned = new AtomicInteger();
        for (int i = 0; i < n; i++)
        {
            s.submit(new Task(ONE_CPU, 0)
            {
                @Override
                protected void run(final Grant grant)
                {
                    ran.incrementAndGet();
                }

                @Override
                protected void abandoned(final Throwable reason)
                {
                    abandoned.incrementAndGet();
                }
            });
        }
        until("a million queued", () -> s.stats().queued() == n);
        assertEquals(0, ran.get());
        release.countDown();
        until("some ran", () -> ran.get() > 1000);
        s.close();
        assertEquals(n, ran.get() + abandoned.get());
    }

    @Test
    void shouldAbandonQueuedWorkAndStopThreadsOnClose() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(1));
        final TestTask running = TestTask.blocking(ONE_CPU, new CountDownLatch(1));
        s.submit(running);
        TestTask.await(running.started);
        final TestTask queued = new TestTask(ONE_CPU);
        final TestTask waiting = new TestTask(ONE_CPU, 1, g -> { });
        s.submit(queued);
        s.submit(waiting);
        final Mailbox m = s.createMailbox(ResourceRequest.builder().cpus(1).build());
        final TestTask call = new TestTask(ResourceRequest.NONE);
        s.submit(m, call);
        until("queued", () -> s.stats().queued() == 1 && s.stats().waitingOnDependencies() == 1);
        final List<Thread> threads = s.threads();
        s.close();
        s.close();
        for (final Thread t : threads)
        {
            assertFalse(t.isAlive(), t.getName());
        }
        assertTrue(running.interrupted);
        for (final TestTask t : List.of(queued, waiting, call))
        {
            assertEquals(1, t.abandons.get());
            assertInstanceOf(IllegalStateException.class, t.abandonReason);
            assertEquals("scheduler closed", t.abandonReason.getMessage());
        }
        final TestTask late = new TestTask(ONE_CPU);
        s.submit(late);
        assertEquals("scheduler closed", late.abandonReason.getMessage());
        assertTrue(m.isClosed());
    }

    @Test
    void shouldNameThreadsAndStartAboutCpusWorkers() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(2));
        final List<String> names = s.threads().stream().map(Thread::getName).toList();
        assertEquals(List.of("tessera-dispatcher", "tessera-worker-0", "tessera-worker-1"), names);
        assertTrue(s.threads().stream().allMatch(Thread::isDaemon));
        assertArrayEquals(new int[0], new TestTask(ONE_CPU).request().custom().isEmpty() ? new int[0] : null);
    }

    @Test
    void shouldUseAlmostNoCpuWhenIdle() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(2));
        final TestTask warm = new TestTask(ONE_CPU);
        s.submit(warm);
        TestTask.await(warm.finished);
        final java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        until("all parked", () -> s.threads().stream().allMatch(t -> t.getState() == Thread.State.WAITING));
        long before = 0;
        for (final Thread t : s.threads())
        {
            before += mx.getThreadCpuTime(t.threadId());
        }
        await("300 ms with every thread parked").during(java.time.Duration.ofMillis(300))
            .until(() -> s.threads().stream().allMatch(t -> t.getState() == Thread.State.WAITING));
        long after = 0;
        for (final Thread t : s.threads())
        {
            after += mx.getThreadCpuTime(t.threadId());
        }
        assertTrue(after - before < 15_000_000L, "idle scheduler burnt " + (after - before) / 1000 + " us of CPU in 300 ms");
    }

    @Test
    void shouldHandBackBatchedTasksWhenTheirWorkerBlocks() throws Exception
    {
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(1));
        final CountDownLatch releaseHog = new CountDownLatch(1);
        final TestTask hog = TestTask.blocking(ONE_CPU, releaseHog);
        s.submit(hog);
        TestTask.await(hog.started);
        final List<TestTask> rest = new ArrayList<>();
        final CountDownLatch thirdDone = new CountDownLatch(1);
        final TestTask first = new TestTask(ONE_CPU, 0, g ->
        {
            LocalScheduler.beginBlocking();
            try
            {
                TestTask.await(thirdDone);
            }
            catch (final InterruptedException e)
            {
                throw new AssertionError(e);
            }
            finally
            {
                LocalScheduler.endBlocking();
            }
        });
        s.submit(first);
        for (int i = 0; i < 5; i++)
        {
            final TestTask t = i == 1 ? new TestTask(ONE_CPU, 0, g -> thirdDone.countDown()) : new TestTask(ONE_CPU);
            rest.add(t);
            s.submit(t);
        }
        until("queued", () -> s.stats().queued() == 6);
        releaseHog.countDown();
        TestTask.await(first.finished);
        for (final TestTask t : rest)
        {
            TestTask.await(t.finished);
        }
        until("cpu back", () -> s.stats().availableCpus() == 1.0 && s.stats().running() == 0);
    }

    @Test
    void shouldBindActorGpusAroundEveryCall() throws Exception
    {
        final CopyOnWriteArrayList<String> events = new CopyOnWriteArrayList<>();
        final LocalScheduler s = scheduler(new SchedulerContext().cpus(2).gpuIds(0, 1).gpuBinder(new GpuBinder()
        {
            @Override
            public void bind(final int[] gpuIds)
            {
                events.add("bind" + Arrays.toString(gpuIds) + Thread.currentThread().getName().startsWith("tessera-worker-"));
            }

            @Override
            public void unbind()
            {
                events.add("unbind");
            }
        }));
        final Mailbox m = s.createMailbox(ResourceRequest.builder().gpus(1).build());
        final TestTask c1 = new TestTask(ResourceRequest.NONE, 0, g -> events.add("call"));
        final TestTask c2 = new TestTask(ResourceRequest.NONE, 0, g -> events.add("call"));
        s.submit(m, c1);
        s.submit(m, c2);
        TestTask.await(c2.finished);
        final int id = s.mailboxGrant(m).gpuIds()[0];
        until("unbound", () -> events.size() == 6);
        assertEquals(List.of("bind[" + id + "]true", "call", "unbind", "bind[" + id + "]true", "call", "unbind"), events);
        assertEquals(1.0, s.stats().availableGpus());
        final ResourceRequest twoGpus = ResourceRequest.builder().gpus(2).build();
        final TestTask needsBoth = new TestTask(twoGpus);
        s.submit(needsBoth);
        s.closeMailbox(m, new IllegalStateException("gone"));
        TestTask.await(needsBoth.finished);
        assertEquals(2, needsBoth.grant.gpuIds().length);
    }
}
