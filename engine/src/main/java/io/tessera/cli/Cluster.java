package io.tessera.cli;

import io.tessera.TesseraException;
import io.tessera.internal.JvmFlags;
import io.tessera.internal.cluster.ClusterHome;
import io.tessera.internal.cluster.ClusterClient;
import io.tessera.internal.cluster.LogLines;
import io.tessera.internal.cluster.LogQuery;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code tessera start | status | stop | submit}: node processes of this user on this host. */
final class Cluster
{
    /** How the node's log shows a line of its extensions ({@code NodeMain}): printed again by {@code start}. */
    private static final String EXTENSION_RECORD = " NodeMain - " + NodeMain.EXTENSION_PREFIX;

    private static final long START_TIMEOUT_MS = 60_000;
    private static final long FOLLOW_POLL_MS = 500;

    private Cluster()
    {
    }

    @Command(name = "start", sortOptions = false,
        description = {"Start a node in the background; returns once it serves.",
            "The head with --head, or a worker joining the head at --address (as 'ray start' does)."},
        footer = {"", "Examples:", "  tessera start --head --port 6380 --object-store 2g",
            "  tessera start --address 127.0.0.1:6380 --cpus 8 --resource zone-a=1"})
    static final class Start implements Callable<Integer>
    {
        @Mixin
        HelpOption help;

        @Mixin
        NodeOptions node;

        @Override
        public Integer call() throws IOException, InterruptedException
        {
            return start(node);
        }
    }

    @Command(name = "stop",
        description = "Stop every node this user started on this host (TESSERA_HOME's nodes).")
    static final class Stop implements Callable<Integer>
    {
        @Mixin
        HelpOption help;

        @Override
        public Integer call() throws IOException, InterruptedException
        {
            return stop();
        }
    }

    @Command(name = "status",
        description = {"Print the cluster's nodes, resources, actors and jobs.",
            "Exits with 1 when the cluster cannot be reached."})
    static final class Status implements Callable<Integer>
    {
        @Mixin
        HelpOption help;

        @Mixin
        HeadOption head;

        @Override
        public Integer call()
        {
            return status(head.address);
        }
    }

    @Command(name = "logs",
        description = {"Print what a job's tasks printed on the nodes, an actor's output, or a node's own log.",
            "Exits with 1 when the cluster cannot be reached or knows no such job, actor or node."},
        footer = {"", "Examples:", "  tessera logs --job 1a2b3c4d --tail 50", "  tessera logs --actor counter --follow",
            "  tessera logs --node 127.0.0.1:6381"})
    static final class Logs implements Callable<Integer>
    {
        @Mixin
        HelpOption help;

        @Mixin
        HeadOption head;

        @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as they are written, until Ctrl-C.")
        boolean follow;

        @Option(names = "--tail", paramLabel = "N", defaultValue = "1000",
            description = "Print the last N lines of each file first (default: ${DEFAULT-VALUE}).")
        int tail;

        /** Exactly one of the three. */
        static final class Which
        {
            @Option(names = "--job", paramLabel = "J", required = true,
                description = "The job's output on every node (its id, as in tessera status).")
            String job;

            @Option(names = "--actor", paramLabel = "A", required = true,
                description = "The output of the actor's class on its node (its id or name).")
            String actor;

            @Option(names = "--node", paramLabel = "N", required = true,
                description = "A node's own log (its id or HOST:PORT).")
            String node;
        }

        @Override
        public Integer call() throws InterruptedException
        {
            return logs(this);
        }
    }

    @Command(name = "submit",
        description = {"Run a driver program against the cluster and exit with its exit status.",
            "Options go before JAR; everything after MAIN is passed to the program untouched."},
        footer = {"", "Example:", "  tessera submit --address 127.0.0.1:6380 app.jar com.example.Main --its-own-flag 1"})
    static final class Submit implements Callable<Integer>
    {
        @Mixin
        HelpOption help;

        @Mixin
        HeadOption head;

        @Parameters(index = "0", paramLabel = "JAR", description = "The program's jar (or classes directory).")
        Path jar;

        @Parameters(index = "1", paramLabel = "MAIN", description = "Its main class, e.g. com.example.Main.")
        String mainClass;

        @Parameters(index = "2..*", paramLabel = "ARGS", description = "The program's own arguments.")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws IOException, InterruptedException
        {
            return submit(this);
        }
    }

    /** Launches a node in the background and returns once it serves (as {@code ray start} does). */
    static int start(NodeOptions o) throws IOException, InterruptedException
    {
        o.validate();
        if (o.head)
        {
            Preflight.requirePortFree(o.host, o.port());
        }
        else
        {
            Preflight.requireReachable(o.address, null);
            Preflight.requireToken(o.address);
        }
        final ClusterHome home = ClusterHome.resolve();
        final Path log = ClusterHome.createPrivate(home.logsDir().resolve("node-" + System.currentTimeMillis() + ".log"));
        final List<String> cmd = new ArrayList<>(javaCommand());
        // the node's own log, for tessera logs --node
        cmd.add(cmd.indexOf("-cp"), "-D" + ClusterHome.LOG_FILE_PROPERTY + "=" + log.toAbsolutePath());
        cmd.add(NodeMain.class.getName());
        cmd.addAll(o.toArgs());
        final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        final Process p = pb.start();
        final Path pidFile = home.nodesDir().resolve(p.pid() + ".pid");
        final long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline)
        {
            if (Files.exists(pidFile))
            {
                final String[] roleAndAddress = Files.readString(pidFile).trim().split(" ");
                System.out.println("tessera: started " + roleAndAddress[0] + " " + roleAndAddress[1] + " (pid " + p.pid()
                    + ", log " + log + ")");
                if (o.head)
                {
                    System.out.println("tessera: join with  tessera start --address " + roleAndAddress[1]);
                }
                // the node logs them as records: "<time> INFO NodeMain - tessera: dashboard at ..."
                for (final String l : Files.readAllLines(log))
                {
                    final int at = l.indexOf(EXTENSION_RECORD);
                    if (at >= 0)
                    {
                        System.out.println(l.substring(at + EXTENSION_RECORD.length() - NodeMain.EXTENSION_PREFIX.length()));
                    }
                }
                return 0;
            }
            if (!p.isAlive())
            {
                throw nodeFailed(p.exitValue(), log);
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw CliFailure.runtime("the node did not come up within " + START_TIMEOUT_MS / 1000 + " s: see its log " + log);
    }

    private static CliFailure nodeFailed(int exit, Path log) throws IOException
    {
        final List<String> lines = Files.readAllLines(log);
        if (CliFailure.verbose)
        {
            System.err.println("tessera start: the node's log " + log + " ends with:");
            System.err.println(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
        for (String line : lines.reversed())
        {
            if (line.startsWith(NodeMain.NODE_FAILURE_PREFIX))
            {
                return new CliFailure(exit == CliFailure.USAGE ? CliFailure.USAGE : CliFailure.RUNTIME,
                    line.substring(NodeMain.NODE_FAILURE_PREFIX.length()) + " (log: " + log + ")");
            }
        }
        return CliFailure.runtime("the node exited with status " + exit + " before serving: see its log " + log
            + " (or rerun with --verbose)");
    }

    /** Stops every node this user started on this host. */
    static int stop() throws IOException, InterruptedException
    {
        final ClusterHome home = ClusterHome.resolve();
        final List<ProcessHandle> stopping = new ArrayList<>();
        try (Stream<Path> files = Files.list(home.nodesDir()))
        {
            for (Path f : files.filter(x -> x.toString().endsWith(".pid")).toList())
            {
                final Optional<ProcessHandle> h = PidFile.node(f, NodeMain.class.getName());
                if (h.isPresent())
                {
                    h.get().destroy();
                    stopping.add(h.get());
                }
                else
                {
                    Files.deleteIfExists(f);
                }
            }
        }
        final long deadline = System.currentTimeMillis() + 15_000;
        for (ProcessHandle h : stopping)
        {
            while (h.isAlive() && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(20);
            }
            if (h.isAlive())
            {
                h.destroyForcibly();
            }
            Files.deleteIfExists(home.nodesDir().resolve(h.pid() + ".pid"));
        }
        System.out.println("tessera: stopped " + stopping.size() + " node(s)");
        return 0;
    }

    /** Prints the head's report; fails when the cluster cannot be reached. */
    static int status(HostPort given)
    {
        final Head t = reachHead(given);
        final String report;
        try
        {
            report = ClusterClient.status(t.address().toString(), t.token());
        }
        catch (TesseraException ex)
        {
            throw new CliFailure(CliFailure.RUNTIME, "the head at " + t.address() + " did not answer (" + CliFailure.rootMessage(ex)
                + "): check that a Tessera head listens there and that TESSERA_TOKEN, if set, is its token", ex);
        }
        System.out.println("cluster at " + t.address());
        System.out.print(report);
        try
        {
            final Map<String, String> metrics = ClusterClient.metricsAddresses(t.address().toString(), t.token());
            System.out.println("metrics (Prometheus, /metrics):");
            metrics.forEach((node, where) -> System.out.println("  " + node + " " + where));
        }
        catch (TesseraException ex)
        {
            System.out.println("metrics: cannot ask the nodes (" + CliFailure.rootMessage(ex) + ")");
        }
        return 0;
    }

    /** Prints the lines asked for, then, with --follow, new ones every half second until interrupted. */
    static int logs(Logs l) throws InterruptedException
    {
        if (l.tail < 0)
        {
            throw CliFailure.usage("--tail must be >= 0, got " + l.tail);
        }
        final Head t = reachHead(l.head.address);
        LogQuery q = new LogQuery(l.which.job, l.which.actor, l.which.node, l.tail, Map.of());
        while (true)
        {
            final LogLines lines;
            try
            {
                lines = ClusterClient.logs(t.address().toString(), t.token(), q);
            }
            catch (IllegalArgumentException ex)
            {
                throw CliFailure.runtime(ex.getMessage());
            }
            catch (TesseraException ex)
            {
                throw new CliFailure(CliFailure.RUNTIME, "the head at " + t.address() + " did not answer ("
                    + CliFailure.rootMessage(ex) + "): check that a Tessera head listens there", ex);
            }
            lines.lines().forEach(System.out::println);
            System.out.flush();
            if (!l.follow)
            {
                return 0;
            }
            final Map<String, Long> positions = new java.util.HashMap<>(q.after());
            positions.putAll(lines.positions());
            q = q.after(positions);
            Thread.sleep(FOLLOW_POLL_MS);
        }
    }

    /** Runs a driver program against the cluster and returns its exit status. */
    static int submit(Submit s) throws IOException, InterruptedException
    {
        if (!Files.exists(s.jar))
        {
            throw CliFailure.usage("no such file: " + s.jar + ": give the path of your program's jar (or classes directory)");
        }
        if (!hasClass(s.jar, s.mainClass))
        {
            throw CliFailure.usage("no class " + s.mainClass + " in " + s.jar
                + ": give the fully qualified name of the class with main, e.g. com.example.Main");
        }
        final Head t = reachHead(s.head.address);
        final List<String> cmd = new ArrayList<>(javaCommand());
        final int cp = cmd.indexOf("-cp");
        cmd.set(cp + 1, s.jar.toAbsolutePath() + File.pathSeparator + cmd.get(cp + 1));
        cmd.add(s.mainClass);
        cmd.addAll(s.args);
        final ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("TESSERA_ADDRESS", t.address().toString());
        pb.environment().put("TESSERA_TOKEN", t.token());
        return pb.start().waitFor();
    }

    private static boolean hasClass(Path jar, String className) throws MalformedURLException
    {
        final String resource = className.replace('.', '/') + ".class";
        try (URLClassLoader l = new URLClassLoader(new URL[] {jar.toUri().toURL()}, Cluster.class.getClassLoader()))
        {
            return l.getResource(resource) != null;
        }
        catch (IOException ex)
        {
            return false;
        }
    }

    /** A head that was reachable, and its token. */
    record Head(HostPort address, String token)
    {
    }

    /** The head of {@code --address} (or where {@link #target} finds it), checked reachable, with its token at hand. */
    static Head reachHead(HostPort given)
    {
        final Target t = target(given);
        Preflight.requireReachable(t.address(), t.recordedIn());
        return new Head(t.address(), Preflight.requireToken(t.address()));
    }

    /** The head a command talks to, and where its address came from when the user did not give it. */
    record Target(HostPort address, String recordedIn)
    {
    }

    /** {@code --address}, else {@code TESSERA_ADDRESS}, else the address the last head started here recorded. */
    static Target target(HostPort given)
    {
        if (given != null)
        {
            return new Target(given, null);
        }
        final String env = System.getenv("TESSERA_ADDRESS");
        if (env != null && !env.isBlank())
        {
            try
            {
                return new Target(HostPort.parse(env), "TESSERA_ADDRESS");
            }
            catch (IllegalArgumentException ex)
            {
                throw CliFailure.usage("TESSERA_ADDRESS " + ex.getMessage() + ": fix or unset it, or give --address");
            }
        }
        final Path f = ClusterHome.resolve().headAddressFile();
        if (Files.exists(f))
        {
            try
            {
                return new Target(HostPort.parse(Files.readString(f)), f + ", written by the last 'tessera start --head' here");
            }
            catch (IOException | IllegalArgumentException ex)
            {
                throw CliFailure.runtime("cannot read the last head's address from " + f + " (" + ex.getMessage()
                    + "): delete it, or give --address HOST:PORT");
            }
        }
        throw CliFailure.runtime("no cluster known here: start one with 'tessera start --head', or give --address HOST:PORT");
    }

    /** {@code java <tessera flags> -cp <this JVM's class path>}. */
    static List<String> javaCommand()
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(Arrays.asList(JvmFlags.recommended().split("\\s+")));
        cmd.addAll(LogFormat.jvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        return cmd;
    }
}
