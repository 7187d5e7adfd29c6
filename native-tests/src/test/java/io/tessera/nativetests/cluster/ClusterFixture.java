package io.tessera.nativetests.cluster;

import java.time.Duration;
import io.tessera.testing.Await;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Real node processes on 127.0.0.1 for cluster tests: a head and workers started with
 * {@code io.tessera.cli.NodeMain}, on a class path WITHOUT the test classes (so the driver's classes
 * must be shipped), sharing a private TESSERA_HOME. Logs are kept under target/cluster-logs.
 */
public final class ClusterFixture implements AutoCloseable
{
    public static final String TOKEN = "test-token-0123456789abcdef";

    final Path home;
    final Path logs;
    final List<Process> processes = new ArrayList<>();
    /** JVM options of the node processes started from now on (e.g. {@code -Dtessera.jobGraceMs=1000}). */
    final List<String> nodeJvmOptions = new ArrayList<>();
    /** Environment of the node and driver processes started from now on (e.g. TESSERA_TLS_*). */
    final java.util.Map<String, String> environment = new java.util.LinkedHashMap<>();
    /** HOST:PORT of each node started, by name ("head" for the head). */
    final java.util.Map<String, String> addresses = new java.util.LinkedHashMap<>();
    String headAddress;
    Process head;

    public ClusterFixture(String name) throws IOException
    {
        home = Files.createTempDirectory("tessera-home-" + name);
        logs = Files.createDirectories(Path.of("target", "cluster-logs", name + "-" + System.currentTimeMillis()));
    }

    /** Whether the nodes started from now on have the dashboard on their class path (the head then serves it). */
    boolean dashboard;

    /** The class path of node processes: everything but test classes. */
    static String nodeClassPath()
    {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(p -> !p.endsWith("test-classes") && !p.contains("native-tests"))
            .collect(Collectors.joining(File.pathSeparator));
    }

    /** The dashboard's jar or, in a reactor build, its classes directory. */
    private static boolean isDashboard(Path entry)
    {
        return entry.getFileName() != null && entry.getFileName().toString().startsWith("tessera-dashboard")
            || entry.endsWith(Path.of("dashboard", "target", "classes"));
    }

    /** {@link #nodeClassPath()}, without the dashboard unless {@link #dashboard} is set. */
    private String nodeClassPathHere()
    {
        return Arrays.stream(nodeClassPath().split(File.pathSeparator))
            .filter(p -> dashboard || !isDashboard(Path.of(p)))
            .collect(Collectors.joining(File.pathSeparator));
    }

    static List<String> java(String classPath)
    {
        return io.tessera.nativetests.Jvm.command("3g", classPath);
    }

    public Process startHead(int port, String... extra) throws Exception
    {
        head = startNode("head", port, null, extra);
        return head;
    }

    public Process startWorker(String name, String... extra) throws Exception
    {
        return startNode(name, 0, headAddress, extra);
    }

    private Process startNode(String name, int port, String join, String... extra) throws Exception
    {
        final List<String> cmd = java(nodeClassPathHere());
        cmd.addAll(nodeJvmOptions);
        cmd.add("io.tessera.cli.NodeMain");
        if (join == null)
        {
            cmd.add("--head");
        }
        else
        {
            cmd.add("--address");
            cmd.add(join);
        }
        cmd.add("--port");
        cmd.add(String.valueOf(port));
        cmd.add("--heartbeat-timeout-ms");
        cmd.add("1000");
        cmd.addAll(List.of(extra));
        final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        pb.environment().put("TESSERA_HOME", home.toString());
        pb.environment().put("TESSERA_TOKEN", TOKEN);
        pb.environment().putAll(environment);
        final Process p = pb.start();
        processes.add(p);
        final Path pid = home.resolve("nodes").resolve(p.pid() + ".pid");
        Await.await("node " + name + " to start; log: " + logs.resolve(name + ".log"), Duration.ofSeconds(60)).until(() ->
        {
            if (!p.isAlive())
            {
                throw new IllegalStateException("node " + name + " exited with " + p.exitValue() + ": "
                    + Files.readString(logs.resolve(name + ".log")));
            }
            return Files.exists(pid) && !Files.readString(pid).isBlank();
        });
        final String address = Files.readString(pid).trim().split(" ")[1];
        addresses.put(name, address);
        if (join == null)
        {
            headAddress = address;
        }
        return p;
    }

    /** The HOST:PORT of the node started as {@code name}. */
    public String address(String name)
    {
        return addresses.get(name);
    }

    /** Starts a driver JVM running {@code mainClass} with this JVM's class path and this cluster's home and token. */
    public Process startDriver(String name, Class<?> mainClass, String... args) throws IOException
    {
        final List<String> cmd = java(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        pb.environment().put("TESSERA_HOME", home.toString());
        pb.environment().put("TESSERA_TOKEN", TOKEN);
        pb.environment().putAll(environment);
        return pb.start();
    }

    /**
     * A head with the dashboard (on a free port) and two workers, {@code w1} and {@code w2}.
     *
     * @param name what the fixture's home and logs are named after
     * @return the running cluster
     */
    public static ClusterFixture headAndTwoWorkersWithDashboard(String name) throws Exception
    {
        final ClusterFixture cluster = new ClusterFixture(name);
        try
        {
            cluster.dashboard = true;
            cluster.startHead(0, "--dashboard-port", "0");
            cluster.startWorker("w1");
            cluster.startWorker("w2");
            return cluster;
        }
        catch (Exception ex)
        {
            cluster.close();
            throw ex;
        }
    }

    /** The URL of the head's dashboard, as it printed it ({@code tessera: dashboard at http://…/}). */
    public String dashboardUrl() throws Exception
    {
        return headLine(java.util.regex.Pattern.compile("tessera: dashboard at (http://\\S+/)"));
    }

    /**
     * What the head printed that {@code line} matches (its first group), once it did: e.g. its dashboard's URL.
     *
     * @throws IllegalStateException when it prints no such line within a minute
     */
    public String headLine(java.util.regex.Pattern line) throws Exception
    {
        final Path log = logs.resolve("head.log");
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            final java.util.regex.Matcher m = line.matcher(Files.readString(log));
            if (m.find())
            {
                return m.group(1);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the head printed no line matching " + line + "; log: " + log);
    }

    /** What a {@code tessera} command printed and its exit status. */
    public record CliResult(int exit, String output)
    {
    }

    private int cliRuns;

    /** Runs {@code tessera ARGS} ({@code io.tessera.cli.Main}) with this cluster's home and token; waits for it. */
    public CliResult tessera(String... args) throws Exception
    {
        final String name = "tessera-" + cliRuns++;
        final Process p = startDriver(name, io.tessera.cli.Main.class, args);
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            throw new AssertionError("tessera " + String.join(" ", args) + " did not return");
        }
        return new CliResult(p.exitValue(), Files.readString(logs.resolve(name + ".log")));
    }

    /** The head's HOST:PORT once it is started. */
    public String headAddress()
    {
        return headAddress;
    }

    @Override
    public void close() throws Exception
    {
        for (Process p : processes)
        {
            p.destroy();
        }
        for (Process p : processes)
        {
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
            {
                p.destroyForcibly().waitFor();
            }
        }
        deleteTree(home);
    }

    private static void deleteTree(Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(dir))
        {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(f ->
            {
                try
                {
                    Files.deleteIfExists(f);
                }
                catch (IOException leftBehind)
                {
                    // a file a node still writes while it exits: the temp directory is the OS's to clean
                }
            });
        }
        catch (IOException ignoredGoneMeanwhile)
        {
            // nothing more to delete
        }
    }
}
