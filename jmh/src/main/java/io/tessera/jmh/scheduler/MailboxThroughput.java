package io.tessera.jmh.scheduler;

import io.tessera.scheduler.LocalScheduler;
import io.tessera.scheduler.Mailbox;
import io.tessera.scheduler.ResourceRequest;
import io.tessera.scheduler.SchedulerContext;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Async actor-call throughput: {@value #BATCH} no-op calls spread round-robin over {@code actors}
 * mailboxes (0-CPU actors), then wait for all. One operation is one call. Baseline: one
 * single-thread executor per actor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class MailboxThroughput
{
    static final int BATCH = 10_000;

    @Param({"1", "16"})
    public int actors;

    private LocalScheduler scheduler;
    private Mailbox[] mailboxes;
    private ExecutorService[] executors;
    private final Completion completion = new Completion();
    private final Runnable countDown = completion::countDown;

    @Setup(Level.Trial)
    public void start()
    {
        scheduler = new LocalScheduler(new SchedulerContext().cpus(Runtime.getRuntime().availableProcessors()));
        mailboxes = new Mailbox[actors];
        executors = new ExecutorService[actors];
        for (int i = 0; i < actors; i++)
        {
            mailboxes[i] = scheduler.createMailbox(ResourceRequest.NONE);
            executors[i] = Executors.newSingleThreadExecutor();
        }
    }

    @TearDown(Level.Trial)
    public void stop()
    {
        for (final ExecutorService e : executors)
        {
            e.shutdownNow();
        }
        scheduler.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void tesseraMailbox()
    {
        completion.reset(BATCH);
        final Mailbox[] boxes = mailboxes;
        for (int i = 0; i < BATCH; i++)
        {
            scheduler.submit(boxes[i % boxes.length], new NoopTask(ResourceRequest.NONE, completion));
        }
        completion.await();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void singleThreadExecutorPerActor()
    {
        completion.reset(BATCH);
        final ExecutorService[] ex = executors;
        for (int i = 0; i < BATCH; i++)
        {
            ex[i % ex.length].execute(new Runnable()
            {
                @Override
                public void run()
                {
                    countDown.run();
                }
            });
        }
        completion.await();
    }
}
