package io.tessera.internal.cluster;

import io.tessera.transport.Connection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The messages the head receives, one method per type (and one per reply), each encoding its body;
 * {@link HeadAdapter} decodes them on the head. The layouts, in {@link Wire} encoding (string:
 * present?, modified UTF-8; amounts: n × (name, f64)):
 * <pre>
 *   REGISTER      node → head: nodeId, address (HOST:PORT), host, storePath, total amounts. Reply: empty.
 *   HEARTBEAT     node → head (no reply): nodeId, free amounts, tasksCompleted i64, taskErrors i64.
 *   VIEW          any → head: empty. Reply: n × (nodeId, address, host, storePath, alive?, total amounts, free amounts).
 *   STATUS        any → head: empty. Reply: a human-readable report (string).
 *   NAME_ACTOR    owner → head: name, actorId, nodeId, address, className. Reply: accepted?, holder ("" when accepted).
 *   LOOKUP_ACTOR  any → head: name. Reply: found? and, when found, actorId, nodeId, address, className.
 *   UNNAME_ACTOR  owner → head (no reply): name, actorId.
 *   ACTOR_UP      owner → head (no reply): name ("" when none), actorId, nodeId, address, className ("" when unknown).
 *   ACTOR_DOWN    owner or node → head (no reply): actorId.
 *   OBJECT_AT     node → head (no reply): objectId (its string form), nodeId — a primary copy held for its owner.
 *   OBJECT_GONE   node → head (no reply): objectId — the copy was freed.
 *   JOB           driver → head (no reply): jobId, driver address.
 *   JOB_END       driver → head: jobId. Reply: empty. The head then sends JOB_GONE (see {@link OwnerProxy}).
 * </pre>
 */
final class HeadProxy
{
    private static final byte[] EMPTY = new byte[0];

    private HeadProxy()
    {
    }

    static CompletableFuture<Void> register(Connection head, String nodeId, String address, String host, String storePath,
                                            Map<String, Double> total)
    {
        return head.request(Msg.REGISTER, new Wire.Out().str(nodeId).str(address).str(host).str(storePath).amounts(total).toBytes())
            .thenApply(r -> null);
    }

    static void registered(Connection c, long correlationId)
    {
        c.reply(correlationId, Msg.REGISTER, EMPTY);
    }

    static void heartbeat(Connection head, String nodeId, Map<String, Double> free, long tasksCompleted, long taskErrors)
    {
        head.send(Msg.HEARTBEAT, new Wire.Out().str(nodeId).amounts(free).i64(tasksCompleted).i64(taskErrors).toBytes());
    }

    static CompletableFuture<List<NodeView>> view(Connection head)
    {
        return head.request(Msg.VIEW, EMPTY).thenApply(reply ->
        {
            final Wire.In in = new Wire.In(reply);
            final int n = in.count();
            final List<NodeView> v = new ArrayList<>(n);
            for (int i = 0; i < n; i++)
            {
                v.add(new NodeView(in.str(), in.str(), in.str(), in.str(), in.bool(), in.amounts(), in.amounts()));
            }
            return v;
        });
    }

    static void replyView(Connection c, long correlationId, Collection<NodeView> nodes)
    {
        final Wire.Out out = new Wire.Out().i32(nodes.size());
        for (NodeView n : nodes)
        {
            out.str(n.nodeId()).str(n.address()).str(n.host()).str(n.storePath()).bool(n.alive()).amounts(n.total()).amounts(n.free());
        }
        c.reply(correlationId, Msg.VIEW, out.toBytes());
    }

    static CompletableFuture<String> status(Connection head)
    {
        return head.request(Msg.STATUS, EMPTY).thenApply(reply -> new Wire.In(reply).str());
    }

    static void replyStatus(Connection c, long correlationId, String report)
    {
        c.reply(correlationId, Msg.STATUS, new Wire.Out().str(report).toBytes());
    }

    /** Completes with null when the name was given to the actor, else with a description of the live actor holding it. */
    static CompletableFuture<String> nameActor(Connection head, HeadState.ActorInfo a)
    {
        return head.request(Msg.NAME_ACTOR, writeActor(new Wire.Out(), a).toBytes()).thenApply(reply ->
        {
            final Wire.In in = new Wire.In(reply);
            final boolean accepted = in.bool();
            final String holder = in.str();
            return accepted ? null : holder;
        });
    }

    /** {@code takenBy}: null when the name was given, else the live actor holding it. */
    static void replyNameActor(Connection c, long correlationId, String takenBy)
    {
        c.reply(correlationId, Msg.NAME_ACTOR, new Wire.Out().bool(takenBy == null).str(takenBy == null ? "" : takenBy).toBytes());
    }

    /** Completes with the live actor of that name in that namespace, or null. */
    static CompletableFuture<HeadState.ActorInfo> lookupActor(Connection head, String namespace, String name)
    {
        return head.request(Msg.LOOKUP_ACTOR, new Wire.Out().str(namespace).str(name).toBytes()).thenApply(reply ->
        {
            final Wire.In in = new Wire.In(reply);
            return in.bool() ? new HeadState.ActorInfo(name, in.str(), in.str(), in.str(), in.str(), namespace) : null;
        });
    }

    static void replyLookupActor(Connection c, long correlationId, HeadState.ActorInfo a)
    {
        final Wire.Out out = new Wire.Out().bool(a != null);
        if (a != null)
        {
            out.str(a.actorId()).str(a.nodeId()).str(a.nodeAddress()).str(a.className());
        }
        c.reply(correlationId, Msg.LOOKUP_ACTOR, out.toBytes());
    }

    static void unnameActor(Connection head, String namespace, String name, String actorId)
    {
        head.send(Msg.UNNAME_ACTOR, new Wire.Out().str(namespace).str(name).str(actorId).toBytes());
    }

    static void actorUp(Connection head, HeadState.ActorInfo a)
    {
        head.send(Msg.ACTOR_UP, writeActor(new Wire.Out(), a).toBytes());
    }

    static void actorDown(Connection head, String actorId)
    {
        head.send(Msg.ACTOR_DOWN, new Wire.Out().str(actorId).toBytes());
    }

    static void objectAt(Connection head, String objectId, String nodeId)
    {
        head.send(Msg.OBJECT_AT, new Wire.Out().str(objectId).str(nodeId).toBytes());
    }

    static void objectGone(Connection head, String objectId)
    {
        head.send(Msg.OBJECT_GONE, new Wire.Out().str(objectId).toBytes());
    }

    static void job(Connection head, String jobId, String driverAddress)
    {
        head.send(Msg.JOB, new Wire.Out().str(jobId).str(driverAddress).toBytes());
    }

    static CompletableFuture<Void> jobEnd(Connection head, String jobId)
    {
        return head.request(Msg.JOB_END, new Wire.Out().str(jobId).toBytes()).thenApply(r -> null);
    }

    static void jobEnded(Connection c, long correlationId)
    {
        c.reply(correlationId, Msg.JOB_END, EMPTY);
    }

    private static Wire.Out writeActor(Wire.Out out, HeadState.ActorInfo a)
    {
        return out.str(a.name()).str(a.actorId()).str(a.nodeId()).str(a.nodeAddress()).str(a.className()).str(a.namespace());
    }

    /** Reads what {@link #writeActor} wrote. */
    static HeadState.ActorInfo readActor(Wire.In in)
    {
        return new HeadState.ActorInfo(in.str(), in.str(), in.str(), in.str(), in.str(), in.str());
    }
}
