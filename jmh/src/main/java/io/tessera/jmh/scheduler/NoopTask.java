package io.tessera.jmh.scheduler;

import io.tessera.scheduler.Grant;
import io.tessera.scheduler.ResourceRequest;
import io.tessera.scheduler.Task;

/** A task (or actor call) that only signals its completion. */
final class NoopTask extends Task
{
    private final Completion completion;

    NoopTask(final ResourceRequest request, final Completion completion)
    {
        super(request, 0);
        this.completion = completion;
    }

    @Override
    protected void run(final Grant grant)
    {
        completion.countDown();
    }

    @Override
    protected void abandoned(final Throwable reason)
    {
        completion.countDown();
    }
}
