package io.tessera.dashboard;

import io.tessera.dashboard.jobs.JobSupervisor;
import io.tessera.internal.spi.NodeExtension;
import io.tessera.internal.spi.NodeHandle;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * Starts the {@link Dashboard} on the head (listed in {@code META-INF/services}): on the head's
 * host, on {@code --dashboard-port} (default {@value #DEFAULT_PORT}, or a free port when that one is
 * taken and none was given), guarded by the cluster token, writing the Prometheus file_sd file
 * {@code $TESSERA_HOME/prometheus-sd-<head port>.json}. Does nothing on other nodes.
 */
public final class DashboardExtension implements NodeExtension
{
    /** The dashboard's port when none is given (Ray's). */
    public static final int DEFAULT_PORT = 8265;
    /** Samples of the charts' history: 10 minutes at one a second. */
    static final int HISTORY = 600;

    private Dashboard dashboard;
    private JobSupervisor jobs;

    /** Created by {@link java.util.ServiceLoader}; starts nothing until {@link #start}. */
    public DashboardExtension()
    {
    }

    @Override
    public List<String> start(NodeHandle node)
    {
        if (!node.head())
        {
            return List.of();
        }
        final String given = node.settings().get("dashboard.port");
        final int port = given != null ? Integer.parseInt(given) : DEFAULT_PORT;
        String note = "";
        if (node.jobs() != null)
        {
            // the drivers' output beside the nodes' logs, pruned by the same rule (ClusterHome.pruneLogs)
            jobs = new JobSupervisor(node.jobs(), node.home().resolve("logs").resolve("jobs-" + node.port()), node.address(),
                node.token());
        }
        try
        {
            dashboard = start(node, port);
        }
        catch (UncheckedIOException ex)
        {
            if (given != null)
            {
                throw new IllegalStateException("the dashboard cannot listen on " + node.host() + ":" + port + " ("
                    + ex.getCause().getMessage() + "): give another --dashboard-port, or 0 for a free one", ex);
            }
            dashboard = start(node, 0);
            note = " (" + DEFAULT_PORT + " was taken)";
        }
        final String host = node.host().equals("0.0.0.0") || node.host().equals("::")
            ? node.address().substring(0, node.address().lastIndexOf(':')) : node.host();
        final String url = "http://" + host + ":" + dashboard.address().getPort() + "/";
        // where 'tessera job' finds this head's jobs API when given no --address
        io.tessera.internal.cluster.ClusterHome.writePrivate(node.home().resolve("dashboard-" + node.port() + ".url"), url);
        return List.of("dashboard at " + url + note);
    }

    private Dashboard start(NodeHandle node, int port)
    {
        return Dashboard.start(node.state(), node.logs(), new Dashboard.Settings(node.host(), port, node.token(),
            node.home().resolve("prometheus-sd-" + node.port() + ".json"), 1000, HISTORY), jobs);
    }

    @Override
    public void close()
    {
        if (dashboard != null)
        {
            dashboard.close();
            dashboard = null;
        }
        if (jobs != null)
        {
            jobs.close();
            jobs = null;
        }
    }
}
