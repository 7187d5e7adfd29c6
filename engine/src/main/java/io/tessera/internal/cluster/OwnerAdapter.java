package io.tessera.internal.cluster;

import io.tessera.memory.ObjectId;
import io.tessera.transport.Connection;

import java.lang.foreign.MemorySegment;

/**
 * Decodes the messages {@link OwnerProxy} encodes (the layouts are documented there) and hands their
 * fields to the member's {@link Handler}.
 */
final class OwnerAdapter
{
    /** What a member does with each message; requests are answered through {@link OwnerProxy}'s reply methods. */
    interface Handler
    {
        void onRole(Connection c, String role);

        void onNodeDead(Connection c, String nodeId, String address);

        void onJobGone(Connection c, String jobId, String driverNodeId);

        void onNodeStats(Connection c, long correlationId, boolean gcFirst);

        void onFetchJar(Connection c, long correlationId, String sha256, long offset);

        void onGetObject(Connection c, long correlationId, ObjectId id);

        void onReleaseRef(Connection c, ObjectId id);

        void onRecreateObject(Connection c, long correlationId, ObjectId id, String lostAt);

        void onCancel(Connection c, ObjectId id);

        void onStateQuery(Connection c, long correlationId, boolean wholeCluster);
    }

    private final Handler handler;

    OwnerAdapter(Handler handler)
    {
        this.handler = handler;
    }

    /** Decodes an owner message and calls the handler; false when {@code type} is not one. */
    boolean onMessage(Connection c, int type, long correlationId, MemorySegment payload)
    {
        switch (type)
        {
            case Msg.ROLE -> handler.onRole(c, new Wire.In(payload).str());
            case Msg.NODE_DEAD ->
            {
                final Wire.In in = new Wire.In(payload);
                handler.onNodeDead(c, in.str(), in.str());
            }
            case Msg.JOB_GONE ->
            {
                final Wire.In in = new Wire.In(payload);
                handler.onJobGone(c, in.str(), in.str());
            }
            case Msg.NODE_STATS -> handler.onNodeStats(c, correlationId, new Wire.In(payload).bool());
            case Msg.FETCH_JAR ->
            {
                final Wire.In in = new Wire.In(payload);
                handler.onFetchJar(c, correlationId, in.str(), in.i64());
            }
            case Msg.GET_OBJECT -> handler.onGetObject(c, correlationId, id(new Wire.In(payload)));
            case Msg.RELEASE_REF -> handler.onReleaseRef(c, id(new Wire.In(payload)));
            case Msg.RECREATE_OBJECT ->
            {
                final Wire.In in = new Wire.In(payload);
                handler.onRecreateObject(c, correlationId, id(in), in.str());
            }
            case Msg.CANCEL -> handler.onCancel(c, id(new Wire.In(payload)));
            case Msg.STATE_QUERY -> handler.onStateQuery(c, correlationId, new Wire.In(payload).bool());
            default ->
            {
                return false;
            }
        }
        return true;
    }

    private static ObjectId id(Wire.In in)
    {
        return ObjectId.of(in.i64(), in.i64());
    }
}
