package io.tessera.internal.cluster;

import io.tessera.ObjectLostException;
import io.tessera.TaskCancelledException;
import io.tessera.TesseraException;
import io.tessera.internal.ActorRef;
import io.tessera.internal.ApiErrors;
import io.tessera.internal.CallSpec;
import io.tessera.internal.ObjectCell;
import io.tessera.internal.StoredObject;
import io.tessera.memory.ObjectId;
import io.tessera.scheduler.ResourceRequest;
import io.tessera.transport.Connection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The owner side of remote work (Ray's ownership model): this process sends tasks and actor calls
 * to nodes, completes their {@link ObjectCell}s from the replies, retries tasks whose node died, and
 * cancels work it sent. Its parts: {@link Placement} (which node), {@link JobShipping} (the job's class
 * path), lineage ({@link RemoteTask}, kept by the {@link RemoteHolder} of each object held elsewhere,
 * which re-runs it when that node dies and frees the object when no ref remains), {@link Borrows}
 * (refs lent to and borrowed from other processes).
 */
final class Owner implements TaskOwner, Lineage
{
    private static final Logger LOG = LoggerFactory.getLogger(Owner.class);

    private final MemberServices member;
    /** Refs lent to and borrowed from other processes. */
    final Borrows borrows;
    /** Which node each task and actor goes to. */
    final Placement placement;
    /** Which job a function belongs to, and its class path shipped to nodes. */
    final JobShipping jobs;
    private final Set<RemoteActor> actors = ConcurrentHashMap.newKeySet();

    Owner(MemberServices member)
    {
        this.member = member;
        this.borrows = new Borrows(member);
        this.placement = new Placement(member);
        this.jobs = new JobShipping(member);
    }

    @Override
    public Placement placement()
    {
        return placement;
    }

    @Override
    public JobShipping jobs()
    {
        return jobs;
    }

    // ------------------------------------------------------------------ tasks

    void submitTask(Object fn, Object[] args, CallSpec spec, ResourceRequest request, String name, ObjectCell result)
    {
        placement.checkFeasible(request, "task " + name);
        final RemoteTask t = new RemoteTask(fn, prepareArgs(args), spec, request, name, result);
        t.sent = track(result, "task " + name);
        whenArgumentsReady(args, result, () -> dispatch(t, null).whenComplete((ignored, error) ->
        {
            if (error != null)
            {
                result.failWith(asTessera(error, name));
            }
        }));
    }

    /** Runs {@code then} once every cell among {@code args} is done; fails {@code result} if one failed. */
    private static void whenArgumentsReady(Object[] args, ObjectCell result, Runnable then)
    {
        final List<ObjectCell> pending = new ArrayList<>();
        for (Object a : args)
        {
            if (a instanceof ObjectCell c && !c.isDone())
            {
                pending.add(c);
            }
        }
        if (pending.isEmpty())
        {
            then.run();
            return;
        }
        final AtomicInteger left = new AtomicInteger(pending.size());
        for (ObjectCell c : pending)
        {
            c.onDone(() ->
            {
                if (left.decrementAndGet() == 0)
                {
                    // the last argument may complete on a transport thread, which must not block on placement
                    CompletableFuture.runAsync(then);
                }
            });
        }
    }

    /**
     * Sends a task to a node and completes its cell from the reply; on a dead node, retries
     * elsewhere while attempts remain. {@code reconstructing} is the holder being re-made, or null.
     */
    CompletableFuture<Void> dispatch(RemoteTask t, Lineage.Remade reconstructing)
    {
        final NodeView target;
        final byte[] body;
        if (t.sent != null && t.sent.cancelled)
        {
            return CompletableFuture.failedFuture(new TaskCancelledException("task " + t.name + " was cancelled"));
        }
        try
        {
            target = placement.choose(t.request, t.args, "task " + t.name);
            body = NodeProxy.task(member, jobs.jobId(t.fn), t.result.id(), t.fn, t.args, t.spec);
        }
        catch (RuntimeException ex)
        {
            return CompletableFuture.failedFuture(ex);
        }
        final AtomicInteger counter = placement.inFlightTo(target.address());
        counter.incrementAndGet();
        return send(target.address(), jobs.jobId(t.fn), body, t.sent)
            .handle((reply, error) ->
            {
                counter.decrementAndGet();
                if (error == null)
                {
                    noteCopies(t.args, target.address());
                    complete(t, reply, target, reconstructing);
                    return CompletableFuture.<Void>completedFuture(null);
                }
                if (RemoteErrors.isConnectionLoss(error) && t.attempts < t.maxRetries && (t.sent == null || !t.sent.cancelled))
                {
                    t.attempts++;
                    member.markDead(target.address());
                    LOG.info("task {}: node {} lost, retry {}/{}", t.name, target.address(), t.attempts, t.maxRetries);
                    return CompletableFuture.supplyAsync(() -> dispatch(t, reconstructing), member.recovery()).thenCompose(f -> f);
                }
                return CompletableFuture.<Void>failedFuture(error);
            }).thenCompose(f -> f);
    }

    /**
     * Sends a task body to the node at {@code address} once its connection is open and the job's class path is
     * there. The usual case (both done: every task but a job's first to a node) sends at once on this thread,
     * without the two stages that wait for them.
     */
    private CompletableFuture<byte[]> send(String address, String jobId, byte[] body, Sent sent)
    {
        final CompletableFuture<Connection> connecting = member.connect(address);
        if (connecting.isDone() && !connecting.isCompletedExceptionally())
        {
            final Connection c = connecting.join();
            final CompletableFuture<Void> shipped = jobs.ensureJob(c, jobId);
            if (shipped.isDone() && !shipped.isCompletedExceptionally())
            {
                try
                {
                    return NodeProxy.submitTask(c, body, sent, address);
                }
                catch (RuntimeException ex)
                {
                    return CompletableFuture.failedFuture(ex);
                }
            }
            return shipped.thenCompose(x -> NodeProxy.submitTask(c, body, sent, address));
        }
        return connecting.thenCompose(c -> jobs.ensureJob(c, jobId).thenCompose(x -> NodeProxy.submitTask(c, body, sent, address)));
    }

    @Override
    public CompletableFuture<Void> rerun(RemoteTask t, Lineage.Remade remade)
    {
        return dispatch(t, remade);
    }

    /** A node that ran a task pulled its stored arguments: it is one more place to pull them from. */
    private static void noteCopies(Object[] args, String node)
    {
        for (Object a : args)
        {
            if (a instanceof ObjectCell c && c.storedObject() != null && c.storedObject().remote() instanceof RemoteHolder h
                && !node.equals(h.address))
            {
                h.copies.add(node);
            }
        }
    }

    private void complete(RemoteTask t, byte[] reply, NodeView from, Lineage.Remade reconstructing)
    {
        final Wire.In in = new Wire.In(reply);
        final int tag = in.i32();
        if (tag == Msg.STORED && reconstructing != null)
        {
            final String nodeId = in.str();
            reconstructing.moved(nodeId, in.str());
            return;
        }
        completeFrom(t.result, in, tag, from.address(), t.name, t);
    }

    /**
     * Completes {@code cell} from a result reply (VALUE, STORED or ERROR) of the node at {@code from}.
     * A stored result stays on that node until no ref to it remains here; {@code made} is the task
     * that can make it again (lineage), or null (an actor call's result).
     */
    @Override
    public void completeFrom(ObjectCell cell, Wire.In in, int tag, String from, String name, RemoteTask made)
    {
        switch (tag)
        {
            case Msg.VALUE -> cell.completeWith(Wire.readValue(in, Wire.loader()));
            case Msg.STORED ->
            {
                final String nodeId = in.str();
                final String address = in.str();
                final long size = in.i64();
                final RemoteHolder h = new RemoteHolder(this, member, nodeId, address, size, made == null ? null
                    : made.forLineage(member.runtime()));
                final StoredObject s = new StoredObject(member.runtime().store(), cell.id(), h);
                if (cell.completeWithStored(s))
                {
                    member.runtime().cleaner().register(cell, s);
                }
                else
                {
                    s.run();
                }
            }
            case Msg.ERROR -> cell.failWith(RemoteErrors.remoteFailure(in.bytes(), name));
            default -> cell.failWith(new TesseraException("node " + from + " sent an unknown result tag " + tag));
        }
    }

    private static RuntimeException asTessera(Throwable error, String name)
    {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null)
        {
            t = t.getCause();
        }
        final TesseraException known = t instanceof io.tessera.transport.TransportException ? null : ApiErrors.tesseraOrNull(t);
        if (known != null)
        {
            return known;
        }
        return new ObjectLostException(name + " could not be run on the cluster: " + t, t);
    }

    // ------------------------------------------------------------------ cancel

    /** Pending results of the tasks and actor calls this process sent, by result id. */
    private final Map<ObjectId, Sent> sent = new ConcurrentHashMap<>();

    /** Remembers where {@code result}'s work goes until it is done, so that cancel can reach it. */
    @Override
    public Sent track(ObjectCell result, String what)
    {
        final Sent s = new Sent(what);
        final ObjectId id = result.id();
        sent.put(id, s);
        result.onDone(() -> sent.remove(id, s));
        return s;
    }


    /**
     * Cancels the work behind a pending cell: not sent yet, it never will be; sent, its node is told
     * to remove or interrupt it. The cell fails with {@link TaskCancelledException} at once (a result
     * that still arrives is dropped, its stored copy released). A borrowed cell's cancel goes to its
     * owner, whose failure then reaches the cell.
     */
    void cancel(ObjectCell cell)
    {
        final ObjectId id = cell.id();
        final Sent s = sent.get(id);
        if (s == null)
        {
            final String ownerAddress = borrows.ownerOf(id);
            if (ownerAddress != null && !cell.isDone())
            {
                tellCancel(ownerAddress, id);
            }
            return;
        }
        final String at;
        synchronized (s)
        {
            s.cancelled = true;
            at = s.at;
        }
        if (cell.failWith(new TaskCancelledException(s.what + " (object " + id + ") was cancelled"))
            && at != null)
        {
            tellCancel(at, id);
        }
    }

    /** CANCEL from a borrower: cancel the work behind an object owned here, wherever it runs. */
    void cancelLent(ObjectId id)
    {
        final ObjectCell cell = borrows.ownedCell(id);
        if (cell != null)
        {
            member.runtime().cancel(cell);
        }
    }

    private void tellCancel(String at, ObjectId id)
    {
        if (member.isDead(at))
        {
            return;
        }
        member.connect(at).thenAccept(c -> OwnerProxy.cancel(c, id));
    }

    // ------------------------------------------------------------------ arguments

    /**
     * Arguments whose encoding is larger than this travel through the object store (as Ray's 100 KiB;
     * {@code CrossNodeArgumentSize} in the jmh module measures both paths by size). The system
     * property {@code tessera.inlineArgBytes} moves it, for that benchmark.
     */
    static final int INLINE_ARG_MAX = 100 * 1024;
    private final int inlineArgMax = Math.min(Integer.getInteger("tessera.inlineArgBytes", INLINE_ARG_MAX), 512 * 1024);

    /**
     * Arguments as they are sent, computed once at submit: a by-value argument larger than
     * {@link #INLINE_ARG_MAX} is put into this process's store and travels as a ref (the node pulls it
     * like any object, in chunks, with no frame limit); smaller ones are encoded once. Refs stay refs.
     *
     * @throws IllegalArgumentException naming the argument's type when it cannot be encoded
     */
    @Override
    public Object[] prepareArgs(Object[] args)
    {
        Object[] prepared = null;
        for (int i = 0; i < args.length; i++)
        {
            final Object a = args[i];
            final Object p = prepareArg(a);
            if (p != a)
            {
                if (prepared == null)
                {
                    prepared = args.clone();
                }
                prepared[i] = p;
            }
        }
        return prepared == null ? args : prepared;
    }

    private Object prepareArg(Object a)
    {
        if (a == null || a instanceof ObjectCell || a instanceof NodeProxy.Encoded || a instanceof Number || a instanceof Boolean)
        {
            return a;
        }
        if (member.runtime().codec().rawSize(a) > inlineArgMax)
        {
            return member.runtime().put(a);
        }
        final Wire.Out out = new Wire.Out();
        Wire.writeValue(out, a);
        final byte[] encoded = out.toBytes();
        return encoded.length > inlineArgMax ? member.runtime().put(a) : new NodeProxy.Encoded(encoded);
    }

    /** A node died: actors there restart elsewhere (if allowed) or die. Tasks retry through their failed requests. */
    void nodeDied(String address)
    {
        for (RemoteActor a : actors)
        {
            if (address.equals(a.address))
            {
                a.nodeDied();
            }
        }
    }

    // ------------------------------------------------------------------ actors

    ActorRef createActor(Object constructor, Object[] args, CallSpec spec, ResourceRequest request, String name)
    {
        placement.checkFeasible(request, "actor " + name);
        final RemoteActor a = new RemoteActor(this, member, constructor, prepareArgs(args), spec, request, name);
        a.place();
        if (spec.name != null)
        {
            final String takenBy = a.claimName();
            if (takenBy != null)
            {
                a.kill();
                throw new IllegalArgumentException("actor name '" + spec.name + "' is already taken in namespace '" + spec.namespace
                    + "' by a live " + takenBy
                    + "; pick another name or kill that actor first");
            }
        }
        actors.add(a);
        a.announce();
        return a;
    }

    Optional<ActorRef> lookupActor(String namespace, String name)
    {
        final HeadState.ActorInfo a = HeadProxy.lookupActor(member.headConnection(), namespace, name)
            .orTimeout(10, TimeUnit.SECONDS).join();
        if (a == null)
        {
            return Optional.empty();
        }
        for (RemoteActor mine : actors)
        {
            if (mine.id.equals(a.actorId()))
            {
                return Optional.of(mine);
            }
        }
        return Optional.of(new RemoteActor(this, member, a.actorId(), name, namespace, a.nodeId(), a.nodeAddress(), a.className()));
    }

    ActorRef actorAt(String id, String name, String address)
    {
        for (RemoteActor mine : actors)
        {
            if (mine.id.equals(id))
            {
                return mine;
            }
        }
        return new RemoteActor(this, member, id, name, null, null, address, null);
    }

    @Override
    public void forget(ActorRef a)
    {
        actors.remove(a);
    }
}
