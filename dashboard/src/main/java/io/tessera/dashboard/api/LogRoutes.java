package io.tessera.dashboard.api;

import io.tessera.dashboard.http.Request;
import io.tessera.dashboard.http.Response;
import io.tessera.dashboard.http.Router;
import io.tessera.dashboard.live.LogTails;
import io.tessera.internal.cluster.LogLines;
import io.tessera.internal.cluster.LogQuery;

import java.util.Map;
import java.util.function.Function;

/**
 * The head's logs as REST and as live tails (what {@code tessera logs} and {@code --follow} read):
 * <pre>
 * GET /api/logs?job=J | actor=A | node=N [&amp;tail=N]          {"lines": […], "positions": {…}}  (exactly one of the three)
 * GET /api/logs/stream?job=J | actor=A | node=N [&amp;tail=N]   Server-Sent Events "lines": the tail, then new lines
 * </pre>
 * An unknown job, actor or node (or none, or two) is a 400; a dashboard without a logs API (not on a head) answers 501.
 */
public final class LogRoutes
{
    /** Lines of the tail when a request gives no {@code tail}. */
    static final int DEFAULT_TAIL = 200;

    private final Function<LogQuery, LogLines> logs;
    private final LogTails tails;

    /**
     * Routes over {@code logs}.
     *
     * @param logs  the head's logs API; null when there is none
     * @param tails the live tails of {@code /api/logs/stream}
     */
    public LogRoutes(Function<LogQuery, LogLines> logs, LogTails tails)
    {
        this.logs = logs;
        this.tails = tails;
    }

    /**
     * Adds the routes.
     *
     * @param router the route table
     */
    public void addTo(Router router)
    {
        router.get("/api/logs", r ->
        {
            final LogLines l = read(query(r));
            return Json.ok(Map.of("lines", l.lines(), "positions", l.positions()));
        }).get("/api/logs/stream", r ->
        {
            final LogQuery q = query(r);
            final LogLines first = read(q);
            return new Response.EventStream(channel -> tails.follow(channel, logs, q, first));
        });
    }

    private LogLines read(LogQuery q)
    {
        if (logs == null)
        {
            throw new UnsupportedOperationException("this dashboard has no logs API (only the head's has)");
        }
        return logs.apply(q);
    }

    /** The query's {@code job}, {@code actor} or {@code node}, and {@code tail}. */
    static LogQuery query(Request r)
    {
        final String tail = given(r, "tail");
        final int n;
        try
        {
            n = tail == null ? DEFAULT_TAIL : Integer.parseInt(tail);
        }
        catch (NumberFormatException ex)
        {
            throw new IllegalArgumentException("tail must be a whole number, got '" + tail + "'");
        }
        return new LogQuery(given(r, "job"), given(r, "actor"), given(r, "node"), n, Map.of());
    }

    private static String given(Request r, String name)
    {
        final String v = r.param(name);
        return v == null || v.isEmpty() ? null : v;
    }
}
