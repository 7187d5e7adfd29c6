package io.tessera;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link Tessera#init(TesseraConfig)} starts or joins a node. Unset values come from system
 * properties ({@code tessera.address}, {@code tessera.objectStoreBytes}, {@code tessera.token}),
 * then the environment ({@code TESSERA_ADDRESS}, {@code TESSERA_OBJECT_STORE_BYTES},
 * {@code TESSERA_TOKEN}), then defaults.
 */
public final class TesseraConfig
{
    /** Default object store size: 1 GiB of shared memory (pages are only used when written). */
    public static final long DEFAULT_OBJECT_STORE_BYTES = 1L << 30;

    private final String address;
    private final long objectStoreBytes;
    private final String token;
    private final double cpus;
    private final double gpus;
    private final Map<String, Double> resources;
    private final List<Class<?>> registeredClasses;
    private final Path storeDirectory;
    private final Path spillDirectory;
    private final int metricsPort;
    private final boolean logToDriver;
    private final boolean lowLatency;
    private final boolean pinThreads;
    private final String namespace;

    private TesseraConfig(Builder b)
    {
        address = b.address != null ? b.address : setting("tessera.address", "TESSERA_ADDRESS");
        final String bytes = setting("tessera.objectStoreBytes", "TESSERA_OBJECT_STORE_BYTES");
        objectStoreBytes = b.objectStoreBytes > 0 ? b.objectStoreBytes
            : bytes != null ? parseBytes(bytes) : DEFAULT_OBJECT_STORE_BYTES;
        token = b.token != null ? b.token : setting("tessera.token", "TESSERA_TOKEN");
        cpus = b.cpus;
        gpus = b.gpus;
        resources = Collections.unmodifiableMap(new LinkedHashMap<>(b.resources));
        registeredClasses = List.copyOf(b.registered);
        storeDirectory = b.storeDirectory;
        spillDirectory = b.spillDirectory;
        metricsPort = b.metricsPort;
        final String toDriver = setting("tessera.logToDriver", "TESSERA_LOG_TO_DRIVER");
        logToDriver = b.logToDriver != null ? b.logToDriver : toDriver == null || !toDriver.equalsIgnoreCase("false");
        lowLatency = b.lowLatency != null ? b.lowLatency : flag("tessera.lowLatency", "TESSERA_LOW_LATENCY");
        pinThreads = b.pinThreads != null ? b.pinThreads : flag("tessera.pinThreads", "TESSERA_PIN_THREADS");
        namespace = b.namespace != null ? b.namespace : setting("tessera.namespace", "TESSERA_NAMESPACE");
    }

    /**
     * Checks a namespace given by the user.
     *
     * @param namespace the namespace.
     * @return it.
     * @throws IllegalArgumentException when null or blank
     */
    static String checkNamespace(String namespace)
    {
        if (namespace == null || namespace.isBlank())
        {
            throw new IllegalArgumentException("namespace must not be blank");
        }
        return namespace;
    }

    private static boolean flag(String property, String env)
    {
        final String v = setting(property, env);
        if (v == null || v.equalsIgnoreCase("false"))
        {
            return false;
        }
        if (v.equalsIgnoreCase("true"))
        {
            return true;
        }
        throw new IllegalArgumentException(property + " / " + env + " must be true or false, got '" + v + "'");
    }

    private static String setting(String property, String env)
    {
        final String p = System.getProperty(property);
        if (p != null && !p.isBlank())
        {
            return p.trim();
        }
        final String e = System.getenv(env);
        return e != null && !e.isBlank() ? e.trim() : null;
    }

    /**
     * Parses a size such as {@code 1073741824}, {@code 512m} or {@code 2g} (suffixes k, m, g, t are powers of
     * 1024, either case), as {@code --object-store} and {@code TESSERA_OBJECT_STORE_BYTES} take it.
     *
     * @param text the size.
     * @return the size in bytes, more than 0.
     * @throws IllegalArgumentException naming the text when it is not a size
     */
    public static long parseBytes(String text)
    {
        final String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        long unit = 1;
        String digits = t;
        if (!t.isEmpty())
        {
            switch (t.charAt(t.length() - 1))
            {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                case 't' -> unit = 1L << 40;
                default -> unit = 1;
            }
            if (unit != 1)
            {
                digits = t.substring(0, t.length() - 1);
            }
        }
        try
        {
            final long n = Long.parseLong(digits);
            if (n <= 0)
            {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        }
        catch (NumberFormatException | ArithmeticException ex)
        {
            throw new IllegalArgumentException("not a positive size: '" + text + "' (expected e.g. 1073741824, 512m, 2g)");
        }
    }

    /**
     * A builder with nothing set: every value then comes from the system property, the environment or the
     * default, as the class description says.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * The cluster's head to join as a driver.
     *
     * @return HOST:PORT, or null for an embedded node.
     */
    public String address()
    {
        return address;
    }

    /**
     * The size of this node's shared-memory object store (pages are used only as objects are written).
     *
     * @return the size in bytes; default {@link #DEFAULT_OBJECT_STORE_BYTES}.
     */
    public long objectStoreBytes()
    {
        return objectStoreBytes;
    }

    /**
     * The cluster token a driver proves membership with.
     *
     * @return the token, or null to read it from the head's token file on this host ({@code ~/.tessera}).
     */
    public String token()
    {
        return token;
    }

    /**
     * CPUs this node offers to tasks.
     *
     * @return the amount; NaN = the number of available processors.
     */
    public double cpus()
    {
        return cpus;
    }

    /**
     * GPUs this node offers to tasks.
     *
     * @return the amount; NaN = the CUDA devices found (0 without a driver or JCuda).
     */
    public double gpus()
    {
        return gpus;
    }

    /**
     * Custom resources this node offers, such as {@code zone-a=1}, for tasks that ask for them by name.
     *
     * @return name to amount, in the order given; unmodifiable.
     */
    public Map<String, Double> resources()
    {
        return resources;
    }

    /**
     * Classes pre-registered with the serializer (see {@link Builder#register}).
     *
     * @return the classes, in the order given; unmodifiable.
     */
    public List<Class<?>> registeredClasses()
    {
        return registeredClasses;
    }

    /**
     * Where the store's shared-memory file lives (in this user's 0700 {@code tessera-<uid>} inside it).
     *
     * @return the directory; null = /dev/shm (the temp directory where that is missing).
     */
    public Path storeDirectory()
    {
        return storeDirectory;
    }

    /**
     * Where primary copies spill when the store is full (in this user's 0700 {@code tessera-<uid>} inside it).
     *
     * @return the directory; null = the temp directory.
     */
    public Path spillDirectory()
    {
        return spillDirectory;
    }

    /**
     * Where the node serves Prometheus metrics at {@code /metrics} (see {@link Builder#metricsPort}).
     *
     * @return the port; 0 = a free one; -1 = none (the default).
     */
    public int metricsPort()
    {
        return metricsPort;
    }

    /**
     * Whether a driver prints what its job's tasks and actor methods print on the cluster's nodes (stdout,
     * stderr and their SLF4J records), each line prefixed by where it ran, e.g.
     * {@code (Counter.add pid=4711 node=10.0.0.2:7001) hello}. The nodes keep those lines in their per-job log
     * files either way ({@code tessera logs --job}). An embedded node's tasks print to its console as they are.
     *
     * @return true unless turned off by {@link Builder#logToDriver(boolean)}, {@code tessera.logToDriver=false}
     *         or {@code TESSERA_LOG_TO_DRIVER=false}.
     */
    public boolean logToDriver()
    {
        return logToDriver;
    }

    /**
     * The low-latency mode (see {@link Builder#lowLatency(boolean)}): the node's dispatcher and workers, and a
     * driver thread waiting in {@code get}, busy-spin instead of parking.
     *
     * @return true when set by {@link Builder#lowLatency(boolean)}, {@code tessera.lowLatency=true} or
     *         {@code TESSERA_LOW_LATENCY=true}; false by default.
     */
    public boolean lowLatency()
    {
        return lowLatency;
    }

    /**
     * Whether the node pins its dispatcher and worker threads to cores of their own (see
     * {@link Builder#pinThreads(boolean)}).
     *
     * @return true when set by {@link Builder#pinThreads(boolean)}, {@code tessera.pinThreads=true} or
     *         {@code TESSERA_PIN_THREADS=true}; false by default.
     */
    public boolean pinThreads()
    {
        return pinThreads;
    }

    /**
     * The namespace of this job's named actors (see {@link Builder#namespace(String)}).
     *
     * @return the namespace, or null for an anonymous one of this job's own.
     */
    public String namespace()
    {
        return namespace;
    }

    /** Builder of {@link TesseraConfig}. */
    public static final class Builder
    {
        private String address;
        private long objectStoreBytes;
        private String token;
        private double cpus = Double.NaN;
        private double gpus = Double.NaN;
        private final Map<String, Double> resources = new LinkedHashMap<>();
        private final List<Class<?>> registered = new ArrayList<>();
        private Path storeDirectory;
        private Path spillDirectory;
        private int metricsPort = -1;
        private Boolean logToDriver;
        private Boolean lowLatency;
        private Boolean pinThreads;
        private String namespace;

        private Builder()
        {
        }

        /**
         * Joins the cluster whose head listens at {@code address} instead of starting an embedded node.
         *
         * @param address HOST:PORT of the head; null leaves it to {@code tessera.address} / {@code TESSERA_ADDRESS}.
         * @return this.
         */
        public Builder address(String address)
        {
            this.address = address;
            return this;
        }

        /**
         * Sizes this node's object store.
         *
         * @param bytes the size in bytes, more than 0 ({@link TesseraConfig#parseBytes} reads {@code 2g} and the like).
         * @return this.
         * @throws IllegalArgumentException when {@code bytes} is not positive
         */
        public Builder objectStoreBytes(long bytes)
        {
            if (bytes <= 0)
            {
                throw new IllegalArgumentException("objectStoreBytes must be > 0, got " + bytes);
            }
            this.objectStoreBytes = bytes;
            return this;
        }

        /**
         * Sets the cluster token, for a driver on another host than the head (where the head's token file is not).
         *
         * @param token the token the head was started with; null leaves it to {@code tessera.token} / {@code TESSERA_TOKEN}.
         * @return this.
         */
        public Builder token(String token)
        {
            this.token = token;
            return this;
        }

        /**
         * Sets the CPUs this node offers (fractions allowed).
         *
         * @param cpus the amount, 0 or more and finite.
         * @return this.
         * @throws IllegalArgumentException when the amount is negative, NaN or infinite
         */
        public Builder cpus(double cpus)
        {
            this.cpus = ResourceOptions.checkAmount("cpus", cpus);
            return this;
        }

        /**
         * Sets the GPUs this node offers, fewer than it has to keep some for other programs.
         *
         * @param gpus the amount, 0 or more and finite.
         * @return this.
         * @throws IllegalArgumentException when the amount is negative, NaN or infinite
         */
        public Builder gpus(double gpus)
        {
            this.gpus = ResourceOptions.checkAmount("gpus", gpus);
            return this;
        }

        /**
         * Offers a custom resource; tasks asking for it run only on nodes that offer enough of it. Again for the
         * same name replaces the amount.
         *
         * @param name   the resource's name, e.g. {@code zone-a}.
         * @param amount the amount, 0 or more and finite.
         * @return this.
         * @throws IllegalArgumentException when the amount is negative, NaN or infinite
         */
        public Builder resource(String name, double amount)
        {
            Objects.requireNonNull(name, "name");
            resources.put(name, ResourceOptions.checkAmount("resource '" + name + "'", amount));
            return this;
        }

        /**
         * Pre-registers types with the serializer: their values encode smaller and faster. Unregistered types
         * work too.
         *
         * @param classes the types, e.g. records passed as task arguments.
         * @return this.
         */
        public Builder register(Class<?>... classes)
        {
            registered.addAll(List.of(classes));
            return this;
        }

        /**
         * Puts the store's shared-memory file in {@code dir} instead of /dev/shm (a directory on a tmpfs keeps it
         * in memory).
         *
         * @param dir the directory; null for the default.
         * @return this.
         */
        public Builder storeDirectory(Path dir)
        {
            this.storeDirectory = dir;
            return this;
        }

        /**
         * Spills primary copies into {@code dir} instead of the temp directory when the store is full.
         *
         * @param dir the directory; null for the default.
         * @return this.
         */
        public Builder spillDirectory(Path dir)
        {
            this.spillDirectory = dir;
            return this;
        }

        /**
         * Serves this node's metrics (the engine's and {@code io.tessera.metrics}') in Prometheus's text format at
         * {@code http://HOST:PORT/metrics}, on the loopback interface for an embedded node (where a cluster node
         * listens for {@code tessera start}). Off unless set.
         *
         * @param port the port, 0 for a free one, -1 for none.
         * @return this.
         * @throws IllegalArgumentException when the port is not -1 to 65535
         */
        public Builder metricsPort(int port)
        {
            if (port < -1 || port > 65535)
            {
                throw new IllegalArgumentException("metricsPort must be -1 (none), 0 (a free one) or a port up to 65535, got " + port);
            }
            this.metricsPort = port;
            return this;
        }

        /**
         * Whether this driver prints its tasks' output from the cluster's nodes (see {@link TesseraConfig#logToDriver()}).
         *
         * @param enabled false: the output stays in the nodes' per-job log files only.
         * @return this.
         */
        public Builder logToDriver(boolean enabled)
        {
            this.logToDriver = enabled;
            return this;
        }

        /**
         * The low-latency mode, for a node with a core to spare for each of its busy threads: the dispatcher and
         * the workers busy-spin when idle instead of spinning briefly, yielding and parking, and a driver thread
         * waiting in {@code get} spins on the result instead of parking (a task waiting in {@code get} still
         * parks, so that its children get its CPU). A hand-off then costs a cache line's trip between cores
         * instead of a thread wake-up, but each of these threads burns a whole core while the node runs, idle or
         * not: on fewer cores than busy threads it is slower than the default (the spinners yield once every
         * 1 024 spins, so the thread with work still gets a core within a yield). Off by default; also
         * {@code tessera.lowLatency=true} or {@code TESSERA_LOW_LATENCY=true}.
         *
         * @param enabled true to busy-spin.
         * @return this.
         */
        public Builder lowLatency(boolean enabled)
        {
            this.lowLatency = enabled;
            return this;
        }

        /**
         * Pins the dispatcher and each worker to a core of its own as it starts (OpenHFT affinity; cores listed
         * in its {@code affinity.reserved} property, by default all but CPU 0). A thread that finds no free core
         * runs unpinned, with a warning. Meant with {@link #lowLatency(boolean)}; off by default; also
         * {@code tessera.pinThreads=true} or {@code TESSERA_PIN_THREADS=true}.
         *
         * @param enabled true to pin.
         * @return this.
         */
        public Builder pinThreads(boolean enabled)
        {
            this.pinThreads = enabled;
            return this;
        }

        /**
         * The namespace this job's named actors are created in and looked up in (Ray's namespaces). Unset, the job
         * gets an anonymous namespace of its own, so two jobs' actors of the same name do not clash; jobs that set the
         * same namespace share its names. Also {@code tessera.namespace} or {@code TESSERA_NAMESPACE}.
         *
         * @param namespace the namespace, not blank.
         * @return this.
         * @throws IllegalArgumentException when blank
         */
        public Builder namespace(String namespace)
        {
            this.namespace = checkNamespace(namespace);
            return this;
        }

        /**
         * Resolves every value not set here from the system properties, the environment and the defaults.
         *
         * @return the configuration.
         * @throws IllegalArgumentException when {@code TESSERA_OBJECT_STORE_BYTES} or its property is not a size
         */
        public TesseraConfig build()
        {
            return new TesseraConfig(this);
        }
    }
}
