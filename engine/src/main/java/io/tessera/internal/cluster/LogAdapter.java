package io.tessera.internal.cluster;

import io.tessera.internal.BoundedLines;
import io.tessera.transport.Connection;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Decodes the messages {@link LogProxy} encodes (the layouts are documented there) and hands their fields to a {@link Handler}. */
final class LogAdapter
{
    /** What a member does with each message; requests are answered through {@link LogProxy#replyLines}. */
    interface Handler
    {
        /** At the head: lines of {@code jobId} from a node; {@code body} is the message as it came, to forward. */
        void onTaskLogs(Connection c, String jobId, byte[] body);

        /** At a driver: lines its job's tasks printed. */
        void onDriverLogs(Connection c, String jobId, List<BoundedLines.Line> lines);

        void onLogs(Connection c, long correlationId, LogQuery query);

        void onNodeLogs(Connection c, long correlationId, int kind, String key, int tail, Map<String, Long> after);
    }

    private final Handler handler;

    LogAdapter(Handler handler)
    {
        this.handler = handler;
    }

    /** Decodes a log message and calls the handler; false when {@code type} is not one. */
    boolean onMessage(Connection c, int type, long correlationId, MemorySegment payload)
    {
        switch (type)
        {
            case Msg.TASK_LOGS ->
            {
                final byte[] body = payload.toArray(ValueLayout.JAVA_BYTE);
                handler.onTaskLogs(c, new Wire.In(body).str(), body);
            }
            case Msg.DRIVER_LOGS ->
            {
                final Wire.In in = new Wire.In(payload);
                final String job = in.str();
                final int n = in.count();
                final List<BoundedLines.Line> lines = new ArrayList<>(n);
                for (int i = 0; i < n; i++)
                {
                    final boolean err = in.bool();
                    lines.add(new BoundedLines.Line(job, err, in.str()));
                }
                handler.onDriverLogs(c, job, lines);
            }
            case Msg.LOGS ->
            {
                final Wire.In in = new Wire.In(payload);
                final String job = in.str();
                final String actor = in.str();
                final String node = in.str();
                final int tail = in.i32();
                handler.onLogs(c, correlationId, new LogQuery(job, actor, node, tail, LogProxy.readPositions(in)));
            }
            case Msg.NODE_LOGS ->
            {
                final Wire.In in = new Wire.In(payload);
                final int kind = in.i32();
                final String key = in.str();
                final int tail = in.i32();
                handler.onNodeLogs(c, correlationId, kind, key, tail, LogProxy.readPositions(in));
            }
            default ->
            {
                return false;
            }
        }
        return true;
    }
}
