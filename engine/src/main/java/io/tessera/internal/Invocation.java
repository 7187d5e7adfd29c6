package io.tessera.internal;

import io.tessera.ActorDiedException;
import io.tessera.ObjectLostException;
import io.tessera.TaskCancelledException;
import io.tessera.TaskContext;
import io.tessera.TaskException;
import io.tessera.TesseraException;
import io.tessera.gpu.GpuBuffer;
import io.tessera.internal.metrics.NodeMetrics;
import io.tessera.scheduler.Grant;
import io.tessera.scheduler.ResourceRequest;
import io.tessera.scheduler.Task;
import io.tessera.state.TaskStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One attempt of a task, actor constructor or actor method call: the scheduler runs it on a worker
 * thread once its dependencies are resolved and its resources granted. It is also the
 * {@link TaskContext} of the code it runs, so a task costs no extra context object.
 */
public final class Invocation extends Task implements TaskContext, TaskOutput.Source
{
    enum Kind
    {
        TASK, CONSTRUCTOR, METHOD
    }

    private static final int[] NO_GPUS = {};
    private static final java.lang.invoke.VarHandle ARGS_READY;

    static
    {
        try
        {
            ARGS_READY = java.lang.invoke.MethodHandles.lookup().findVarHandle(Invocation.class, "argsReady", int.class);
        }
        catch (ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    final InvocationHost host;
    final Kind kind;
    final Object fn;
    final FnInfo info;
    final Object[] args;
    final ObjectCell result;
    final ActorRecord actor;
    final long taskSeq;
    final int attempt;
    final int maxRetries;
    final boolean retryExceptions;
    /** {@link System#nanoTime()} when this attempt was made (0 with the task metrics off). */
    final long submittedNs;
    /** The job whose output this captures on a cluster node (see {@link TaskOutput}), else null. */
    private final String logJob;
    /** This task's record in the node's {@link TaskRecords}, or {@link TaskRecords#NONE}. */
    long record = TaskRecords.NONE;
    /** The job it runs for when not this node's own (a task or actor sent here by its owner). */
    String job;
    /** Arguments awaited at submit, and how many of them became ready (for the args-ready record). */
    private final int pendingAtSubmit;
    private int argsReady;
    private volatile Grant grant;
    private volatile boolean cancelled;
    /** Copies of GPU-object arguments made on this attempt's device; released when it ends. */
    private List<GpuBuffer> gpuCopies;

    Invocation(InvocationHost host, Kind kind, Object fn, FnInfo info, Object[] args, ObjectCell result,
               ActorRecord actor, ResourceRequest request, int pendingDependencies, long taskSeq, int attempt,
               int maxRetries, boolean retryExceptions)
    {
        super(request, pendingDependencies);
        this.pendingAtSubmit = pendingDependencies;
        this.host = host;
        this.kind = kind;
        this.fn = fn;
        this.info = info;
        this.args = args;
        this.result = result;
        this.actor = actor;
        this.taskSeq = taskSeq;
        this.attempt = attempt;
        this.maxRetries = maxRetries;
        this.retryExceptions = retryExceptions;
        if (NodeMetrics.TASKS_ON)
        {
            this.submittedNs = System.nanoTime();
            if (attempt == 0)
            {
                host.metrics().submitted();
            }
        }
        else
        {
            this.submittedNs = 0;
        }
        this.logJob = TaskOutput.jobForNew();
    }

    @Override
    public String logJob()
    {
        return logJob;
    }

    @Override
    public String logName()
    {
        return info.name;
    }

    /** The invocation running on this thread, or null on a driver thread. */
    static Invocation current()
    {
        return RunningTask.get() instanceof Invocation running ? running : null;
    }

    void cancel()
    {
        cancelled = true;
    }

    /** Whether this queued task may run on {@code parent}'s thread under its grant (see ObjectDirectory#get). */
    boolean canRunInside(Invocation parent)
    {
        final Grant g = parent.grant;
        final ResourceRequest r = request();
        if (kind != Kind.TASK || parent.host != host || cancelled || g == null || r.gpus() > 0 || !r.custom().isEmpty()
            || r.memoryBytes() > g.memoryBytes() || r.cpus() > g.cpus())
        {
            return false;
        }
        for (Object a : args)
        {
            if (a instanceof ObjectCell c && !c.isDone())
            {
                return false;
            }
        }
        return true;
    }

    /** Runs this task on the current thread under the parent's grant; it was taken out of the scheduler. */
    void runInline(Invocation parent)
    {
        run(parent.grant);
    }

    @Override
    protected void run(Grant granted)
    {
        if (cancelled || (result.isDone() && kind != Kind.CONSTRUCTOR))
        {
            return;
        }
        grant = granted;
        final long startNs = NodeMetrics.TASKS_ON ? host.metrics().started(submittedNs) : 0;
        final Task outer = RunningTask.get();
        RunningTask.set(this);
        // a job's function runs (and its arguments decode) in the job's class loader, as its own code expects
        final Thread self = Thread.currentThread();
        host.taskRecords().started(record, self, startNs);
        final ClassLoader callerLoader = self.getContextClassLoader();
        final ClassLoader jobLoader = fn.getClass().getClassLoader();
        final boolean swapLoader = jobLoader != null && jobLoader != callerLoader;
        if (swapLoader)
        {
            self.setContextClassLoader(jobLoader);
        }
        if (actor != null)
        {
            actor.running = result;
        }
        try
        {
            final Object[] resolved = resolveArguments();
            if (resolved == null)
            {
                if (NodeMetrics.TASKS_ON)
                {
                    host.metrics().failed();
                }
                return;
            }
            switch (kind)
            {
                case TASK ->
                {
                    final Object value = Invoker.invoke(fn, resolved);
                    succeeded();
                    host.complete(result, value);
                }
                case CONSTRUCTOR ->
                {
                    final Object instance = Invoker.invoke(fn, resolved);
                    if (instance == null)
                    {
                        throw new IllegalStateException("actor constructor " + info.name + " returned null");
                    }
                    actor.started(instance);
                    succeeded();
                    result.complete(null);
                }
                case METHOD ->
                {
                    final Object receiver = actor.instanceOrThrow();
                    final Object[] withReceiver = new Object[resolved.length + 1];
                    withReceiver[0] = receiver;
                    System.arraycopy(resolved, 0, withReceiver, 1, resolved.length);
                    final Object value = Invoker.invoke(fn, withReceiver);
                    succeeded();
                    host.complete(result, value);
                }
            }
        }
        catch (Throwable t)
        {
            failed(t);
        }
        finally
        {
            if (NodeMetrics.TASKS_ON)
            {
                host.metrics().ran(startNs);
            }
            if (gpuCopies != null)
            {
                host.gpuObjects().releaseAll(gpuCopies);
                gpuCopies = null;
            }
            if (actor != null)
            {
                actor.running = null;
            }
            if (swapLoader)
            {
                self.setContextClassLoader(callerLoader);
            }
            if (logJob != null)
            {
                TaskOutput.ended(this);
            }
            RunningTask.set(outer);
            Thread.interrupted();
        }
    }

    /**
     * Counts and records a successful run, before its result completes: whoever {@code get}s it then sees the task
     * finished in the state API and the metrics (a result that then fails to store is recorded failed over this).
     */
    private void succeeded()
    {
        if (NodeMetrics.TASKS_ON)
        {
            host.metrics().finished();
        }
        host.taskRecords().ended(record, TaskStatus.FINISHED, null);
    }

    /** Replaces {@link ObjectCell} arguments by their values; null when a dependency failed (result completed). */
    private Object[] resolveArguments()
    {
        Object[] out = args;
        for (int i = 0; i < args.length; i++)
        {
            if (args[i] instanceof ObjectCell cell)
            {
                if (out == args)
                {
                    out = args.clone();
                }
                try
                {
                    out[i] = host.valueOf(cell);
                    if (out[i] instanceof GpuBuffer buffer)
                    {
                        out[i] = gpuArgument(cell, buffer);
                    }
                }
                catch (RuntimeException dependencyFailure)
                {
                    host.taskRecords().ended(record, TaskStatus.FAILED, "an argument failed: " + TaskRecords.oneLine(dependencyFailure));
                    result.fail(dependencyFailure);
                    return null;
                }
            }
        }
        return out;
    }

    private GpuBuffer gpuArgument(ObjectCell cell, GpuBuffer buffer)
    {
        if (gpuCopies == null)
        {
            gpuCopies = new ArrayList<>(1);
        }
        final Grant g = grant;
        final int[] gpuIds = g == null ? NO_GPUS : g.gpuIds();
        if (GpuObjects.usableAsIs(buffer, gpuIds))
        {
            return buffer;
        }
        return host.gpuObjects().copyOnto(gpuIds[0], buffer, host.segment(cell, 0), gpuCopies);
    }

    private void failed(Throwable t)
    {
        final boolean again = failOrRetry(t);
        if (NodeMetrics.TASKS_ON)
        {
            if (again)
            {
                host.metrics().retried();
            }
            else
            {
                host.metrics().failed();
            }
        }
    }

    /** Fails the result, or runs the task again; true when it runs again. */
    private boolean failOrRetry(Throwable t)
    {
        if (cancelled)
        {
            host.taskRecords().ended(record, TaskStatus.CANCELLED, null);
            result.fail(new TaskCancelledException("task " + info.name + " was cancelled"));
            return false;
        }
        final boolean systemFailure = t instanceof Error && !(t instanceof AssertionError);
        final boolean retries = kind == Kind.TASK && (systemFailure || retryExceptions) && attempt < maxRetries && !result.isDone();
        if (!retries)
        {
            host.taskRecords().ended(record, TaskStatus.FAILED, TaskRecords.oneLine(t));
        }
        switch (kind)
        {
            case TASK ->
            {
                if (retries)
                {
                    retry();
                    return true;
                }
                else
                {
                    result.fail(taskException(t));
                }
            }
            case CONSTRUCTOR ->
            {
                final ActorDiedException died = new ActorDiedException(
                    "actor " + actor.describe() + " failed in its constructor: " + t, t);
                result.fail(died);
                host.actorDied(actor, died);
            }
            case METHOD ->
            {
                if (t instanceof ActorDiedException ade)
                {
                    result.fail(ade);
                }
                else if (systemFailure)
                {
                    result.fail(new ActorDiedException("actor " + actor.describe()
                        + " crashed in " + info.name + ": " + t, t));
                    host.actorCrashed(actor, t);
                }
                else
                {
                    result.fail(taskException(t));
                }
            }
        }
        return false;
    }

    /** Re-runs this failed attempt as a fresh invocation with the same result cell. */
    private void retry()
    {
        if (host.isClosed())
        {
            host.taskRecords().ended(record, TaskStatus.FAILED, "node shut down before a retry");
            result.fail(new ObjectLostException("node shut down before task " + info.name + " could be retried"));
            return;
        }
        final Invocation again = new Invocation(host, kind, fn, info, args, result, actor, request(), 0, taskSeq,
            attempt + 1, maxRetries, retryExceptions);
        again.job = job;
        again.record = record;
        host.taskRecords().retried(record, attempt + 1);
        result.producer(again);
        host.scheduler().submit(again);
    }

    private TaskException taskException(Throwable t)
    {
        return new TaskException((kind == Kind.METHOD ? "actor method " : "task ") + info.name
            + " failed: " + t, t);
    }

    @Override
    protected void abandoned(Throwable reason)
    {
        if (NodeMetrics.TASKS_ON)
        {
            host.metrics().failed();
        }
        host.taskRecords().ended(record, TaskStatus.FAILED, TaskRecords.oneLine(reason));
        final TesseraException known = ApiErrors.tesseraOrNull(reason);
        result.fail(known != null ? known : new ObjectLostException("task " + info.name + " will not run: " + reason, reason));
    }

    /** Records that this task's last awaited argument is ready (called before the scheduler learns it). */
    void argumentReady()
    {
        if ((int) ARGS_READY.getAndAdd(this, 1) + 1 == pendingAtSubmit)
        {
            host.taskRecords().argsReady(record);
        }
    }

    @Override
    public String jobId()
    {
        final String j = job != null ? job : actor != null ? actor.jobId : null;
        return j != null ? j : host.jobId();
    }

    @Override
    public String taskId()
    {
        return Long.toHexString(host.idPrefix()) + '-' + Long.toHexString(taskSeq);
    }

    @Override
    public String nodeId()
    {
        return host.nodeId();
    }

    @Override
    public String name()
    {
        return info.name;
    }

    @Override
    public int attempt()
    {
        return attempt;
    }

    @Override
    public Map<String, Double> resources()
    {
        final Grant g = grant;
        final Map<String, Double> m = new LinkedHashMap<>();
        if (g != null)
        {
            m.put("CPU", g.cpus());
            m.put("GPU", g.gpus());
            m.put("memory", (double) g.memoryBytes());
            m.putAll(g.custom());
        }
        return m;
    }

    @Override
    public int[] gpuIds()
    {
        final Grant g = grant;
        return g == null ? NO_GPUS : g.gpuIds().clone();
    }

    @Override
    public Optional<String> actorId()
    {
        return actor == null ? Optional.empty() : Optional.of(actor.idString());
    }

    @Override
    public boolean isDriver()
    {
        return false;
    }

    @Override
    public String toString()
    {
        return "Invocation{" + info.name + ", " + kind + ", attempt " + attempt + '}';
    }
}
