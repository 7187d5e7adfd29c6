package io.tessera.internal.cluster;

import io.tessera.internal.NodeRecords;
import io.tessera.internal.ObjectCopy;
import io.tessera.memory.ObjectId;
import io.tessera.state.ActorInfo;
import io.tessera.state.ActorStatus;
import io.tessera.state.JobInfo;
import io.tessera.state.JobStatus;
import io.tessera.state.TaskInfo;
import io.tessera.state.TaskStatus;
import io.tessera.transport.Connection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The messages every cluster member receives as an owner of tasks and objects (and as a subscriber
 * of the head), one method per type, each encoding its body; {@link OwnerAdapter} decodes them. Also
 * the results owners receive. The layouts, in {@link Wire} encoding:
 * <pre>
 *   ROLE             any → any (no reply): role ("driver", "node" or "status"), the first message on every
 *                    connection a process opens; what a peer may send depends on it (see {@link PeerRoles}).
 *   NODE_DEAD        head → members (no reply): nodeId, address.
 *   JOB_GONE         head → members (no reply): jobId, driver nodeId ("" when unknown) — the job ended (its driver
 *                    said so, or its driver's connection to the head stayed closed for the grace period).
 *   NODE_STATS       any → member: gc first?. Reply: n × (name, value i64) — heap, files, threads, store, ….
 *   STATE_QUERY      any → member: whole cluster? (only the head answers for the cluster: it asks its live nodes and
 *                    merges). Reply: dropped i64, n × task (id, functionName, state ordinal i32, nodeId, workerThread,
 *                    jobId, attempt i32, submittedAtMs, waitForArgsNs, queueNs, runNs i64, error, startedAtUs i64),
 *                    n × actor (id, className, name, state ordinal i32, nodeId, jobId, restarts i32, deathCause),
 *                    n × object copy (id, sizeBytes i64, nodeId, ownerJob, pins i32, spilled, secondary, lastUsedAtMs i64),
 *                    n × owner (id prefix i64, nodeId), n × job (id, driver, state ordinal i32, startedAtMs, endedAtMs i64:
 *                    the head's table, in the head's answer only); an empty reply when the member could not answer.
 *   FETCH_JAR        node → owner: sha256, offset i64. Reply: up to {@link Msg#JAR_CHUNK} raw bytes of the entry.
 *   GET_OBJECT       borrower → owner: hi, lo. Reply once the object is ready: a lent object. Registers the borrow.
 *   RELEASE_REF      borrower → owner (no reply): hi, lo — the borrower's ref became unreachable.
 *   RECREATE_OBJECT  borrower → owner: hi, lo, holder address the borrower could not pull from. Reply: a lent object
 *                    (STORED at the new holder, or ERROR).
 *   CANCEL           owner → node, borrower → owner (no reply): hi, lo — cancel the task or actor call whose
 *                    result has that id (a node removes or interrupts it; an owner forwards it or cancels locally).
 *
 *   a result      (reply to SUBMIT_TASK, CALL_ACTOR):  VALUE, value | STORED, nodeId, address, size i64 | ERROR, exception
 *   a lent object (reply to GET_OBJECT, RECREATE_OBJECT): VALUE, value | STORED, holder address | ERROR, exception
 *   value: {@link Wire#writeValue}; exception: Java-serialized bytes (i32 length first)
 * </pre>
 */
final class OwnerProxy
{
    private OwnerProxy()
    {
    }

    static void role(Connection c, String role)
    {
        c.send(Msg.ROLE, new Wire.Out().str(role).toBytes());
    }

    /** Tells every open connection among {@code members} (one body for all). */
    static void nodeDead(Iterable<Connection> members, String nodeId, String address)
    {
        sendAll(members, Msg.NODE_DEAD, new Wire.Out().str(nodeId).str(address).toBytes());
    }

    static void jobGone(Iterable<Connection> members, String jobId, String driverNodeId)
    {
        sendAll(members, Msg.JOB_GONE, new Wire.Out().str(jobId).str(driverNodeId).toBytes());
    }

    private static void sendAll(Iterable<Connection> members, int type, byte[] body)
    {
        for (Connection m : members)
        {
            if (m.isOpen())
            {
                m.send(type, body);
            }
        }
    }

    static CompletableFuture<Map<String, Long>> nodeStats(Connection member, boolean gcFirst)
    {
        return member.request(Msg.NODE_STATS, new Wire.Out().bool(gcFirst).toBytes()).thenApply(reply ->
        {
            final Wire.In in = new Wire.In(reply);
            final int n = in.count();
            final Map<String, Long> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++)
            {
                m.put(in.str(), in.i64());
            }
            return m;
        });
    }

    static void replyNodeStats(Connection c, long correlationId, Map<String, Long> stats)
    {
        final Wire.Out out = new Wire.Out().i32(stats.size());
        stats.forEach((k, v) -> out.str(k).i64(v));
        c.reply(correlationId, Msg.NODE_STATS, out.toBytes());
    }

    static CompletableFuture<NodeRecords> stateQuery(Connection member, boolean wholeCluster)
    {
        return member.request(Msg.STATE_QUERY, new Wire.Out().bool(wholeCluster).toBytes()).thenApply(OwnerProxy::readRecords);
    }

    static void replyState(Connection c, long correlationId, NodeRecords r)
    {
        c.reply(correlationId, Msg.STATE_QUERY, writeRecords(r));
    }

    static byte[] writeRecords(NodeRecords r)
    {
        final Wire.Out out = new Wire.Out().i64(r.dropped()).i32(r.tasks().size());
        for (TaskInfo t : r.tasks())
        {
            out.str(t.id()).str(t.functionName()).i32(t.state().ordinal()).str(t.nodeId()).str(t.workerThread()).str(t.jobId())
                .i32(t.attempt()).i64(t.submittedAtMs()).i64(t.waitForArgsNs()).i64(t.queueNs()).i64(t.runNs()).str(t.error())
                .i64(t.startedAtUs());
        }
        out.i32(r.actors().size());
        for (ActorInfo a : r.actors())
        {
            out.str(a.id()).str(a.className()).str(a.name()).i32(a.state().ordinal()).str(a.nodeId()).str(a.jobId())
                .i32(a.restarts()).str(a.deathCause()).str(a.namespace());
        }
        out.i32(r.objects().size());
        for (ObjectCopy o : r.objects())
        {
            out.str(o.id()).i64(o.sizeBytes()).str(o.nodeId()).str(o.ownerJob()).i32(o.pins()).bool(o.spilled()).bool(o.secondary())
                .i64(o.lastUsedAtMs());
        }
        out.i32(r.owners().size());
        r.owners().forEach((prefix, nodeId) -> out.i64(prefix).str(nodeId));
        out.i32(r.jobs().size());
        for (JobInfo j : r.jobs())
        {
            out.str(j.id()).str(j.driver()).i32(j.state().ordinal()).i64(j.startedAtMs()).i64(j.endedAtMs());
        }
        return out.toBytes();
    }

    static NodeRecords readRecords(byte[] reply)
    {
        if (reply.length == 0)
        {
            throw new io.tessera.TesseraException("the cluster member could not answer the state query (see its log)");
        }
        final Wire.In in = new Wire.In(reply);
        final long dropped = in.i64();
        final int nt = in.count();
        final List<TaskInfo> tasks = new ArrayList<>(nt);
        for (int i = 0; i < nt; i++)
        {
            tasks.add(new TaskInfo(in.str(), in.str(), enumAt(TaskStatus.values(), in.i32()), in.str(), in.str(), in.str(),
                in.i32(), in.i64(), in.i64(), in.i64(), in.i64(), in.str(), in.i64()));
        }
        final int na = in.count();
        final List<ActorInfo> actors = new ArrayList<>(na);
        for (int i = 0; i < na; i++)
        {
            actors.add(new ActorInfo(in.str(), in.str(), in.str(), enumAt(ActorStatus.values(), in.i32()), in.str(), in.str(),
                in.i32(), in.str(), in.str()));
        }
        final int no = in.count();
        final List<ObjectCopy> objects = new ArrayList<>(no);
        for (int i = 0; i < no; i++)
        {
            objects.add(new ObjectCopy(in.str(), in.i64(), in.str(), in.str(), in.i32(), in.bool(), in.bool(), in.i64()));
        }
        final int nw = in.count();
        final Map<Long, String> owners = new LinkedHashMap<>();
        for (int i = 0; i < nw; i++)
        {
            owners.put(in.i64(), in.str());
        }
        final int nj = in.count();
        final List<JobInfo> jobs = new ArrayList<>(nj);
        for (int i = 0; i < nj; i++)
        {
            jobs.add(new JobInfo(in.str(), in.str(), enumAt(JobStatus.values(), in.i32()), in.i64(), in.i64()));
        }
        return new NodeRecords(tasks, actors, dropped, objects, owners, jobs);
    }

    private static <E extends Enum<E>> E enumAt(E[] values, int ordinal)
    {
        if (ordinal < 0 || ordinal >= values.length)
        {
            throw new IllegalArgumentException("bad " + values[0].getDeclaringClass().getSimpleName() + " ordinal " + ordinal);
        }
        return values[ordinal];
    }

    static CompletableFuture<byte[]> fetchJar(Connection owner, String sha256, long offset)
    {
        return owner.request(Msg.FETCH_JAR, new Wire.Out().str(sha256).i64(offset).toBytes());
    }

    static void replyJarChunk(Connection c, long correlationId, byte[] chunk)
    {
        c.reply(correlationId, Msg.FETCH_JAR, chunk);
    }

    /** Completes with a lent object (see {@link Borrows}). */
    static CompletableFuture<byte[]> getObject(Connection owner, ObjectId id)
    {
        return owner.requestUntilClosed(Msg.GET_OBJECT, id(id).toBytes());
    }

    static void replyObject(Connection c, long correlationId, byte[] lentObject)
    {
        c.reply(correlationId, Msg.GET_OBJECT, lentObject);
    }

    static void releaseRef(Connection owner, ObjectId id)
    {
        owner.send(Msg.RELEASE_REF, id(id).toBytes());
    }

    /** Completes with a lent object: STORED at its new holder, or ERROR. */
    static CompletableFuture<byte[]> recreateObject(Connection owner, ObjectId id, String lostAt)
    {
        return owner.requestUntilClosed(Msg.RECREATE_OBJECT, id(id).str(lostAt).toBytes());
    }

    static void replyRecreated(Connection c, long correlationId, byte[] lentObject)
    {
        c.reply(correlationId, Msg.RECREATE_OBJECT, lentObject);
    }

    static void cancel(Connection c, ObjectId id)
    {
        c.send(Msg.CANCEL, id(id).toBytes());
    }

    private static Wire.Out id(ObjectId id)
    {
        return new Wire.Out().i64(id.hi()).i64(id.lo());
    }

    // ------------------------------------------------------------------ results and lent objects

    /** A result or lent object by value; the caller writes the value ({@link Wire#writeValue}). */
    static Wire.Out value()
    {
        return new Wire.Out().i32(Msg.VALUE);
    }

    static byte[] value(Object v)
    {
        final Wire.Out out = value();
        Wire.writeValue(out, v);
        return out.toBytes();
    }

    /** A result kept in the store of node {@code nodeId} at {@code address}, {@code size} bytes. */
    static byte[] stored(String nodeId, String address, long size)
    {
        return new Wire.Out().i32(Msg.STORED).str(nodeId).str(address).i64(size).toBytes();
    }

    /** A lent object whose bytes are held at {@code holder}. */
    static byte[] storedAt(String holder)
    {
        return new Wire.Out().i32(Msg.STORED).str(holder).toBytes();
    }

    /** A result or lent object that failed: the serialized exception. */
    static byte[] error(byte[] serializedException)
    {
        return new Wire.Out().i32(Msg.ERROR).bytes(serializedException).toBytes();
    }
}
