package io.tessera.dashboard;

import io.tessera.dashboard.api.Json;
import io.tessera.dashboard.api.LogRoutes;
import io.tessera.dashboard.api.PrometheusSd;
import io.tessera.dashboard.api.StateRoutes;
import io.tessera.dashboard.http.Access;
import io.tessera.dashboard.http.HttpServer;
import io.tessera.dashboard.http.Response;
import io.tessera.dashboard.http.Router;
import io.tessera.dashboard.http.StaticFiles;
import io.tessera.dashboard.jobs.JobRoutes;
import io.tessera.dashboard.jobs.JobSupervisor;
import io.tessera.dashboard.jobs.JobLogTails;
import io.tessera.dashboard.live.EventStreams;
import io.tessera.dashboard.live.LogTails;
import io.tessera.dashboard.live.MetricsHistory;
import io.tessera.internal.cluster.LogLines;
import io.tessera.internal.cluster.LogQuery;
import io.tessera.state.ClusterState;
import io.tessera.state.NodeInfo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The head's dashboard: the HTTP server with its routes (state API, charts' history, overview
 * events, pages), and the sampler that once a period asks the cluster for its nodes, records their
 * use for the charts, rewrites the Prometheus file_sd file and pushes the overview to open event
 * streams.
 */
public final class Dashboard implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    /** How often a live log tail asks for new lines. */
    private static final long LOG_POLL_MS = 500;

    /**
     * How to run it.
     *
     * @param host            the interface to listen on
     * @param port            the port, 0 for a free one
     * @param token           the cluster token non-loopback clients must present
     * @param sdFile          the Prometheus file_sd file to keep up to date (null: none)
     * @param samplePeriodMs  how often to sample (0: only when {@link #sample()} is called)
     * @param historyCapacity samples kept for the charts
     */
    public record Settings(String host, int port, String token, Path sdFile, long samplePeriodMs, int historyCapacity)
    {
    }

    private final ClusterState state;
    private final MetricsHistory history;
    private final EventStreams events = new EventStreams();
    private final LogTails tails = new LogTails(Json::text, LOG_POLL_MS);
    private final PrometheusSd sd;
    private final HttpServer server;
    private final ScheduledExecutorService sampler;
    private final JobLogTails jobLogTails = new JobLogTails();

    private Dashboard(ClusterState state, Function<LogQuery, LogLines> logs, Settings s, JobSupervisor jobs)
    {
        this.state = state;
        this.history = new MetricsHistory(s.historyCapacity());
        this.sd = new PrometheusSd(s.sdFile());
        final Router router = new Router();
        if (jobs != null)
        {
            new JobRoutes(jobs, state, jobLogTails, s.token()).addTo(router);
        }
        new StateRoutes(state).addTo(router);
        new LogRoutes(logs, tails).addTo(router);
        router.get("/api/metrics/history", r -> Json.ok(history.columns()))
            .get("/api/overview", r -> Json.ok(overview(System.currentTimeMillis(), state.nodes(), null)))
            .get("/api/events", r -> new Response.EventStream(events::open))
            .get("/*", new StaticFiles("web"));
        this.server = HttpServer.bind(s.host(), s.port(), router, new Access(s.token(), s.host()));
        if (s.samplePeriodMs() > 0)
        {
            sampler = Executors.newSingleThreadScheduledExecutor(r ->
            {
                final Thread t = new Thread(r, "tessera-dashboard-sampler");
                t.setDaemon(true);
                return t;
            });
            sampler.scheduleWithFixedDelay(this::sampleQuietly, 0, s.samplePeriodMs(), TimeUnit.MILLISECONDS);
        }
        else
        {
            sampler = null;
        }
    }

    /**
     * Starts serving {@code state}.
     *
     * @param state    the cluster's state
     * @param settings how
     * @return the running dashboard
     * @throws java.io.UncheckedIOException when it cannot listen
     */
    public static Dashboard start(ClusterState state, Settings settings)
    {
        return new Dashboard(state, null, settings, null);
    }

    /**
     * Starts serving {@code state} and the logs {@code logs} reads (the head's).
     *
     * @param state    the cluster's state
     * @param logs     the head's logs API, or null for none
     * @param settings how
     * @return the running dashboard
     * @throws java.io.UncheckedIOException when it cannot listen
     */
    public static Dashboard start(ClusterState state, Function<LogQuery, LogLines> logs, Settings settings)
    {
        return new Dashboard(state, logs, settings, null);
    }

    /**
     * Starts serving {@code state}, the logs {@code logs} reads and the jobs API of {@code jobs}.
     *
     * @param state    the cluster's state
     * @param logs     the head's logs API, or null for none
     * @param settings how
     * @param jobs     the head's job supervisor (null: no jobs API)
     * @return the running dashboard
     * @throws java.io.UncheckedIOException when it cannot listen
     */
    public static Dashboard start(ClusterState state, Function<LogQuery, LogLines> logs, Settings settings,
        JobSupervisor jobs)
    {
        return new Dashboard(state, logs, settings, jobs);
    }

    /**
     * Where it listens.
     *
     * @return the bound address
     */
    public InetSocketAddress address()
    {
        return server.address();
    }

    /**
     * Takes one sample now: the nodes' use into the history, the file_sd file, an {@code overview}
     * event to every open stream.
     *
     * @return the overview pushed
     */
    public Map<String, Object> sample()
    {
        final long now = System.currentTimeMillis();
        Map<String, Object> overview;
        try
        {
            final List<NodeInfo> nodes = state.nodes();
            final MetricsHistory.Sample s = history.add(now, nodes);
            sd.write(nodes);
            overview = overview(now, nodes, s);
        }
        catch (RuntimeException ex)
        {
            LOG.debug("cannot sample the cluster: {}", ex.toString());
            overview = new LinkedHashMap<>();
            overview.put("timeMs", now);
            overview.put("error", String.valueOf(ex.getMessage()));
        }
        events.broadcast("overview", Json.text(overview));
        return overview;
    }

    private void sampleQuietly()
    {
        try
        {
            sample();
        }
        catch (RuntimeException ex)
        {
            LOG.warn("dashboard sample failed", ex);
        }
    }

    private static Map<String, Object> overview(long now, List<NodeInfo> nodes, MetricsHistory.Sample sample)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("timeMs", now);
        m.put("nodes", nodes);
        if (sample != null)
        {
            final Map<String, Map<String, Double>> use = new LinkedHashMap<>();
            sample.nodes().forEach((id, v) ->
            {
                final Map<String, Double> series = new LinkedHashMap<>();
                for (int i = 0; i < MetricsHistory.SERIES.size(); i++)
                {
                    series.put(MetricsHistory.SERIES.get(i), Double.isNaN(v[i]) ? null : v[i]);
                }
                use.put(id, series);
            });
            m.put("sample", Map.of("t", sample.timeMs() / 1000.0, "nodes", use));
        }
        return m;
    }

    /**
     * The open event streams.
     *
     * @return how many
     */
    public int openStreams()
    {
        return events.size();
    }

    @Override
    public void close()
    {
        if (sampler != null)
        {
            sampler.shutdownNow();
        }
        events.close();
        tails.close();
        jobLogTails.close();
        server.close();
    }
}
