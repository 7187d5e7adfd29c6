package io.tessera.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** The schedulers a test opened: their errors collected, each closed after the test and checked to leave no thread behind. */
final class TestSchedulers
{
    final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final List<LocalScheduler> open = new ArrayList<>();

    LocalScheduler open(final SchedulerContext ctx)
    {
        final LocalScheduler s = new LocalScheduler(ctx.errorHandler(errors::add));
        open.add(s);
        return s;
    }

    void closeAndCheckNoLeakedThreads()
    {
        for (final LocalScheduler s : open)
        {
            s.close();
        }
        for (final LocalScheduler s : open)
        {
            for (final Thread t : s.threads())
            {
                assertFalse(t.isAlive(), "thread still alive after close: " + t.getName());
            }
            assertEquals(0, s.stats().workers());
        }
    }
}
