package io.tessera.scheduler;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A task that records what happened to it; its body may block or throw. */
class TestTask extends Task
{
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch finished = new CountDownLatch(1);
    final CountDownLatch abandonedLatch = new CountDownLatch(1);
    final AtomicInteger runs = new AtomicInteger();
    final AtomicInteger abandons = new AtomicInteger();
    volatile Grant grant;
    volatile Thread thread;
    volatile Throwable abandonReason;
    volatile boolean interrupted;
    private final Consumer<Grant> body;

    TestTask(final ResourceRequest request, final int deps, final Consumer<Grant> body)
    {
        super(request, deps);
        this.body = body;
    }

    TestTask(final ResourceRequest request)
    {
        this(request, 0, g -> { });
    }

    static TestTask blocking(final ResourceRequest request, final CountDownLatch release)
    {
        final TestTask[] self = new TestTask[1];
        self[0] = new TestTask(request, 0, g ->
        {
            try
            {
                release.await();
            }
            catch (final InterruptedException e)
            {
                self[0].interrupted = true;
            }
        });
        return self[0];
    }

    @Override
    protected void run(final Grant grant)
    {
        this.grant = grant;
        this.thread = Thread.currentThread();
        runs.incrementAndGet();
        started.countDown();
        try
        {
            body.accept(grant);
        }
        finally
        {
            finished.countDown();
        }
    }

    @Override
    protected void abandoned(final Throwable reason)
    {
        abandonReason = reason;
        abandons.incrementAndGet();
        abandonedLatch.countDown();
    }

    static void await(final CountDownLatch latch) throws InterruptedException
    {
        if (!latch.await(20, TimeUnit.SECONDS))
        {
            throw new AssertionError("timed out waiting");
        }
    }
}
