package io.tessera.internal.cluster;

import io.tessera.ActorDiedException;
import io.tessera.internal.ActorRef;
import io.tessera.internal.CallSpec;
import io.tessera.internal.ObjectCell;
import io.tessera.scheduler.ResourceRequest;
import io.tessera.transport.Connection;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An actor on another node. Calls from this process are sent in call order (each waits for its
 * arguments, then for the send of the call before it), so the node's mailbox sees them in order.
 * The process that created the actor re-creates it on another node when its node dies, while
 * {@code maxRestarts} allows; calls in flight then fail with {@link ActorDiedException}.
 */
final class RemoteActor extends ActorRef
{
    private final TaskOwner owner;
    private final MemberServices member;
    private final Object constructor;
    private final Object[] constructorArgs;
    private final CallSpec spec;
    private final ResourceRequest request;
    private final String name;
    /** The namespace of a named actor (null when not known here: a handle from {@code actorAt}). */
    private final String namespace;
    volatile String id;
    volatile String nodeId;
    volatile String address;
    volatile String className;
    private volatile ActorDiedException death;
    private int restarts;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    /** An actor this process creates. */
    RemoteActor(TaskOwner owner, MemberServices member, Object constructor, Object[] args, CallSpec spec,
                ResourceRequest request, String displayName)
    {
        this.owner = owner;
        this.member = member;
        this.constructor = constructor;
        this.constructorArgs = args;
        this.spec = spec;
        this.request = request;
        this.name = spec.name;
        this.namespace = spec.namespace;
        this.className = displayName;
    }

    /** A handle to an actor another process created. */
    RemoteActor(TaskOwner owner, MemberServices member, String id, String name, String namespace, String nodeId, String address,
                String className)
    {
        this.owner = owner;
        this.member = member;
        this.constructor = null;
        this.constructorArgs = null;
        this.spec = null;
        this.request = null;
        this.name = name;
        this.namespace = namespace;
        this.id = id;
        this.nodeId = nodeId;
        this.address = address;
        this.className = className;
    }

    /** Creates the actor on a node chosen by its resources (blocking). */
    void place()
    {
        final NodeView target = owner.placement().choose(request, constructorArgs, "actor " + className);
        final CallSpec local = new CallSpec();
        local.cpus = spec.cpus;
        local.gpus = spec.gpus;
        local.memoryBytes = spec.memoryBytes;
        local.custom = spec.custom;
        local.label = spec.name;
        local.detached = spec.detached;
        local.namespace = spec.namespace;
        final String job = owner.jobs().jobId(constructor);
        final byte[] body = NodeProxy.actor(member, job, constructor, constructorArgs, local);
        final NodeProxy.Created created = member.connect(target.address())
            .thenCompose(c -> owner.jobs().ensureJob(c, job).thenCompose(x -> NodeProxy.createActor(c, body)))
            .join();
        id = created.actorId();
        className = created.className();
        nodeId = target.nodeId();
        address = target.address();
    }

    /** Tells the head's actor table where this actor lives now. */
    void announce()
    {
        try
        {
            HeadProxy.actorUp(member.headConnection(), new HeadState.ActorInfo(name == null ? "" : name, id, nodeId, address,
                className == null ? "" : className, namespace == null ? "" : namespace));
        }
        catch (RuntimeException headAway)
        {
            // the head is restarting; the actor is found through its owner meanwhile
        }
    }

    /** Asks the head to give this actor its name: null when given, else the live actor holding the name. */
    String claimName()
    {
        return HeadProxy.nameActor(member.headConnection(), new HeadState.ActorInfo(name, id, nodeId, address, className, namespace))
            .orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Override
    public ObjectCell call(Object method, Object[] args)
    {
        final ObjectCell cell = member.runtime().newCell();
        final ActorDiedException d = death;
        if (d != null)
        {
            cell.failWith(d);
            return cell;
        }
        final Object[] prepared = owner.prepareArgs(args);
        final Sent sent = owner.track(cell, "call of actor " + describe());
        synchronized (this)
        {
            // handle, not thenAccept: a call that fails to send must not stop the calls queued behind it
            tail = tail.thenCompose(x -> ready(prepared)).handle((x, error) ->
            {
                try
                {
                    send(cell, sent, method, prepared);
                }
                catch (RuntimeException ex)
                {
                    cell.failWith(ex);
                }
                return null;
            });
        }
        return cell;
    }

    private static CompletableFuture<Void> ready(Object[] args)
    {
        final CompletableFuture<Void> f = new CompletableFuture<>();
        final AtomicInteger left = new AtomicInteger(1);
        for (Object a : args)
        {
            if (a instanceof ObjectCell c && !c.isDone())
            {
                left.incrementAndGet();
                c.onDone(() ->
                {
                    if (left.decrementAndGet() == 0)
                    {
                        f.complete(null);
                    }
                });
            }
        }
        if (left.decrementAndGet() == 0)
        {
            f.complete(null);
        }
        return f;
    }

    private void send(ObjectCell cell, Sent sent, Object method, Object[] args)
    {
        final ActorDiedException d = death;
        if (d != null)
        {
            cell.failWith(d);
            return;
        }
        final String at = address;
        final byte[] body;
        try
        {
            body = NodeProxy.call(member, id, cell.id(), method, args);
        }
        catch (RuntimeException ex)
        {
            cell.failWith(ex);
            return;
        }
        final CompletableFuture<Connection> conn = member.connect(at);
        final Connection c = conn.isDone() && !conn.isCompletedExceptionally() ? conn.join() : null;
        final CompletableFuture<byte[]> reply = c != null ? NodeProxy.callActor(c, body, sent, at)
            : conn.thenCompose(x -> owner.jobs().ensureJob(x, owner.jobs().jobId(method))
                .thenCompose(y -> NodeProxy.callActor(x, body, sent, at)));
        reply.whenComplete((r, error) ->
        {
            if (error != null)
            {
                cell.failWith(new ActorDiedException("actor " + describe() + " is unreachable: its node at " + at
                    + " failed (" + error.getMessage() + ")", error));
                return;
            }
            final Wire.In in = new Wire.In(r);
            owner.completeFrom(cell, in, in.i32(), at, "actor method of " + describe(), null);
        });
    }

    /** Its node died: restart elsewhere while allowed (only the creator can), else the actor is dead. */
    void nodeDied()
    {
        if (constructor != null && restarts < spec.maxRestarts)
        {
            restarts++;
            try
            {
                place();
                announce();
                if (name != null)
                {
                    claimName();
                }
                return;
            }
            catch (RuntimeException ex)
            {
                death = new ActorDiedException("actor " + describe() + " lost its node and could not restart: " + ex, ex);
                owner.forget(this);
                return;
            }
        }
        death = new ActorDiedException("actor " + describe() + " died with its node at " + address
            + (constructor != null ? " and has no restarts left (maxRestarts=" + spec.maxRestarts + ")" : ""));
        owner.forget(this);
    }

    private String describe()
    {
        return (name != null ? "'" + name + "' " : "") + "#" + id;
    }

    @Override
    public void kill()
    {
        death = new ActorDiedException("actor " + describe() + " was killed");
        owner.forget(this);
        final String at = address;
        if (!member.isDead(at))
        {
            member.connect(at).thenCompose(c -> NodeProxy.killActor(c, id))
                .orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        try
        {
            HeadProxy.actorDown(member.headConnection(), id);
            if (name != null && namespace != null)
            {
                HeadProxy.unnameActor(member.headConnection(), namespace, name, id);
            }
        }
        catch (RuntimeException headAway)
        {
            // the head is restarting: its table catches up when the node's actors are listed again
        }
    }

    @Override
    public String id()
    {
        return id;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public Class<?> actorClass()
    {
        if (className == null)
        {
            return null;
        }
        try
        {
            return Class.forName(className, false, Thread.currentThread().getContextClassLoader());
        }
        catch (ClassNotFoundException | LinkageError ex)
        {
            return null;
        }
    }

    @Override
    public boolean isAlive()
    {
        return death == null;
    }

    @Override
    public String nodeAddress()
    {
        return address;
    }

    @Override
    public String toString()
    {
        return "RemoteActor(" + describe() + " at " + address + ")";
    }
}
