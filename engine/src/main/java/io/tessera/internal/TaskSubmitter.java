package io.tessera.internal;

import io.tessera.InfeasibleTaskException;
import io.tessera.TaskCancelledException;
import io.tessera.memory.ObjectId;
import io.tessera.scheduler.CancelOutcome;
import io.tessera.scheduler.LocalScheduler;
import io.tessera.scheduler.ResourceRequest;
import io.tessera.state.TaskStatus;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Task submission: checks a call (function, arity, arguments), picks where it runs (here, or on
 * another node when it cannot fit here or this is a driver), queues it in the local scheduler with
 * the dependencies it waits for, and cancels it. A failed attempt re-submits itself
 * ({@link Invocation}); the retry budget is set here.
 */
final class TaskSubmitter
{
    private final InvocationHost host;
    private final String nodeId;
    private final long idPrefix;
    private final AtomicLong sequence;
    private final LocalScheduler scheduler;
    private final ValueCodec codec;
    private final double cpus;
    /** On a cluster node: CPUs of the local tasks submitted and not yet finished (the scheduler's own view lags its ring). */
    private final DoubleAdder clusterCpusInFlight = new DoubleAdder();
    private volatile RemoteExecutor remote;

    TaskSubmitter(NodeResources node, InvocationHost host)
    {
        this.host = host;
        this.nodeId = node.nodeId;
        this.idPrefix = node.idPrefix;
        this.sequence = node.sequence;
        this.scheduler = node.scheduler;
        this.codec = node.codec;
        this.cpus = node.totals.get("CPU");
    }

    /** Tasks that do not fit here (or all of them, on a driver) go to the cluster from now on. */
    void attach(RemoteExecutor executor)
    {
        remote = executor;
    }

    /** Submits a task; the returned cell completes with its result. */
    ObjectCell submitTask(Object fn, Object[] args, CallSpec spec)
    {
        final FnInfo info = FnInfo.of(fn);
        Invoker.checkArity(fn, args.length, info.name);
        final ResourceRequest request = info.taskRequest(spec);
        final String infeasible = scheduler.infeasibleReason(request);
        final RemoteExecutor cluster = remote;
        if (cluster != null && (infeasible != null || cluster.runsEverythingRemotely() || busyHere(cluster, request)))
        {
            checkArguments(codec, args, info.name);
            final ObjectCell cell = new ObjectCell(idPrefix, sequence.incrementAndGet());
            cluster.submitTask(fn, args, spec, request, name(spec, info), cell);
            return cell;
        }
        if (infeasible != null)
        {
            throw new InfeasibleTaskException("task " + name(spec, info) + " can never run on this cluster: " + infeasible);
        }
        checkArguments(codec, args, info.name);
        return submitLocal(fn, args, spec, request, info, new ObjectCell(idPrefix, sequence.incrementAndGet()), null);
    }

    /**
     * Spillback on a cluster node: a task whose CPUs are not free here right now goes to a node that
     * has them (the cluster layer picks it; it runs here anyway when no other node is freer).
     */
    private boolean busyHere(RemoteExecutor cluster, ResourceRequest request)
    {
        if (request.cpus() <= 0)
        {
            return false;
        }
        return cpus - clusterCpusInFlight.sum() < request.cpus() && cluster.hasFreerNode(request);
    }

    /** Runs a task sent here by its owner on another node; the result keeps the owner's object id. */
    ObjectCell submitForOwner(Object fn, Object[] args, CallSpec spec, ObjectId id, String jobId)
    {
        final FnInfo info = FnInfo.of(fn);
        Invoker.checkArity(fn, args.length, info.name);
        final ResourceRequest request = info.taskRequest(spec);
        final String infeasible = scheduler.infeasibleReason(request);
        if (infeasible != null)
        {
            throw new InfeasibleTaskException("task " + name(spec, info) + " can never run on node " + nodeId + ": " + infeasible);
        }
        return submitLocal(fn, args, spec, request, info, new ObjectCell(id), jobId);
    }

    private ObjectCell submitLocal(Object fn, Object[] args, CallSpec spec, ResourceRequest request, FnInfo info, ObjectCell cell,
                                   String jobId)
    {
        final long seq = cell.idLo();
        if (remote != null && request.cpus() > 0)
        {
            final double taskCpus = request.cpus();
            clusterCpusInFlight.add(taskCpus);
            cell.onDone(() -> clusterCpusInFlight.add(-taskCpus));
        }
        final int maxRetries = spec == null || spec.maxRetries < 0 ? 3 : spec.maxRetries;
        final long pending = pendingDependencies(args);
        final Invocation inv = new Invocation(host, Invocation.Kind.TASK, fn, info, args, cell, null, request,
            Long.bitCount(pending), seq, 0, maxRetries, spec != null && spec.retryExceptions);
        inv.job = jobId;
        inv.record = host.taskRecords().submitted(cell.idHi(), seq, info.name, inv.jobId(), pending != 0, inv.submittedNs);
        cell.producer(inv);
        scheduler.submit(inv);
        watchDependencies(scheduler, inv, args, pending);
        return cell;
    }

    /** Cancels the task that produces {@code cell}; nothing happens when it has finished. */
    void cancel(ObjectCell cell)
    {
        final Invocation inv = cell.producer() instanceof Invocation i ? i : null;
        final RemoteExecutor cluster = remote;
        if (inv == null && !cell.isDone() && cluster != null)
        {
            cluster.cancel(cell);
            return;
        }
        if (inv == null || cell.isDone())
        {
            return;
        }
        inv.cancel();
        final CancelOutcome outcome = scheduler.cancel(inv);
        if (outcome != CancelOutcome.NOT_FOUND || !cell.isDone())
        {
            host.taskRecords().ended(inv.record, TaskStatus.CANCELLED, null);
            cell.fail(new TaskCancelledException("task " + inv.info.name + " was cancelled"));
        }
    }

    /**
     * The arguments not ready yet, as a bit per position (functions take at most a handful). The
     * invocation waits for exactly these: {@link #watchDependencies} watches the same set, so an
     * argument that completes in between still counts down (read twice, it could be counted as
     * pending and then not watched, and the task would wait forever).
     */
    static long pendingDependencies(Object[] args)
    {
        if (args.length > Long.SIZE)
        {
            throw new IllegalArgumentException("a task takes at most " + Long.SIZE + " arguments, got " + args.length);
        }
        long pending = 0;
        for (int i = 0; i < args.length; i++)
        {
            if (args[i] instanceof ObjectCell c && !c.isDone())
            {
                pending |= 1L << i;
            }
        }
        return pending;
    }

    /** Counts down {@code inv}'s dependencies as the arguments in {@code pending} complete (at once for those done already). */
    static void watchDependencies(LocalScheduler scheduler, Invocation inv, Object[] args, long pending)
    {
        for (long bits = pending; bits != 0; bits &= bits - 1)
        {
            ((ObjectCell) args[Long.numberOfTrailingZeros(bits)]).onDone(() ->
            {
                inv.argumentReady();
                scheduler.dependencyResolved(inv);
            });
        }
    }

    /**
     * Rejects, at submit, an argument the engine could not serialize.
     *
     * @throws IllegalArgumentException naming the argument's position and type
     */
    static void checkArguments(ValueCodec codec, Object[] args, String function)
    {
        for (int i = 0; i < args.length; i++)
        {
            final Object a = args[i];
            if (a instanceof ObjectCell || codec.canSerialize(a))
            {
                continue;
            }
            final Class<?> type = a.getClass();
            throw new IllegalArgumentException("argument " + i + " of " + function + " is a " + type.getName()
                + ", which is not Serializable: make it implement java.io.Serializable, or register it with "
                + "TesseraConfig.builder().register(" + type.getSimpleName() + ".class)");
        }
    }

    private static String name(CallSpec spec, FnInfo info)
    {
        return spec != null && spec.name != null ? spec.name : info.name;
    }
}
