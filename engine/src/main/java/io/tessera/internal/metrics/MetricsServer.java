package io.tessera.internal.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A node's {@code /metrics} endpoint: the Prometheus client's HTTP server over {@link ProcessMetrics#registry()}.
 * Plain HTTP without authentication, as Prometheus scrapes it; it serves numbers only and changes nothing.
 */
public final class MetricsServer implements AutoCloseable
{
    private final HTTPServer server;
    private final String host;

    private MetricsServer(HTTPServer server, String host)
    {
        this.server = server;
        this.host = host;
    }

    /**
     * Serves {@code /metrics} on {@code host:port}.
     *
     * @param host the interface to bind
     * @param port the port, 0 for a free one
     * @return the running server
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static MetricsServer start(String host, int port)
    {
        try
        {
            return new MetricsServer(HTTPServer.builder().hostname(host).port(port).registry(ProcessMetrics.registry())
                .buildAndStart(), host);
        }
        catch (IOException ex)
        {
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + ": " + ex.getMessage(), ex);
        }
    }

    /** The port it listens on. */
    public int port()
    {
        return server.getPort();
    }

    /** Where it listens, {@code HOST:PORT}. */
    public String address()
    {
        return host + ":" + port();
    }

    @Override
    public void close()
    {
        server.close();
    }
}
