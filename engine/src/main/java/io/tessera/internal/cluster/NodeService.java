package io.tessera.internal.cluster;

import io.tessera.ActorDiedException;
import io.tessera.ObjectLostException;
import io.tessera.TaskException;
import io.tessera.internal.ActorRef;
import io.tessera.internal.CallSpec;
import io.tessera.internal.LocalRuntime;
import io.tessera.internal.ObjectCell;
import io.tessera.internal.StoredObject;
import io.tessera.internal.TaskOutput;
import io.tessera.memory.ObjectId;
import io.tessera.transport.Connection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A worker node's side: runs the tasks and actor calls owners send, in this node's runtime;
 * replies with small results inline and keeps large ones in its store (held for their owner until
 * freed); pulls argument objects from their holders into its store; loads each job's classes from
 * its shipped class path.
 */
final class NodeService implements NodeAdapter.Handler
{
    private static final Logger LOG = LoggerFactory.getLogger(NodeService.class);
    /** Results serialized above this size stay in the store and travel by pull instead. */
    private static final int INLINE_REPLY_MAX = 256 * 1024;

    private final MemberServices member;
    private final LocalRuntime runtime;
    private final Map<ObjectId, ObjectCell> held = new ConcurrentHashMap<>();
    private final Map<ObjectId, WeakReference<ObjectCell>> pulled = new ConcurrentHashMap<>();
    private final Map<String, ActorRef> actors = new ConcurrentHashMap<>();
    private final Map<String, String> actorJobs = new ConcurrentHashMap<>();
    /** Detached actors alive here (their job's end does not kill them, and their job's class loader stays open). */
    private final java.util.Set<String> detached = ConcurrentHashMap.newKeySet();
    /** Each job's namespace of named actors, as its owner sent it (what {@code Tessera.getActor(name)} in its tasks uses). */
    private final Map<String, String> jobNamespaces = new ConcurrentHashMap<>();
    private final java.util.Set<String> ownHashes = JobClasspath.ownHashes();
    private final Map<Object, Object> functions = new ConcurrentHashMap<>();
    /** Tasks and actor calls run here for owners elsewhere, by the owner's result id, while pending (what CANCEL reaches). */
    private final Map<ObjectId, ObjectCell> cancellable = new ConcurrentHashMap<>();
    /** The job each held object belongs to, and the jobs that ended (what is still made for them is freed at once). */
    private final JobsHere jobs = new JobsHere();
    private final NodeAdapter adapter = new NodeAdapter(this);

    NodeService(MemberServices member)
    {
        this.member = member;
        this.runtime = member.runtime();
        // jar: URLs opened by job code (getResource().openStream()) would otherwise stay open in the JVM-wide
        // cache after the job's loader is closed, keeping deleted cache entries open for good
        java.net.URLConnection.setDefaultUseCaches("jar", false);
    }

    /** Handles a node message; false when {@code type} is not one. */
    boolean onMessage(Connection c, int type, long correlationId, MemorySegment payload)
    {
        return adapter.onMessage(c, type, correlationId, payload);
    }

    @Override
    public void onKillActor(Connection c, long correlationId, String actorId)
    {
        final ActorRef a = actors.remove(actorId);
        final String job = actorJobs.remove(actorId);
        if (a != null)
        {
            a.kill();
        }
        if (detached.remove(actorId) && job != null && jobs.ended(job) && !actorJobs.containsValue(job))
        {
            closeJobLoader(job);
            LOG.info("detached actor {} of ended job {} killed: closed the job's class loader", actorId, job);
        }
        NodeProxy.actorKilled(c, correlationId);
    }

    @Override
    public void onFreeObject(Connection c, ObjectId id)
    {
        final ObjectCell cell = held.remove(id);
        if (cell != null)
        {
            jobs.forget(cell.id());
            runtime.free(cell);
            tellHead(head -> HeadProxy.objectGone(head, cell.id().toString()));
        }
    }

    /** The job of an object held here for its owner, or null (the state API's owner job). */
    String jobOfHeld(ObjectId id)
    {
        return jobs.jobOf(id);
    }

    @Override
    public void jobNamespace(String jobId, String namespace)
    {
        jobNamespaces.putIfAbsent(jobId, namespace);
    }

    /** The namespace of job {@code jobId} as its owner sent it, or null when unknown here. */
    String namespaceOf(String jobId)
    {
        return jobNamespaces.get(jobId);
    }

    @Override
    public ClassLoader loader(String jobId)
    {
        return member.cache().loader(jobId);
    }

    @Override
    public Map<Object, Object> functions()
    {
        return functions;
    }

    @Override
    public String jobOfActor(String actorId)
    {
        return actors.containsKey(actorId) ? actorJobs.getOrDefault(actorId, "") : null;
    }

    @Override
    public void onUnreadable(Connection c, long correlationId, int type, RuntimeException why)
    {
        c.reply(correlationId, type, OwnerProxy.error(serializeFailure(why)));
    }

    /** CANCEL from an owner: removes its task or actor call from the queue here, or interrupts it; false when unknown. */
    boolean cancel(ObjectId id)
    {
        final ObjectCell cell = cancellable.get(id);
        if (cell == null)
        {
            return false;
        }
        runtime.cancel(cell);
        return true;
    }

    private void cancellable(ObjectId id, ObjectCell cell)
    {
        cancellable.put(id, cell);
        cell.onDone(() -> cancellable.remove(id, cell));
    }

    /**
     * A job ended (its driver finished, or stayed away past the grace period): free the objects held
     * here for it, kill its actors, forget its functions and close its class loader.
     */
    void jobGone(String jobId)
    {
        jobs.end(jobId);
        int objects = 0;
        for (ObjectId id : jobs.objectsOf(jobId))
        {
            final ObjectCell cell = held.remove(id);
            jobs.forget(id);
            if (cell != null)
            {
                objects++;
                runtime.free(cell);
                tellHead(head -> HeadProxy.objectGone(head, id.toString()));
            }
        }
        int killed = 0;
        int kept = 0;
        for (Map.Entry<String, String> e : actorJobs.entrySet())
        {
            if (e.getValue().equals(jobId) && detached.contains(e.getKey()))
            {
                kept++;
            }
            else if (e.getValue().equals(jobId) && actorJobs.remove(e.getKey(), jobId))
            {
                final ActorRef a = actors.remove(e.getKey());
                if (a != null)
                {
                    killed++;
                    a.kill();
                    tellHead(head -> HeadProxy.actorDown(head, e.getKey()));
                }
            }
        }
        final boolean closed = kept == 0 && closeJobLoader(jobId);
        if (objects + killed + kept > 0 || closed)
        {
            LOG.info("job {} ended: freed {} objects held for it, killed {} actors{}{}", jobId, objects, killed,
                kept > 0 ? ", kept " + kept + " detached actors (and its class loader)" : "", closed ? ", closed its class loader" : "");
        }
        if (kept == 0)
        {
            jobNamespaces.remove(jobId);
        }
    }

    /** Forgets a job's functions and closes its class loader: true when it had one here. */
    private boolean closeJobLoader(String jobId)
    {
        final ClassLoader loader = member.cache().loader(jobId);
        functions.keySet().removeIf(k -> Wire.isOfLoader(k, loader));
        return member.cache().close(jobId);
    }

    int actorCount()
    {
        return actors.size();
    }

    /** Number of objects held here for owners on other nodes. */
    int heldObjects()
    {
        return held.size();
    }

    @Override
    public void onJobClasspath(Connection c, long correlationId, String jobId, List<JobClasspath.Entry> entries)
    {
        final List<String> hashes = new ArrayList<>(entries.size());
        final List<CompletableFuture<Void>> fetches = new ArrayList<>();
        for (JobClasspath.Entry e : entries)
        {
            final String hash = e.sha256();
            final long size = e.size();
            if (ownHashes.contains(hash))
            {
                continue;
            }
            hashes.add(hash);
            if (!member.cache().has(hash))
            {
                fetches.add(fetchJar(c, hash, size).thenAccept(bytes -> member.cache().put(hash, bytes)));
            }
        }
        CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new)).whenComplete((ok, error) ->
        {
            if (error != null)
            {
                c.replyError(correlationId, "node " + runtime.nodeId() + " could not fetch job " + jobId + "'s class path: " + error);
            }
            else
            {
                member.cache().loader(jobId, hashes);
                NodeProxy.classpathCached(c, correlationId);
            }
        });
    }

    /** Fetches a class-path entry chunk by chunk. */
    private static CompletableFuture<byte[]> fetchJar(Connection c, String hash, long size)
    {
        if (size < 0 || size > JobClasspath.MAX_ENTRY_BYTES)
        {
            return CompletableFuture.failedFuture(new IllegalArgumentException("class-path entry " + hash
                + " has an implausible size " + size));
        }
        // grows with the bytes that actually arrive, not with the size the peer announced
        return fetchFrom(c, hash, new java.io.ByteArrayOutputStream(), size);
    }

    private static CompletableFuture<byte[]> fetchFrom(Connection c, String hash, java.io.ByteArrayOutputStream into, long size)
    {
        final int offset = into.size();
        if (offset >= size)
        {
            return CompletableFuture.completedFuture(into.toByteArray());
        }
        return OwnerProxy.fetchJar(c, hash, offset).thenCompose(chunk ->
        {
            if (chunk.length == 0 || offset + chunk.length > size)
            {
                return CompletableFuture.failedFuture(new IllegalStateException("class-path entry " + hash
                    + " arrived with a bad chunk of " + chunk.length + " bytes at " + offset));
            }
            into.write(chunk, 0, chunk.length);
            return fetchFrom(c, hash, into, size);
        });
    }

    @Override
    public void onSubmitTask(Connection c, long correlationId, String jobId, ObjectId id, Object fn, Object[] args, CallSpec spec)
    {
        final ObjectCell result;
        try
        {
            result = withLoader(loader(jobId), () -> TaskOutput.submittingFor(jobId,
                () -> runtime.submitForOwner(fn, args, spec, id, jobId)));
        }
        catch (RuntimeException ex)
        {
            onUnreadable(c, correlationId, Msg.SUBMIT_TASK, ex);
            return;
        }
        cancellable(id, result);
        result.onDone(() -> c.reply(correlationId, Msg.SUBMIT_TASK, encodeResult(result, jobId)));
    }

    @Override
    public void onCreateActor(Connection c, long correlationId, String jobId, Object ctor, Object[] args, CallSpec spec)
    {
        final ClassLoader loader = loader(jobId);
        if (jobs.ended(jobId))
        {
            c.replyError(correlationId, "job " + jobId + " has ended; node " + runtime.nodeId() + " creates no actor for it");
            return;
        }
        final CallSpec s = spec != null ? spec : new CallSpec();
        s.jobId = jobId;
        final ActorRef a = withLoader(loader, () -> TaskOutput.submittingFor(jobId, () -> runtime.createActorHere(ctor, args, s)));
        actors.put(a.id(), a);
        actorJobs.put(a.id(), jobId);
        if (s.detached)
        {
            detached.add(a.id());
        }
        final Class<?> cls = a.actorClass();
        NodeProxy.actorCreated(c, correlationId, a.id(), cls == null ? null : cls.getName());
    }

    @Override
    public void onCallActor(Connection c, long correlationId, String id, ObjectId resultId, Object method, Object[] args,
                            String callerJob)
    {
        final ActorRef a = actors.get(id);
        if (a == null || method == null)
        {
            onUnreadable(c, correlationId, Msg.CALL_ACTOR, new ActorDiedException("actor #" + id + " is not alive on node "
                + runtime.nodeId()));
            return;
        }
        final String jobId = actorJobs.getOrDefault(id, "");
        final ObjectCell result;
        try
        {
            result = TaskOutput.submittingFor(jobId, () -> a.callForOwner(method, args, resultId));
            cancellable(resultId, result);
        }
        catch (RuntimeException ex)
        {
            onUnreadable(c, correlationId, Msg.CALL_ACTOR, ex);
            return;
        }
        // a detached actor's job may have ended: a stored result is then held for the caller's job (freed when it ends)
        final String holdFor = detached.contains(id) && jobs.ended(jobId) ? callerJob : jobId;
        result.onDone(() -> c.reply(correlationId, Msg.CALL_ACTOR, encodeResult(result, holdFor)));
    }

    private static <T> T withLoader(ClassLoader loader, java.util.function.Supplier<T> body)
    {
        final Thread t = Thread.currentThread();
        final ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try
        {
            return body.get();
        }
        finally
        {
            t.setContextClassLoader(before);
        }
    }

    /** An argument's cell: this node's copy when it has one, else a pull from every known holder at once. */
    @Override
    public ObjectCell remoteArg(ObjectId id, List<String> holders)
    {
        final ObjectCell mine = held.get(id);
        if (mine != null)
        {
            return mine;
        }
        final WeakReference<ObjectCell> ref = pulled.get(id);
        final ObjectCell known = ref == null ? null : ref.get();
        if (known != null)
        {
            return known;
        }
        final ObjectCell cell = runtime.newCell(id);
        pulled.put(id, new WeakReference<>(cell));
        final String primary = holders.getFirst();
        member.pull(id, holders)
            .exceptionallyCompose(error -> holders.size() > 1 ? member.pull(id, List.of(primary)) : CompletableFuture.failedFuture(error))
            .whenComplete((pulledObject, error) ->
            {
                if (error != null)
                {
                    pulled.remove(id);
                    cell.failWith(new ObjectLostException("node " + runtime.nodeId() + " could not pull object " + id
                        + " from " + primary + ": " + error.getMessage(), error));
                }
                else
                {
                    if (pulledObject.holders() > 1)
                    {
                        LOG.info("pulled object {} ({} bytes) from {} holders at once",
                            id, pulledObject.sizeBytes(), pulledObject.holders());
                    }
                    if (pulledObject.holders() > 0)
                    {
                        runtime.store().markSecondary(id);
                    }
                    final StoredObject s = new StoredObject(runtime.store(), id, null);
                    if (cell.completeWithStored(s))
                    {
                        runtime.cleaner().register(cell, s);
                    }
                }
            });
        return cell;
    }


    /** A finished cell as a reply: inline value, stored here (held for the owner), or the failure. */
    private byte[] encodeResult(ObjectCell result, String jobId)
    {
        if (result.isFailed())
        {
            RuntimeException failure;
            try
            {
                runtime.get(result, 0);
                failure = new ObjectLostException("result " + result.id() + " failed");
            }
            catch (RuntimeException ex)
            {
                failure = ex;
            }
            return OwnerProxy.error(serializeFailure(failure));
        }
        final StoredObject stored = result.storedObject();
        if (stored != null)
        {
            hold(result, jobId);
            return OwnerProxy.stored(runtime.nodeId(), member.address(), sizeOf(result));
        }
        final Object value;
        try
        {
            value = runtime.get(result, 0);
        }
        catch (RuntimeException ex)
        {
            return OwnerProxy.error(serializeFailure(ex));
        }
        final byte[] bytes;
        final boolean holdsRefs;
        try
        {
            final Wire.Out out = OwnerProxy.value();
            holdsRefs = LocalRuntime.writesRefs(() -> Wire.writeValue(out, value));
            bytes = out.toBytes();
        }
        catch (RuntimeException ex)
        {
            return OwnerProxy.error(serializeFailure(new TaskException(
                "the result of " + result.id() + " cannot be sent to its owner: " + ex.getMessage(), ex)));
        }
        // a result holding refs stays here too: held for its owner, it keeps the objects it refers to alive
        if (bytes.length > INLINE_REPLY_MAX || holdsRefs)
        {
            runtime.storeInPlace(result, value);
            hold(result, jobId);
            return OwnerProxy.stored(runtime.nodeId(), member.address(), bytes.length);
        }
        return bytes;
    }

    /** Keeps a primary copy for its owner until freed (or its job ends), and tells the head where it is. */
    private void hold(ObjectCell result, String jobId)
    {
        if (!jobs.held(result.id(), jobId))
        {
            runtime.free(result);  // its job ended while it ran: nobody will ever free it
            return;
        }
        held.put(result.id(), result);
        tellHead(head -> HeadProxy.objectAt(head, result.id().toString(), runtime.nodeId()));
    }

    private void tellHead(java.util.function.Consumer<Connection> message)
    {
        try
        {
            message.accept(member.headConnection());
        }
        catch (RuntimeException headAway)
        {
            // the head is restarting: the location table is advisory (owners know where their objects are)
        }
    }

    private long sizeOf(ObjectCell cell)
    {
        final var view = runtime.store().get(cell.id(), 0);
        if (view == null)
        {
            return 0;
        }
        try
        {
            return view.size();
        }
        finally
        {
            runtime.store().release(cell.id());
        }
    }

    private static byte[] serializeFailure(RuntimeException ex)
    {
        try
        {
            return Wire.serialize(ex);
        }
        catch (RuntimeException notSerializable)
        {
            return Wire.serialize(new TaskException(ex.toString()));
        }
    }
}
