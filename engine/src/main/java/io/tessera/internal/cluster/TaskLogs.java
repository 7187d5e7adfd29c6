package io.tessera.internal.cluster;

import io.tessera.TesseraException;
import io.tessera.internal.BoundedLines;
import io.tessera.internal.TaskOutput;
import io.tessera.transport.Connection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Writer;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Task output in a cluster, at each of its stations:
 * <ul>
 *   <li>on a node: captures what the tasks and actor methods of each job print ({@link TaskOutput}), prefixed by
 *   where it ran ({@code (Counter.add pid=4711 node=10.0.0.2:7001) }), into a bounded queue that one thread
 *   drains every {@value #DRAIN_MS} ms into the job's file {@code logs/<node-id>/job-<job>.log} and, in batches,
 *   to the head (unless {@code tessera.logToDriver=false} on the node);</li>
 *   <li>on the head: forwards each batch to the job's driver, and answers {@link LogQuery}s by asking the nodes;</li>
 *   <li>on a driver: prints the lines to its stdout or stderr, as the task printed them (unless
 *   {@code logToDriver(false)});</li>
 *   <li>on any node: reads its job files (or its own log file) for the head.</li>
 * </ul>
 */
final class TaskLogs implements TaskOutput.Sink, LogAdapter.Handler
{
    private static final Logger LOG = LoggerFactory.getLogger(TaskLogs.class);
    static final long DRAIN_MS = 100;
    /** Most text per TASK_LOGS message (control frames are small by design). */
    private static final int BATCH_CHARS = 256 * 1024;

    private final MemberServices member;
    /** The head service on the head, else null. */
    private final HeadService head;
    private final LogAdapter adapter = new LogAdapter(this);
    private final boolean printHere;
    private final boolean ship = !"false".equalsIgnoreCase(System.getProperty("tessera.logToDriver", "true").trim());
    private volatile BoundedLines queue;
    private final Map<String, Writer> files = new HashMap<>();
    private ClusterHome home;
    /** {@code logs/<node-id>/}, made when a job first prints here. */
    private Path dir;
    private String where;
    private Thread drainer;
    private volatile boolean closed;

    /** {@code printHere}: a driver prints the lines of its job (its {@code logToDriver}). */
    TaskLogs(MemberServices member, HeadService head, boolean printHere)
    {
        this.head = head;
        this.member = member;
        this.printHere = printHere;
    }

    /** A node: captures its tasks' output from now on. */
    void startCapture(ClusterHome home)
    {
        this.home = home;
        dir = home.logsDir().resolve(ClusterHome.safeName(member.runtime().nodeId()));
        where = " pid=" + ProcessHandle.current().pid() + " node=" + member.address() + ") ";
        queue = new BoundedLines(Integer.getInteger("tessera.logLinesBuffered", 10_000), "(tessera" + where);
        drainer = new Thread(this::drainLoop, "tessera-task-logs");
        drainer.setDaemon(true);
        drainer.start();
        TaskOutput.install(this);
    }

    boolean onMessage(Connection c, int type, long correlationId, MemorySegment payload)
    {
        return adapter.onMessage(c, type, correlationId, payload);
    }

    // ------------------------------------------------------------------ a node: capture, files, shipping

    @Override
    public void line(TaskOutput.Source source, boolean err, String text)
    {
        queue.offer(new BoundedLines.Line(source.logJob(), err, "(" + source.logName() + where + text));
    }

    private void drainLoop()
    {
        final List<BoundedLines.Line> batch = new ArrayList<>();
        while (!closed)
        {
            try
            {
                batch.clear();
                if (queue.drain(batch, DRAIN_MS) > 0)
                {
                    deliver(batch);
                }
            }
            catch (InterruptedException ex)
            {
                return;
            }
            catch (RuntimeException ex)
            {
                LOG.warn("cannot deliver task output: {}", ex.toString());
            }
        }
    }

    private void deliver(List<BoundedLines.Line> batch)
    {
        final Map<String, List<BoundedLines.Line>> byJob = new LinkedHashMap<>();
        for (BoundedLines.Line l : batch)
        {
            byJob.computeIfAbsent(l.job(), j -> new ArrayList<>()).add(l);
        }
        byJob.forEach((job, lines) ->
        {
            write(job, lines);
            if (ship)
            {
                send(job, lines);
            }
        });
    }

    private synchronized void write(String job, List<BoundedLines.Line> lines)
    {
        try
        {
            Writer w = files.get(job);
            if (w == null)
            {
                final Path f = home.jobLogsDir(member.runtime().nodeId()).resolve(jobFile(job));
                if (!Files.exists(f))
                {
                    ClusterHome.createPrivate(f);
                }
                w = Files.newBufferedWriter(f, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                files.put(job, w);
            }
            for (BoundedLines.Line l : lines)
            {
                w.write(l.text());
                w.write('\n');
            }
            w.flush();
        }
        catch (IOException | RuntimeException ex)
        {
            LOG.warn("cannot write the output of job {} to {}: {}", job, dir, ex.toString());
        }
    }

    static String jobFile(String job)
    {
        return "job-" + ClusterHome.safeName(job) + ".log";
    }

    private void send(String job, List<BoundedLines.Line> lines)
    {
        final Connection head;
        try
        {
            head = member.headConnection();
        }
        catch (TesseraException away)
        {
            return;  // the lines are in the job's file; the driver misses them while the head is away
        }
        int from = 0;
        int chars = 0;
        for (int i = 0; i < lines.size(); i++)
        {
            chars += lines.get(i).text().length();
            if (chars >= BATCH_CHARS || i == lines.size() - 1)
            {
                LogProxy.sendTaskLogs(head, LogProxy.taskLogs(job, lines.subList(from, i + 1)));
                from = i + 1;
                chars = 0;
            }
        }
    }

    /** The job ended: its file is closed (it stays until pruned with the node's other logs). */
    synchronized void jobGone(String job)
    {
        final Writer w = files.remove(job);
        if (w != null)
        {
            closeQuietly(w);
        }
    }

    void close()
    {
        closed = true;
        TaskOutput.uninstall(this);
        if (drainer != null)
        {
            drainer.interrupt();
            try
            {
                drainer.join(1000);
            }
            catch (InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this)
        {
            files.values().forEach(TaskLogs::closeQuietly);
            files.clear();
        }
    }

    private static void closeQuietly(Writer w)
    {
        try
        {
            w.close();
        }
        catch (IOException ignored)
        {
            // the lines were flushed after each batch
        }
    }

    // ------------------------------------------------------------------ the head: forwarding, queries

    @Override
    public void onTaskLogs(Connection c, String jobId, byte[] body)
    {
        final Connection driver = head == null ? null : head.driverOf(jobId);
        if (driver != null && driver.isOpen())
        {
            LogProxy.forwardToDriver(driver, body);
        }
    }

    @Override
    public void onLogs(Connection c, long correlationId, LogQuery query)
    {
        if (head == null)
        {
            c.replyError(correlationId, "logs are asked of the head, not of " + member.runtime().nodeId());
            return;
        }
        final CompletableFuture<LogLines> lines;
        try
        {
            lines = query(query);
        }
        catch (RuntimeException ex)
        {
            c.replyError(correlationId, ex.getMessage());
            return;
        }
        lines.whenComplete((l, error) ->
        {
            if (error != null)
            {
                c.replyError(correlationId, rootMessage(error));
            }
            else
            {
                LogProxy.replyLines(c, correlationId, Msg.LOGS, l);
            }
        });
    }

    /**
     * The head's answer to {@code q}: asks the node(s) concerned.
     *
     * @throws IllegalArgumentException naming an unknown node or actor (the future fails so for a job no node has logs of)
     */
    CompletableFuture<LogLines> query(LogQuery q)
    {
        final List<NodeView> nodes = member.view();
        if (q.node() != null)
        {
            final NodeView n = nodes.stream()
                .filter(v -> v.nodeId().equals(q.node()) || v.address().equals(q.node())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + q.node() + " in the cluster (nodes: "
                    + String.join(", ", nodes.stream().map(v -> v.nodeId() + " at " + v.address()).toList()) + ")"));
            return ask(n, LogProxy.NODE, "", q);
        }
        if (q.actor() != null)
        {
            final HeadState.ActorInfo a = head.actor(q.actor());
            if (a == null)
            {
                throw new IllegalArgumentException("no live actor with id or name '" + q.actor() + "' in the cluster");
            }
            final NodeView n = nodes.stream().filter(v -> v.nodeId().equals(a.nodeId())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("actor " + q.actor() + "'s node " + a.nodeId() + " is gone"));
            return ask(n, LogProxy.ACTOR, simpleName(a.className()), q);
        }
        final List<CompletableFuture<LogLines>> asked = new ArrayList<>();
        for (NodeView n : nodes)
        {
            if (n.alive())
            {
                asked.add(ask(n, LogProxy.JOB, q.job(), q).exceptionally(unreachable -> new LogLines(List.of(), Map.of())));
            }
        }
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(x ->
        {
            final List<String> lines = new ArrayList<>();
            final Map<String, Long> positions = new LinkedHashMap<>();
            for (CompletableFuture<LogLines> f : asked)
            {
                lines.addAll(f.join().lines());
                positions.putAll(f.join().positions());
            }
            if (positions.isEmpty())
            {
                throw new IllegalArgumentException("no output of job " + q.job() + " on any node (no such job, or its tasks "
                    + "printed nothing)");
            }
            return new LogLines(lines, positions);
        });
    }

    /** Asks node {@code n}; the positions travel as {@code file} there and as {@code nodeId/file} here. */
    private CompletableFuture<LogLines> ask(NodeView n, int kind, String key, LogQuery q)
    {
        final String prefix = n.nodeId() + "/";
        final Map<String, Long> after = new HashMap<>();
        q.after().forEach((k, v) ->
        {
            if (k.startsWith(prefix))
            {
                after.put(k.substring(prefix.length()), v);
            }
        });
        return member.connect(n.address()).thenCompose(c -> LogProxy.nodeLogs(c, kind, key, q.tail(), after))
            .orTimeout(10, TimeUnit.SECONDS).thenApply(l ->
            {
                final Map<String, Long> positions = new LinkedHashMap<>();
                l.positions().forEach((k, v) -> positions.put(prefix + k, v));
                return new LogLines(l.lines(), positions);
            });
    }

    private static String simpleName(String className)
    {
        final String s = className == null ? "" : className;
        return s.substring(Math.max(s.lastIndexOf('.'), s.lastIndexOf('$')) + 1);
    }

    private static String rootMessage(Throwable t)
    {
        Throwable r = t;
        while (r.getCause() != null && (r instanceof java.util.concurrent.CompletionException
            || r instanceof java.util.concurrent.ExecutionException))
        {
            r = r.getCause();
        }
        return r.getMessage() != null ? r.getMessage() : r.toString();
    }

    // ------------------------------------------------------------------ any node: reading its files

    @Override
    public void onNodeLogs(Connection c, long correlationId, int kind, String key, int tail, Map<String, Long> after)
    {
        member.recovery().execute(() ->
        {
            try
            {
                LogProxy.replyLines(c, correlationId, Msg.NODE_LOGS, read(kind, key, tail, after));
            }
            catch (RuntimeException ex)
            {
                c.replyError(correlationId, ex.getMessage());
            }
        });
    }

    private LogLines read(int kind, String key, int tail, Map<String, Long> after)
    {
        final List<Path> files = new ArrayList<>();
        String linePrefix = null;
        switch (kind)
        {
            case LogProxy.NODE ->
            {
                final String own = System.getProperty(ClusterHome.LOG_FILE_PROPERTY);
                if (own == null || !Files.isRegularFile(Path.of(own)))
                {
                    throw new IllegalArgumentException("node " + member.runtime().nodeId() + " has no log file of its own (it was "
                        + "not started by tessera start; its output went where its starter sent it)");
                }
                files.add(Path.of(own));
            }
            case LogProxy.ACTOR ->
            {
                linePrefix = "(" + key + ".";
                if (dir != null && Files.isDirectory(dir))
                {
                    try (java.util.stream.Stream<Path> all = Files.list(dir))
                    {
                        all.filter(f -> f.getFileName().toString().startsWith("job-")).sorted().forEach(files::add);
                    }
                    catch (IOException ex)
                    {
                        throw new IllegalStateException("cannot list " + dir + ": " + ex.getMessage(), ex);
                    }
                }
            }
            default ->
            {
                final Path f = dir == null ? null : dir.resolve(jobFile(key));
                if (f != null && Files.isRegularFile(f))
                {
                    files.add(f);
                }
            }
        }
        return LogFiles.read(files, linePrefix, tail, after);
    }

    // ------------------------------------------------------------------ a driver: printing

    @Override
    public void onDriverLogs(Connection c, String jobId, List<BoundedLines.Line> lines)
    {
        if (!printHere)
        {
            return;
        }
        for (BoundedLines.Line l : lines)
        {
            (l.err() ? System.err : System.out).println(l.text());
        }
    }
}
