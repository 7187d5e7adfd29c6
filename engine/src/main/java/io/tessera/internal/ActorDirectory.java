package io.tessera.internal;

import io.tessera.ActorDiedException;
import io.tessera.InfeasibleTaskException;
import io.tessera.memory.ObjectId;
import io.tessera.scheduler.LocalScheduler;
import io.tessera.scheduler.Mailbox;
import io.tessera.scheduler.ResourceRequest;
import io.tessera.state.ActorInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The actors of this node: creation (here, or on another node when this is a driver or it cannot fit
 * here), method calls queued in each actor's mailbox, deaths, restarts after a crash, and the tables
 * by id and by name.
 */
final class ActorDirectory
{
    private final InvocationHost host;
    private final long idPrefix;
    private final AtomicLong sequence;
    private final LocalScheduler scheduler;
    private final ValueCodec codec;
    /** Named actors by {@link #key(String, String)}: names are unique per namespace. */
    private final Map<String, ActorRecord> namedActors = new ConcurrentHashMap<>();
    private final Map<String, ActorRecord> liveActors = new ConcurrentHashMap<>();
    /** Actors that died here, the newest {@link #DEAD_REMEMBERED} kept (for the state API). */
    private final java.util.ArrayDeque<ActorRecord> deadActors = new java.util.ArrayDeque<>();
    private static final int DEAD_REMEMBERED = 1000;
    private volatile RemoteExecutor remote;

    ActorDirectory(NodeResources node, InvocationHost host)
    {
        this.host = host;
        this.idPrefix = node.idPrefix;
        this.sequence = node.sequence;
        this.scheduler = node.scheduler;
        this.codec = node.codec;
    }

    /** Actors that do not fit here (or all of them, on a driver), and names not found here, go to the cluster from now on. */
    void attach(RemoteExecutor executor)
    {
        remote = executor;
    }

    /** Creates an actor (on another node when this is a driver or it cannot fit here); its constructor runs first in its mailbox. */
    ActorRef createActor(Object constructor, Object[] args, CallSpec spec)
    {
        checkOpen();
        final FnInfo info = FnInfo.of(constructor);
        Invoker.checkArity(constructor, args.length, info.name);
        TaskSubmitter.checkArguments(codec, args, info.name);
        final ResourceRequest request = info.actorRequest(spec);
        if (spec.name != null && spec.namespace == null)
        {
            spec.namespace = host.namespace();
        }
        final RemoteExecutor cluster = remote;
        if (cluster != null && (cluster.runsEverythingRemotely() || scheduler.infeasibleReason(request) != null))
        {
            return cluster.createActor(constructor, args, spec, request, info.name);
        }
        return createActorHere(constructor, args, spec);
    }

    /** Creates an actor on this node. */
    ActorRef createActorHere(Object constructor, Object[] args, CallSpec spec)
    {
        checkOpen();
        final FnInfo info = FnInfo.of(constructor);
        Invoker.checkArity(constructor, args.length, info.name);
        final ResourceRequest request = info.actorRequest(spec);
        final ActorRecord actor = new ActorRecord(idPrefix, sequence.incrementAndGet(), spec.name, info.returnClass,
            constructor, args, info, spec.maxRestarts, spec.name != null ? spec.name : spec.label, spec.jobId);
        actor.namespace = spec.namespace;  // a name in the head's table (label) keeps its namespace for the state API
        if (spec.name != null)
        {
            actor.namespace = spec.namespace != null ? spec.namespace : host.namespace();
            final String key = key(actor.namespace, spec.name);
            final ActorRecord prior = namedActors.putIfAbsent(key, actor);
            if (prior != null && prior.isAlive())
            {
                throw new IllegalArgumentException("actor name '" + spec.name + "' is already taken in namespace '"
                    + actor.namespace + "' by a live actor " + prior.describe() + "; pick another name or kill that actor first");
            }
            if (prior != null)
            {
                namedActors.put(key, actor);
            }
        }
        final String infeasible = scheduler.infeasibleReason(request);
        if (infeasible != null)
        {
            actorDied(actor, new ActorDiedException("actor " + actor.describe() + " can never be placed",
                new InfeasibleTaskException("actor " + actor.describe() + " can never run on this cluster: " + infeasible)));
            return new Local(actor);
        }
        liveActors.put(actor.idString(), actor);
        actor.mailbox = scheduler.createMailbox(request);
        final long seq = sequence.incrementAndGet();
        final ObjectCell ready = new ObjectCell(ObjectId.of(idPrefix, seq));
        final long pending = TaskSubmitter.pendingDependencies(args);
        final Invocation ctor = new Invocation(host, Invocation.Kind.CONSTRUCTOR, constructor, info, args, ready,
            actor, ResourceRequest.NONE, Long.bitCount(pending), seq, 0, 0, false);
        ctor.record = host.taskRecords().submitted(idPrefix, seq, info.name, ctor.jobId(), pending != 0, ctor.submittedNs);
        scheduler.submit(actor.mailbox, ctor);
        TaskSubmitter.watchDependencies(scheduler, ctor, args, pending);
        return new Local(actor);
    }

    /** Calls a method of the actor: runs after every call submitted before it. {@code id} is the result's, or null for a new one. */
    private ObjectCell callActor(ActorRecord actor, Object method, Object[] args, ObjectId id)
    {
        checkOpen();
        final FnInfo info = FnInfo.of(method);
        Invoker.checkArity(method, args.length + 1, info.name);
        final long seq = sequence.incrementAndGet();
        final ObjectCell cell = id != null ? new ObjectCell(id) : new ObjectCell(idPrefix, seq);
        final ActorDiedException death = actor.death();
        if (death != null)
        {
            cell.fail(death);
            return cell;
        }
        TaskSubmitter.checkArguments(codec, args, info.name);
        final long pending = TaskSubmitter.pendingDependencies(args);
        final Invocation inv = new Invocation(host, Invocation.Kind.METHOD, method, info, args, cell, actor,
            ResourceRequest.NONE, Long.bitCount(pending), seq, 0, 0, false);
        inv.record = host.taskRecords().submitted(cell.id().hi(), cell.id().lo(), info.name, inv.jobId(), pending != 0,
            inv.submittedNs);
        cell.producer(inv);
        scheduler.submit(actor.mailbox, inv);
        TaskSubmitter.watchDependencies(scheduler, inv, args, pending);
        return cell;
    }

    void actorDied(ActorRecord actor, ActorDiedException cause)
    {
        if (!actor.die(cause))
        {
            return;
        }
        liveActors.remove(actor.idString());
        synchronized (deadActors)
        {
            if (deadActors.size() == DEAD_REMEMBERED)
            {
                deadActors.removeFirst();
            }
            deadActors.addLast(actor);
        }
        if (actor.name != null)
        {
            namedActors.remove(key(actor.namespace, actor.name), actor);
        }
        final ObjectCell running = actor.running;
        if (running != null)
        {
            running.fail(cause);
        }
        final Mailbox m = actor.mailbox;
        if (m != null)
        {
            scheduler.closeMailbox(m, cause);
        }
    }

    /** A method hit a system failure: restart the actor in place (within its mailbox order) or let it die. */
    void actorCrashed(ActorRecord actor, Throwable failure)
    {
        if (actor.restarts >= actor.maxRestarts)
        {
            actorDied(actor, new ActorDiedException("actor " + actor.describe() + " crashed with " + failure
                + " and has no restarts left (maxRestarts=" + actor.maxRestarts + ")", failure));
            return;
        }
        actor.restarts++;
        actor.restarting = true;
        try
        {
            final Object[] resolved = actor.constructorArgs.clone();
            for (int i = 0; i < resolved.length; i++)
            {
                if (resolved[i] instanceof ObjectCell c)
                {
                    resolved[i] = host.valueOf(c);
                }
            }
            actor.started(Invoker.invoke(actor.constructor, resolved));
            actor.restarting = false;
        }
        catch (Throwable t)
        {
            actor.restarting = false;
            actorDied(actor, new ActorDiedException("actor " + actor.describe() + " failed to restart: " + t, t));
        }
    }

    Optional<ActorRef> namedActor(String namespace, String name)
    {
        final ActorRecord a = namedActors.get(key(namespace, name));
        if (a != null && a.isAlive())
        {
            return Optional.of(new Local(a));
        }
        final RemoteExecutor cluster = remote;
        return cluster == null ? Optional.empty() : cluster.namedActor(namespace, name);
    }

    /** The key of a named actor: names are unique per namespace. */
    private static String key(String namespace, String name)
    {
        return namespace + '\0' + name;
    }

    /** An actor by id: this node's, or a handle to the node that hosts it. */
    ActorRef actorById(String id, String name, String nodeAddress)
    {
        final ActorRecord a = liveActors.get(id);
        if (a != null)
        {
            return new Local(a);
        }
        final RemoteExecutor cluster = remote;
        return cluster == null || nodeAddress == null ? null : cluster.actorAt(id, name, nodeAddress);
    }

    /** The actors of this node, live and recently dead, as the state API lists them. */
    List<ActorInfo> infos(String nodeId)
    {
        final List<ActorInfo> out = new ArrayList<>();
        for (ActorRecord a : liveActors.values())
        {
            out.add(a.info(nodeId, host.jobId()));
        }
        synchronized (deadActors)
        {
            for (ActorRecord a : deadActors)
            {
                out.add(a.info(nodeId, host.jobId()));
            }
        }
        return out;
    }

    /** Node shutdown (after no more calls are taken): every live actor dies. */
    /** Actors alive on this node. */
    int liveCount()
    {
        return liveActors.size();
    }

    void close()
    {
        for (ActorRecord a : new ArrayList<>(liveActors.values()))
        {
            actorDied(a, new ActorDiedException("actor " + a.describe() + " stopped: node shut down"));
        }
    }

    private void checkOpen()
    {
        if (host.isClosed())
        {
            throw new IllegalStateException("Tessera was shut down: call Tessera.init() to start a new node");
        }
    }

    /** An actor hosted by this node. */
    private final class Local extends ActorRef
    {
        private final ActorRecord record;

        Local(ActorRecord record)
        {
            this.record = record;
        }

        @Override
        public ObjectCell call(Object method, Object[] args)
        {
            return callActor(record, method, args, null);
        }

        @Override
        public ObjectCell callForOwner(Object method, Object[] args, ObjectId resultId)
        {
            return callActor(record, method, args, resultId);
        }

        @Override
        public void kill()
        {
            actorDied(record, new ActorDiedException("actor " + record.describe() + " was killed"));
        }

        @Override
        public String id()
        {
            return record.idString();
        }

        @Override
        public String name()
        {
            return record.name;
        }

        @Override
        public Class<?> actorClass()
        {
            final Object i = record.instance();
            return i != null ? i.getClass() : record.actorClass;
        }

        @Override
        public boolean isAlive()
        {
            return record.isAlive();
        }

        @Override
        public String nodeAddress()
        {
            return null;
        }

        @Override
        public String toString()
        {
            return record.describe();
        }
    }
}
