package io.tessera.internal.cluster;

import io.tessera.internal.BoundedLines;
import io.tessera.transport.Connection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Task output on its way to the driver, and log reading; {@link LogAdapter} decodes them. The layouts, in
 * {@link Wire} encoding:
 * <pre>
 *   TASK_LOGS    node → head (no reply): jobId, n × (stderr?, line) — what the job's tasks printed on the node,
 *                each line prefixed by where it ran, e.g. "(Counter.add pid=4711 node=10.0.0.2:7001) hello".
 *   DRIVER_LOGS  head → the job's driver (no reply): the same body, forwarded.
 *   LOGS         any → head: job, actor, node (exactly one not null), tail i32, n × (nodeId/file, position i64).
 *                Reply: lines.
 *   NODE_LOGS    head → node: kind i32 (0 job, 1 actor, 2 node), key (job id, actor class simple name, ""),
 *                tail i32, n × (file, position i64). Reply: lines.
 *
 *   lines: n × line, n × (file, position i64) — where each file read ended
 * </pre>
 */
final class LogProxy
{
    static final int JOB = 0;
    static final int ACTOR = 1;
    static final int NODE = 2;

    private LogProxy()
    {
    }

    /** One TASK_LOGS body for lines of one job. */
    static byte[] taskLogs(String jobId, List<BoundedLines.Line> lines)
    {
        final Wire.Out out = new Wire.Out().str(jobId).i32(lines.size());
        for (BoundedLines.Line l : lines)
        {
            out.bool(l.err()).str(l.text());
        }
        return out.toBytes();
    }

    static void sendTaskLogs(Connection head, byte[] body)
    {
        head.send(Msg.TASK_LOGS, body);
    }

    static void forwardToDriver(Connection driver, byte[] body)
    {
        driver.send(Msg.DRIVER_LOGS, body);
    }

    static CompletableFuture<LogLines> logs(Connection head, LogQuery q)
    {
        final Wire.Out out = new Wire.Out().str(q.job()).str(q.actor()).str(q.node()).i32(q.tail());
        positions(out, q.after());
        return head.request(Msg.LOGS, out.toBytes()).thenApply(LogProxy::readLines);
    }

    static CompletableFuture<LogLines> nodeLogs(Connection node, int kind, String key, int tail, Map<String, Long> after)
    {
        final Wire.Out out = new Wire.Out().i32(kind).str(key).i32(tail);
        positions(out, after);
        return node.request(Msg.NODE_LOGS, out.toBytes()).thenApply(LogProxy::readLines);
    }

    static void replyLines(Connection c, long correlationId, int type, LogLines lines)
    {
        final Wire.Out out = new Wire.Out().i32(lines.lines().size());
        lines.lines().forEach(out::str);
        positions(out, lines.positions());
        c.reply(correlationId, type, out.toBytes());
    }

    private static void positions(Wire.Out out, Map<String, Long> positions)
    {
        out.i32(positions.size());
        positions.forEach((k, v) -> out.str(k).i64(v));
    }

    static Map<String, Long> readPositions(Wire.In in)
    {
        final int n = in.count();
        final Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++)
        {
            m.put(in.str(), in.i64());
        }
        return m;
    }

    private static LogLines readLines(byte[] reply)
    {
        final Wire.In in = new Wire.In(reply);
        final int n = in.count();
        final List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            lines.add(in.str());
        }
        return new LogLines(lines, readPositions(in));
    }
}
