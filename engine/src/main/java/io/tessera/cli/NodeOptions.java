package io.tessera.cli;

import io.tessera.TesseraConfig;
import io.tessera.internal.cluster.ClusterTls;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of a node, shared by {@code tessera start} (which checks them and launches the node)
 * and {@link NodeMain} (the node process itself): one definition, so both accept the same line.
 */
final class NodeOptions
{
    static final int DEFAULT_HEAD_PORT = 6380;
    static final int DEFAULT_DASHBOARD_PORT = 8265;

    @Option(names = "--head", description = "Start the head: the cluster's tables and a worker node.")
    boolean head;

    @Option(names = "--address", paramLabel = "HOST:PORT", converter = HostPort.Converter.class,
        description = "Start a worker joining the cluster whose head listens at HOST:PORT.")
    HostPort address;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
        description = "Interface this node listens on (default: ${DEFAULT-VALUE}; the head's token guards it).")
    String host;

    @Option(names = "--advertise-address", paramLabel = "HOST",
        description = "The address other nodes and drivers reach this node at "
            + "(default: --host, or this machine's address when --host is a wildcard).")
    String advertiseAddress;

    @Option(names = "--port", paramLabel = "PORT",
        description = "Port this node listens on (default: " + DEFAULT_HEAD_PORT + " for the head, any free port for a worker).")
    Integer port;

    @Option(names = "--object-store", paramLabel = "SIZE", converter = Bytes.class,
        description = "Size of this node's shared-memory object store, such as 512m or 2g.")
    Long objectStoreBytes;

    @Option(names = "--cpus", paramLabel = "N", description = "CPUs this node offers (default: the machine's).")
    Double cpus;

    @Option(names = "--gpus", paramLabel = "N", description = "GPUs this node offers (default: those found).")
    Double gpus;

    @Option(names = "--resource", paramLabel = "NAME=AMOUNT",
        description = "A custom resource this node offers (repeatable), such as zone-a=1.")
    Map<String, Double> resources = new LinkedHashMap<>();

    @Option(names = "--heartbeat-timeout-ms", paramLabel = "MS", defaultValue = "2000",
        description = "The head declares a node dead after two of these without a heartbeat (default: ${DEFAULT-VALUE}).")
    long heartbeatTimeoutMs;

    @Option(names = "--tls-key-store", paramLabel = "FILE",
        description = "PKCS12 file with this node's certificate chain and private key: turns on mutual TLS "
            + "(password from TESSERA_TLS_KEY_STORE_PASSWORD; same as tessera.tls.keyStore / TESSERA_TLS_KEY_STORE).")
    Path tlsKeyStore;

    @Option(names = "--tls-trust-store", paramLabel = "FILE",
        description = "PKCS12 file with the CA certificates to trust (password from TESSERA_TLS_TRUST_STORE_PASSWORD, "
            + "else the key store's; same as tessera.tls.trustStore / TESSERA_TLS_TRUST_STORE).")
    Path tlsTrustStore;

    @Option(names = "--dashboard-port", paramLabel = "PORT",
        description = "With --head: the port of the dashboard and its HTTP API, on --host (default: "
            + DEFAULT_DASHBOARD_PORT + ", or a free one when that is taken; 0 picks a free one). Served when"
            + " tessera-dashboard is on the class path.")
    Integer dashboardPort;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "0",
        description = "Port of this node's Prometheus metrics at http://HOST:PORT/metrics, on --host (default: 0, a free one;"
            + " -1 serves none). tessera start and tessera status print it; the head's dashboard lists it for Prometheus.")
    int metricsPort;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /**
     * Checks what types alone cannot.
     *
     * @throws CommandLine.ParameterException naming the option and what would be valid
     */
    void validate()
    {
        if (head == (address != null))
        {
            throw usage(head ? "give either --head or --address, not both"
                : "give --head to start a head, or --address HOST:PORT to join one");
        }
        if (port != null && (port < 0 || port > 65535))
        {
            throw usage("--port must be 0 to 65535, got " + port);
        }
        if (dashboardPort != null && (!head || dashboardPort < 0 || dashboardPort > 65535))
        {
            throw usage(head ? "--dashboard-port must be 0 to 65535, got " + dashboardPort : "--dashboard-port goes with --head");
        }
        if (metricsPort < -1 || metricsPort > 65535)
        {
            throw usage("--metrics-port must be -1 (none), 0 (a free one) or a port up to 65535, got " + metricsPort);
        }
        nonNegative("--cpus", cpus);
        nonNegative("--gpus", gpus);
        for (Map.Entry<String, Double> r : resources.entrySet())
        {
            if (r.getKey().isBlank())
            {
                throw usage("--resource takes NAME=AMOUNT, e.g. zone-a=1; got '" + r.getKey() + "'");
            }
            nonNegative("--resource " + r.getKey(), r.getValue());
        }
        if (heartbeatTimeoutMs <= 0)
        {
            throw usage("--heartbeat-timeout-ms must be positive, got " + heartbeatTimeoutMs);
        }
        if ((tlsKeyStore == null) != (tlsTrustStore == null))
        {
            throw usage("TLS is mutual: give both --tls-key-store and --tls-trust-store, or neither");
        }
        for (Path p : new Path[] {tlsKeyStore, tlsTrustStore})
        {
            if (p != null && !Files.isReadable(p))
            {
                throw usage("TLS file " + p.toAbsolutePath() + " does not exist or cannot be read");
            }
        }
    }

    private void nonNegative(String option, Double v)
    {
        if (v != null && !(v >= 0 && v < Double.POSITIVE_INFINITY))
        {
            throw usage(option + " must be a number of 0 or more, got " + v);
        }
    }

    private CommandLine.ParameterException usage(String message)
    {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** The port to listen on. */
    int port()
    {
        return port != null ? port : head ? DEFAULT_HEAD_PORT : 0;
    }

    /** What the node's extensions read ({@link io.tessera.internal.spi.NodeHandle#settings()}): the options given. */
    Map<String, String> extensionSettings()
    {
        return dashboardPort != null ? Map.of("dashboard.port", String.valueOf(dashboardPort)) : Map.of();
    }

    /** Hands --tls-* to the cluster connections of this process (they read tessera.tls.*). */
    void applyTls()
    {
        if (tlsKeyStore != null)
        {
            System.setProperty(ClusterTls.KEY_STORE, tlsKeyStore.toAbsolutePath().toString());
            System.setProperty(ClusterTls.TRUST_STORE, tlsTrustStore.toAbsolutePath().toString());
        }
    }

    TesseraConfig config()
    {
        final TesseraConfig.Builder cfg = TesseraConfig.builder();
        if (objectStoreBytes != null)
        {
            cfg.objectStoreBytes(objectStoreBytes);
        }
        if (cpus != null)
        {
            cfg.cpus(cpus);
        }
        if (gpus != null)
        {
            cfg.gpus(gpus);
        }
        resources.forEach(cfg::resource);
        return cfg.build();
    }

    /** These options as a command line {@link NodeMain} parses back to the same values. */
    List<String> toArgs()
    {
        final List<String> a = new ArrayList<>();
        if (head)
        {
            a.add("--head");
        }
        else
        {
            a.add("--address");
            a.add(address.toString());
        }
        a.add("--host");
        a.add(host);
        a.add("--port");
        a.add(String.valueOf(port()));
        if (dashboardPort != null)
        {
            a.add("--dashboard-port");
            a.add(String.valueOf(dashboardPort));
        }
        a.add("--metrics-port");
        a.add(String.valueOf(metricsPort));
        if (advertiseAddress != null)
        {
            a.add("--advertise-address");
            a.add(advertiseAddress);
        }
        if (objectStoreBytes != null)
        {
            a.add("--object-store");
            a.add(String.valueOf(objectStoreBytes));
        }
        if (cpus != null)
        {
            a.add("--cpus");
            a.add(String.valueOf(cpus));
        }
        if (gpus != null)
        {
            a.add("--gpus");
            a.add(String.valueOf(gpus));
        }
        resources.forEach((k, v) ->
        {
            a.add("--resource");
            a.add(k + "=" + v);
        });
        a.add("--heartbeat-timeout-ms");
        a.add(String.valueOf(heartbeatTimeoutMs));
        if (tlsKeyStore != null)
        {
            a.add("--tls-key-store");
            a.add(tlsKeyStore.toAbsolutePath().toString());
            a.add("--tls-trust-store");
            a.add(tlsTrustStore.toAbsolutePath().toString());
        }
        return a;
    }

    /** Picocli's converter for sizes such as {@code 512m}. */
    static final class Bytes implements CommandLine.ITypeConverter<Long>
    {
        @Override
        public Long convert(String value)
        {
            try
            {
                return TesseraConfig.parseBytes(value);
            }
            catch (IllegalArgumentException ex)
            {
                throw new CommandLine.TypeConversionException(ex.getMessage());
            }
        }
    }
}
