package io.tessera.internal.cluster;

import io.tessera.ActorDiedException;
import io.tessera.ObjectLostException;
import io.tessera.TaskException;
import io.tessera.internal.ActorRef;
import io.tessera.internal.CallSpec;
import io.tessera.internal.LocalRuntime;
import io.tessera.internal.ObjectCell;
import io.tessera.internal.StoredObject;
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
final class NodeService {
    private static final Logger LOG = LoggerFactory.getLogger(NodeService.class);
    /** Results serialized above this size stay in the store and travel by pull instead. */
    private static final int INLINE_REPLY_MAX = 256 * 1024;

    private final ClusterMember member;
    private final LocalRuntime runtime;
    private final Map<ObjectId, ObjectCell> held = new ConcurrentHashMap<>();
    private final Map<ObjectId, WeakReference<ObjectCell>> pulled = new ConcurrentHashMap<>();
    private final Map<String, ActorRef> actors = new ConcurrentHashMap<>();
    private final Map<String, String> actorJobs = new ConcurrentHashMap<>();
    private final java.util.Set<String> ownHashes = JobClasspath.ownHashes();
    private final Map<Object, Object> functions = new ConcurrentHashMap<>();
    /** Tasks and actor calls run here for owners elsewhere, by the owner's result id, while pending (what CANCEL reaches). */
    private final Map<ObjectId, ObjectCell> cancellable = new ConcurrentHashMap<>();
    /** The job each held object belongs to, and the jobs that ended (what is still made for them is freed at once). */
    private final JobsHere jobs = new JobsHere();

    NodeService(ClusterMember member) {
        this.member = member;
        this.runtime = member.runtime;
        // jar: URLs opened by job code (getResource().openStream()) would otherwise stay open in the JVM-wide
        // cache after the job's loader is closed, keeping deleted cache entries open for good
        java.net.URLConnection.setDefaultUseCaches("jar", false);
    }

    boolean onMessage(Connection c, int type, long correlationId, MemorySegment payload) {
        switch (type) {
            case Msg.JOB_CLASSPATH -> receiveJob(c, correlationId, new Wire.In(payload));
            case Msg.SUBMIT_TASK -> runTask(c, correlationId, new Wire.In(payload));
            case Msg.CREATE_ACTOR -> createActor(c, correlationId, new Wire.In(payload));
            case Msg.CALL_ACTOR -> callActor(c, correlationId, new Wire.In(payload));
            case Msg.KILL_ACTOR -> {
                final String id = new Wire.In(payload).str();
                final ActorRef a = actors.remove(id);
                actorJobs.remove(id);
                if (a != null) {
                    a.kill();
                }
                c.reply(correlationId, Msg.KILL_ACTOR, new byte[0]);
            }
            case Msg.FREE_OBJECTS -> {
                final Wire.In in = new Wire.In(payload);
                final int n = in.count();
                for (int i = 0; i < n; i++) {
                    final ObjectCell cell = held.remove(ObjectId.of(in.i64(), in.i64()));
                    if (cell != null) {
                        jobs.forget(cell.id());
                        runtime.free(cell);
                        tellHead(Msg.OBJECT_GONE, new Wire.Out().str(cell.id().toString()));
                    }
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** CANCEL from an owner: removes its task or actor call from the queue here, or interrupts it; false when unknown. */
    boolean cancel(ObjectId id) {
        final ObjectCell cell = cancellable.get(id);
        if (cell == null) {
            return false;
        }
        runtime.cancel(cell);
        return true;
    }

    private void cancellable(ObjectId id, ObjectCell cell) {
        cancellable.put(id, cell);
        cell.onDone(() -> cancellable.remove(id, cell));
    }

    /**
     * A job ended (its driver finished, or stayed away past the grace period): free the objects held
     * here for it, kill its actors, forget its functions and close its class loader.
     */
    void jobGone(String jobId) {
        jobs.end(jobId);
        int objects = 0;
        for (ObjectId id : jobs.objectsOf(jobId)) {
            final ObjectCell cell = held.remove(id);
            jobs.forget(id);
            if (cell != null) {
                objects++;
                runtime.free(cell);
                tellHead(Msg.OBJECT_GONE, new Wire.Out().str(id.toString()));
            }
        }
        int killed = 0;
        for (Map.Entry<String, String> e : actorJobs.entrySet()) {
            if (e.getValue().equals(jobId) && actorJobs.remove(e.getKey(), jobId)) {
                final ActorRef a = actors.remove(e.getKey());
                if (a != null) {
                    killed++;
                    a.kill();
                    tellHead(Msg.ACTOR_DOWN, new Wire.Out().str(e.getKey()));
                }
            }
        }
        final ClassLoader loader = member.cache.loader(jobId);
        functions.keySet().removeIf(k -> Wire.isOfLoader(k, loader));
        final boolean closed = member.cache.close(jobId);
        if (objects + killed > 0 || closed) {
            LOG.info("job {} ended: freed {} objects held for it, killed {} actors{}",
                jobId, objects, killed, closed ? ", closed its class loader" : "");
        }
    }

    int actorCount() {
        return actors.size();
    }

    /** Number of objects held here for owners on other nodes. */
    int heldObjects() {
        return held.size();
    }

    private void receiveJob(Connection c, long correlationId, Wire.In in) {
        final String jobId = in.str();
        final int n = in.count();
        final List<String> hashes = new ArrayList<>(n);
        final List<CompletableFuture<Void>> fetches = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            in.str();
            final String hash = in.str();
            final long size = in.i64();
            if (ownHashes.contains(hash)) {
                continue;
            }
            hashes.add(hash);
            if (!member.cache.has(hash)) {
                fetches.add(fetchJar(c, hash, size).thenAccept(bytes -> member.cache.put(hash, bytes)));
            }
        }
        CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
            if (error != null) {
                c.replyError(correlationId, "node " + runtime.nodeId() + " could not fetch job " + jobId + "'s class path: " + error);
            } else {
                member.cache.loader(jobId, hashes);
                c.reply(correlationId, Msg.JOB_CLASSPATH, new byte[0]);
            }
        });
    }

    /** Fetches a class-path entry chunk by chunk. */
    private static CompletableFuture<byte[]> fetchJar(Connection c, String hash, long size) {
        if (size < 0 || size > JobClasspath.MAX_ENTRY_BYTES) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("class-path entry " + hash + " has an implausible size " + size));
        }
        // grows with the bytes that actually arrive, not with the size the peer announced
        return fetchFrom(c, hash, new java.io.ByteArrayOutputStream(), size);
    }

    private static CompletableFuture<byte[]> fetchFrom(Connection c, String hash, java.io.ByteArrayOutputStream into, long size) {
        final int offset = into.size();
        if (offset >= size) {
            return CompletableFuture.completedFuture(into.toByteArray());
        }
        return c.request(Msg.FETCH_JAR, new Wire.Out().str(hash).i64(offset).toBytes()).thenCompose(chunk -> {
            if (chunk.length == 0 || offset + chunk.length > size) {
                return CompletableFuture.failedFuture(new IllegalStateException("class-path entry " + hash
                    + " arrived with a bad chunk of " + chunk.length + " bytes at " + offset));
            }
            into.write(chunk, 0, chunk.length);
            return fetchFrom(c, hash, into, size);
        });
    }

    private void runTask(Connection c, long correlationId, Wire.In in) {
        final String jobId = in.str();
        final ObjectId id = ObjectId.of(in.i64(), in.i64());
        final ClassLoader loader = member.cache.loader(jobId);
        final ObjectCell result;
        try {
            final Object fn = Wire.readFunction(in, loader, functions);
            final Object[] args = decodeArgs(in, loader);
            final CallSpec spec = Owner.decodeSpec(in);
            result = withLoader(loader, () -> runtime.submitForOwner(fn, args, spec, id));
        } catch (RuntimeException ex) {
            c.reply(correlationId, Msg.SUBMIT_TASK, new Wire.Out().i32(Msg.ERROR).bytes(serializeFailure(ex)).toBytes());
            return;
        }
        cancellable(id, result);
        result.onDone(() -> c.reply(correlationId, Msg.SUBMIT_TASK, encodeResult(result, jobId)));
    }

    private void createActor(Connection c, long correlationId, Wire.In in) {
        final String jobId = in.str();
        final ClassLoader loader = member.cache.loader(jobId);
        final Object ctor = Wire.readFunction(in, loader, functions);
        final Object[] args = decodeArgs(in, loader);
        final CallSpec spec = Owner.decodeSpec(in);
        if (jobs.ended(jobId)) {
            c.replyError(correlationId, "job " + jobId + " has ended; node " + runtime.nodeId() + " creates no actor for it");
            return;
        }
        final ActorRef a = withLoader(loader, () -> runtime.createActorHere(ctor, args, spec != null ? spec : new CallSpec()));
        actors.put(a.id(), a);
        actorJobs.put(a.id(), jobId);
        final Class<?> cls = a.actorClass();
        c.reply(correlationId, Msg.CREATE_ACTOR, new Wire.Out().str(a.id()).str(cls == null ? null : cls.getName()).toBytes());
    }

    private void callActor(Connection c, long correlationId, Wire.In in) {
        final String id = in.str();
        final ObjectId resultId = ObjectId.of(in.i64(), in.i64());
        final ActorRef a = actors.get(id);
        if (a == null) {
            c.reply(correlationId, Msg.CALL_ACTOR, new Wire.Out().i32(Msg.ERROR).bytes(serializeFailure(
                new ActorDiedException("actor #" + id + " is not alive on node " + runtime.nodeId()))).toBytes());
            return;
        }
        final String jobId = actorJobs.getOrDefault(id, "");
        final ClassLoader loader = member.cache.loader(jobId);
        final ObjectCell result;
        try {
            final Object method = Wire.readFunction(in, loader, functions);
            final Object[] args = decodeArgs(in, loader);
            result = a.callForOwner(method, args, resultId);
            cancellable(resultId, result);
        } catch (RuntimeException ex) {
            c.reply(correlationId, Msg.CALL_ACTOR, new Wire.Out().i32(Msg.ERROR).bytes(serializeFailure(ex)).toBytes());
            return;
        }
        result.onDone(() -> c.reply(correlationId, Msg.CALL_ACTOR, encodeResult(result, jobId)));
    }

    private static <T> T withLoader(ClassLoader loader, java.util.function.Supplier<T> body) {
        final Thread t = Thread.currentThread();
        final ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return body.get();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /** Arguments: values travel inline; objects held elsewhere become cells that complete once pulled here. */
    private Object[] decodeArgs(Wire.In in, ClassLoader loader) {
        final int n = in.count();
        final Object[] args = new Object[n];
        for (int i = 0; i < n; i++) {
            final int tag = in.i32();
            if (tag == Msg.VALUE) {
                args[i] = Wire.readValue(in, loader);
            } else {
                final ObjectId id = ObjectId.of(in.i64(), in.i64());
                final List<String> holders = new ArrayList<>();
                holders.add(in.str());
                final int copies = in.count();
                for (int k = 0; k < copies; k++) {
                    holders.add(in.str());
                }
                args[i] = cellFor(id, holders);
            }
        }
        return args;
    }

    /** An argument's cell: this node's copy when it has one, else a pull from every known holder at once. */
    private ObjectCell cellFor(ObjectId id, List<String> holders) {
        final ObjectCell mine = held.get(id);
        if (mine != null) {
            return mine;
        }
        final WeakReference<ObjectCell> ref = pulled.get(id);
        final ObjectCell known = ref == null ? null : ref.get();
        if (known != null) {
            return known;
        }
        final ObjectCell cell = runtime.newCell(id);
        pulled.put(id, new WeakReference<>(cell));
        final String primary = holders.getFirst();
        member.pull(id, holders)
            .exceptionallyCompose(error -> holders.size() > 1 ? member.pull(id, List.of(primary)) : CompletableFuture.failedFuture(error))
            .whenComplete((pulledObject, error) -> {
                if (error != null) {
                    pulled.remove(id);
                    cell.failWith(new ObjectLostException("node " + runtime.nodeId() + " could not pull object " + id
                        + " from " + primary + ": " + error.getMessage(), error));
                } else {
                    if (pulledObject.holders() > 1) {
                        LOG.info("pulled object {} ({} bytes) from {} holders at once",
                            id, pulledObject.sizeBytes(), pulledObject.holders());
                    }
                    if (pulledObject.holders() > 0) {
                        runtime.store().markSecondary(id);
                    }
                    final StoredObject s = new StoredObject(runtime.store(), id, null);
                    if (cell.completeWithStored(s)) {
                        runtime.cleaner().register(cell, s);
                    }
                }
            });
        return cell;
    }


    /** A finished cell as a reply: inline value, stored here (held for the owner), or the failure. */
    private byte[] encodeResult(ObjectCell result, String jobId) {
        if (result.isFailed()) {
            RuntimeException failure;
            try {
                runtime.get(result, 0);
                failure = new ObjectLostException("result " + result.id() + " failed");
            } catch (RuntimeException ex) {
                failure = ex;
            }
            return new Wire.Out().i32(Msg.ERROR).bytes(serializeFailure(failure)).toBytes();
        }
        final StoredObject stored = result.storedObject();
        if (stored != null) {
            hold(result, jobId);
            return new Wire.Out().i32(Msg.STORED).str(runtime.nodeId()).str(member.address)
                .i64(sizeOf(result)).toBytes();
        }
        final Object value;
        try {
            value = runtime.get(result, 0);
        } catch (RuntimeException ex) {
            return new Wire.Out().i32(Msg.ERROR).bytes(serializeFailure(ex)).toBytes();
        }
        final byte[] bytes;
        final boolean holdsRefs;
        try {
            final Wire.Out out = new Wire.Out().i32(Msg.VALUE);
            holdsRefs = LocalRuntime.writesRefs(() -> Wire.writeValue(out, value));
            bytes = out.toBytes();
        } catch (RuntimeException ex) {
            return new Wire.Out().i32(Msg.ERROR).bytes(serializeFailure(new TaskException(
                "the result of " + result.id() + " cannot be sent to its owner: " + ex.getMessage(), ex))).toBytes();
        }
        // a result holding refs stays here too: held for its owner, it keeps the objects it refers to alive
        if (bytes.length > INLINE_REPLY_MAX || holdsRefs) {
            runtime.storeInPlace(result, value);
            hold(result, jobId);
            return new Wire.Out().i32(Msg.STORED).str(runtime.nodeId()).str(member.address).i64(bytes.length).toBytes();
        }
        return bytes;
    }

    /** Keeps a primary copy for its owner until freed (or its job ends), and tells the head where it is. */
    private void hold(ObjectCell result, String jobId) {
        if (!jobs.held(result.id(), jobId)) {
            runtime.free(result);  // its job ended while it ran: nobody will ever free it
            return;
        }
        held.put(result.id(), result);
        tellHead(Msg.OBJECT_AT, new Wire.Out().str(result.id().toString()).str(runtime.nodeId()));
    }

    private void tellHead(int type, Wire.Out body) {
        try {
            member.headConnection().send(type, body.toBytes());
        } catch (RuntimeException headAway) {
            // the head is restarting: the location table is advisory (owners know where their objects are)
        }
    }

    private long sizeOf(ObjectCell cell) {
        final var view = runtime.store().get(cell.id(), 0);
        if (view == null) {
            return 0;
        }
        try {
            return view.size();
        } finally {
            runtime.store().release(cell.id());
        }
    }

    private static byte[] serializeFailure(RuntimeException ex) {
        try {
            return Wire.serialize(ex);
        } catch (RuntimeException notSerializable) {
            return Wire.serialize(new TaskException(ex.toString()));
        }
    }
}
