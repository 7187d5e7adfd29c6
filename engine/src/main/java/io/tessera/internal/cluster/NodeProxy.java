package io.tessera.internal.cluster;

import io.tessera.internal.CallSpec;
import io.tessera.internal.ObjectCell;
import io.tessera.internal.StoredObject;
import io.tessera.memory.ObjectId;
import io.tessera.transport.Connection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The messages a worker node receives from owners, one method per type (and one per reply), each
 * encoding its body; {@link NodeAdapter} decodes them on the node. Task and actor bodies are encoded
 * once (for the first send and every retry) and sent under the owner's cancel guard. The layouts, in
 * {@link Wire} encoding:
 * <pre>
 *   JOB_CLASSPATH  owner → node: jobId, n × (name, sha256, size i64). Reply once every entry is cached: empty.
 *   SUBMIT_TASK    owner → node: jobId, result id (hi, lo), function, args, spec. Reply: a result.
 *   CREATE_ACTOR   owner → node: jobId, constructor, args, spec. Reply: actorId, className (null when unknown).
 *   CALL_ACTOR     owner → node: actorId, result id (hi, lo: the owner's id of the call, for large results and
 *                  CANCEL), method, args. Reply: a result.
 *   KILL_ACTOR     owner → node: actorId. Reply: empty.
 *   FREE_OBJECTS   owner → holder (no reply): n × (hi, lo).
 *
 *   function  stateless?, [digest i64 when stateless], Java-serialized bytes ({@link Wire#writeFunction})
 *   args      n × (VALUE, value ({@link Wire#writeValue}) | REMOTE, hi, lo, holder address, n × copy address)
 *   spec      present?, cpus f64, gpus f64, memoryBytes i64, custom amounts, maxRetries i32, retryExceptions?,
 *             name, maxRestarts i32 (defaults when not present)
 * </pre>
 * A result (the reply to SUBMIT_TASK and CALL_ACTOR) is one of {@link OwnerProxy}'s results.
 */
final class NodeProxy
{
    private NodeProxy()
    {
    }

    static CompletableFuture<Void> jobClasspath(Connection node, String jobId, List<JobClasspath.Entry> entries)
    {
        final Wire.Out out = new Wire.Out().str(jobId).i32(entries.size());
        for (JobClasspath.Entry e : entries)
        {
            out.str(e.name()).str(e.sha256()).i64(e.size());
        }
        return node.request(Msg.JOB_CLASSPATH, out.toBytes()).thenApply(r -> null);
    }

    static void classpathCached(Connection c, long correlationId)
    {
        c.reply(correlationId, Msg.JOB_CLASSPATH, new byte[0]);
    }

    /** A SUBMIT_TASK body. {@code member} resolves where remote arguments are held. */
    static byte[] task(MemberServices member, String jobId, ObjectId resultId, Object fn, Object[] args, CallSpec spec)
    {
        final Wire.Out out = new Wire.Out().str(jobId).i64(resultId.hi()).i64(resultId.lo());
        Wire.writeFunction(out, fn);
        writeArgs(out, args, member);
        return writeSpec(out, spec).toBytes();
    }

    /** Sends a task; with {@code sent} (not null), only if it was not cancelled meanwhile (see {@link Owner#sendUnlessCancelled}). */
    static CompletableFuture<byte[]> submitTask(Connection node, byte[] task, Sent sent, String at)
    {
        return sent == null ? node.requestUntilClosed(Msg.SUBMIT_TASK, task)
            : Sent.sendUnlessCancelled(sent, node, at, Msg.SUBMIT_TASK, task);
    }

    /** A CREATE_ACTOR body. */
    static byte[] actor(MemberServices member, String jobId, Object constructor, Object[] args, CallSpec spec)
    {
        final Wire.Out out = new Wire.Out().str(jobId);
        Wire.writeFunction(out, constructor);
        writeArgs(out, args, member);
        return writeSpec(out, spec).toBytes();
    }

    /** The actor as created: its id on the node and its class name (null when unknown). */
    record Created(String actorId, String className)
    {
    }

    static CompletableFuture<Created> createActor(Connection node, byte[] actor)
    {
        return node.requestUntilClosed(Msg.CREATE_ACTOR, actor).thenApply(reply ->
        {
            final Wire.In in = new Wire.In(reply);
            return new Created(in.str(), in.str());
        });
    }

    static void actorCreated(Connection c, long correlationId, String actorId, String className)
    {
        c.reply(correlationId, Msg.CREATE_ACTOR, new Wire.Out().str(actorId).str(className).toBytes());
    }

    /** A CALL_ACTOR body. */
    static byte[] call(MemberServices member, String actorId, ObjectId resultId, Object method, Object[] args)
    {
        final Wire.Out out = new Wire.Out().str(actorId).i64(resultId.hi()).i64(resultId.lo()).str(callerJob());
        Wire.writeFunction(out, method);
        writeArgs(out, args, member);
        return out.toBytes();
    }

    /** Sends an actor call unless it was cancelled meanwhile. */
    static CompletableFuture<byte[]> callActor(Connection node, byte[] call, Sent sent, String at)
    {
        return Sent.sendUnlessCancelled(sent, node, at, Msg.CALL_ACTOR, call);
    }

    static CompletableFuture<Void> killActor(Connection node, String actorId)
    {
        return node.request(Msg.KILL_ACTOR, new Wire.Out().str(actorId).toBytes()).thenApply(r -> null);
    }

    static void actorKilled(Connection c, long correlationId)
    {
        c.reply(correlationId, Msg.KILL_ACTOR, new byte[0]);
    }

    static void freeObject(Connection holder, ObjectId id)
    {
        holder.send(Msg.FREE_OBJECTS, new Wire.Out().i32(1).i64(id.hi()).i64(id.lo()).toBytes());
    }

    /** A by-value argument encoded once at submit (for the first send and any retry): what {@link Wire#writeValue} wrote. */
    record Encoded(byte[] value)
    {
    }

    /** An argument held elsewhere, as it travels: its id, its holder and the other nodes known to have copies. */
    record Ref(ObjectId id, String holder, List<String> copies)
    {
    }

    /** A stored argument held on a node (the owner's own result there): where a task pulls it from. */
    interface Held
    {
        /** The holder's address, the object made again first if its holder died. */
        String liveHolder();

        /** Nodes known to have pulled a copy (they may have evicted it since). */
        java.util.Set<String> copies();
    }

    /**
     * Writes arguments: {@link Encoded} ones as they are, done cells by value or (stored) as a
     * {@link Ref} to their holder and the nodes known to have copies, anything else by value.
     */
    static void writeArgs(Wire.Out out, Object[] args, MemberServices member)
    {
        out.i32(args.length);
        for (Object a : args)
        {
            if (a instanceof Encoded e)
            {
                out.i32(Msg.VALUE).raw(e.value());
            }
            else if (a instanceof Ref r)
            {
                writeRef(out, r.id(), r.holder(), r.copies());
            }
            else if (a instanceof ObjectCell c)
            {
                final Object v = c.valueOrFailure();
                final StoredObject s = c.storedObject();
                if (s == null)
                {
                    Wire.writeValue(out.i32(Msg.VALUE), v);
                }
                else if (s.remote() instanceof Held h)
                {
                    final String holder = h.liveHolder();
                    final List<String> extra = new ArrayList<>();
                    for (String copy : h.copies())
                    {
                        if (!member.isDead(copy) && !copy.equals(holder))
                        {
                            extra.add(copy);
                        }
                    }
                    writeRef(out, c.id(), holder, extra);
                }
                else
                {
                    writeRef(out, c.id(), member.address(), List.of());
                }
            }
            else
            {
                Wire.writeValue(out.i32(Msg.VALUE), a);
            }
        }
    }

    private static void writeRef(Wire.Out out, ObjectId id, String holder, List<String> copies)
    {
        out.i32(Msg.REMOTE).i64(id.hi()).i64(id.lo()).str(holder).i32(copies.size());
        copies.forEach(out::str);
    }

    static Wire.Out writeSpec(Wire.Out out, CallSpec spec)
    {
        final CallSpec s = spec != null ? spec : new CallSpec();
        return out.bool(spec != null).f64(s.cpus).f64(s.gpus).i64(s.memoryBytes).amounts(s.custom)
            .i32(s.maxRetries).bool(s.retryExceptions).str(s.name).i32(s.maxRestarts).str(s.label)
            .str(s.namespace).bool(s.detached).str(senderNamespace());
    }

    /** The job the calling code runs for: the running task's or actor call's, else this process's (a driver's job). */
    private static String callerJob()
    {
        if (io.tessera.internal.RunningTask.get() instanceof io.tessera.TaskContext running)
        {
            return running.jobId();
        }
        final io.tessera.internal.Node n = io.tessera.internal.CurrentNode.orNull();
        return n == null ? "" : n.jobId();
    }

    /** The namespace of the job the work being sent belongs to (see {@link io.tessera.internal.Node#namespace()}), or null. */
    private static String senderNamespace()
    {
        final io.tessera.internal.Node n = io.tessera.internal.CurrentNode.orNull();
        return n == null ? null : n.namespace();
    }
}
