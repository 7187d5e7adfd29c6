package io.tessera.internal.cluster;

import io.tessera.TesseraException;
import io.tessera.transport.Connection;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * Decodes the messages {@link HeadProxy} encodes (the layouts are documented there) and hands their
 * fields to the head's {@link Handler}. A body that cannot be read, or a REGISTER without a node id,
 * HOST:PORT, host or store path, fails with a {@link TesseraException} naming a malformed message.
 */
final class HeadAdapter
{
    /** What the head does with each message; requests are answered through {@link HeadProxy}'s reply methods. */
    interface Handler
    {
        void onRegister(Connection c, long correlationId, String nodeId, String address, String host, String storePath,
                        Map<String, Double> total);

        void onHeartbeat(Connection c, String nodeId, Map<String, Double> free, long tasksCompleted, long taskErrors);

        void onView(Connection c, long correlationId);

        void onStatus(Connection c, long correlationId);

        void onNameActor(Connection c, long correlationId, HeadState.ActorInfo actor);

        void onLookupActor(Connection c, long correlationId, String namespace, String name);

        void onUnnameActor(Connection c, String namespace, String name, String actorId);

        void onActorUp(Connection c, HeadState.ActorInfo actor);

        void onActorDown(Connection c, String actorId);

        void onObjectAt(Connection c, String objectId, String nodeId);

        void onObjectGone(Connection c, String objectId);

        void onJob(Connection c, String jobId, String driverAddress);

        void onJobEnd(Connection c, long correlationId, String jobId);
    }

    private final Handler handler;

    HeadAdapter(Handler handler)
    {
        this.handler = handler;
    }

    /** Decodes a head message and calls the handler; false when {@code type} is not one. */
    boolean onMessage(Connection c, int type, long correlationId, MemorySegment payload)
    {
        switch (type)
        {
            case Msg.REGISTER ->
            {
                final Wire.In in = new Wire.In(payload);
                final String nodeId = in.str();
                final String address = in.str();
                final String host = in.str();
                final String store = in.str();
                final Map<String, Double> total = in.amounts();
                if (nodeId == null || nodeId.isBlank() || host == null || store == null
                    || address == null || !address.matches(".+:\\d{1,5}"))
                {
                    // a node without an id or a HOST:PORT would sit in every view and break every member's refresh
                    throw new TesseraException("malformed control message: REGISTER needs a node id, HOST:PORT, host and "
                        + "store path; got " + nodeId + ", " + address + ", " + host + ", " + store);
                }
                handler.onRegister(c, correlationId, nodeId, address, host, store, total);
            }
            case Msg.HEARTBEAT ->
            {
                final Wire.In in = new Wire.In(payload);
                handler.onHeartbeat(c, in.str(), in.amounts(), in.i64(), in.i64());
            }
            case Msg.VIEW -> handler.onView(c, correlationId);
            case Msg.STATUS -> handler.onStatus(c, correlationId);
            case Msg.NAME_ACTOR -> handler.onNameActor(c, correlationId, HeadProxy.readActor(new Wire.In(payload)));
            case Msg.LOOKUP_ACTOR ->
            {
                final Wire.In in = new Wire.In(payload);
                handler.onLookupActor(c, correlationId, in.str(), in.str());
            }
            case Msg.UNNAME_ACTOR ->
            {
                final Wire.In in = new Wire.In(payload);
                handler.onUnnameActor(c, in.str(), in.str(), in.str());
            }
            case Msg.ACTOR_UP -> handler.onActorUp(c, HeadProxy.readActor(new Wire.In(payload)));
            case Msg.ACTOR_DOWN -> handler.onActorDown(c, new Wire.In(payload).str());
            case Msg.OBJECT_AT ->
            {
                final Wire.In in = new Wire.In(payload);
                handler.onObjectAt(c, in.str(), in.str());
            }
            case Msg.OBJECT_GONE -> handler.onObjectGone(c, new Wire.In(payload).str());
            case Msg.JOB ->
            {
                final Wire.In in = new Wire.In(payload);
                handler.onJob(c, in.str(), in.str());
            }
            case Msg.JOB_END -> handler.onJobEnd(c, correlationId, new Wire.In(payload).str());
            default ->
            {
                return false;
            }
        }
        return true;
    }
}
