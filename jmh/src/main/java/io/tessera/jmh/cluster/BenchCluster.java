package io.tessera.jmh.cluster;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Node JVMs for the cluster suites: started from this JVM's java, flags and class path (the
 * benchmarks jar), in a private TESSERA_HOME, with a fixed token; stopped at tear-down.
 */
final class BenchCluster implements AutoCloseable
{
    static final String TOKEN = "jmh-cluster-token-0123456789abcdef";

    private final Path home;
    private final List<Process> nodes = new ArrayList<>();
    private final List<ProcessHandle> started = new ArrayList<>();
    String headAddress;

    BenchCluster() throws IOException
    {
        home = Files.createTempDirectory("tessera-jmh-cluster");
    }

    /** Waits for every ref's result; returns the last (for the benchmark to consume). */
    static Object getAll(io.tessera.ObjectRef<?>[] refs)
    {
        Object last = null;
        for (io.tessera.ObjectRef<?> r : refs)
        {
            last = r.get();
        }
        return last;
    }

    /** Starts a node: the head when no head runs yet, else a worker joining it. */
    String start(String... options) throws IOException, InterruptedException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--") || arg.startsWith("-D"))
            {
                cmd.add(arg);
            }
        }
        cmd.add("-Xmx2g");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.tessera.cli.NodeMain");
        if (headAddress == null)
        {
            cmd.add("--head");
            cmd.add("--port");
            cmd.add("0");
        }
        else
        {
            cmd.add("--address");
            cmd.add(headAddress);
        }
        cmd.addAll(List.of(options));
        final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(home.resolve("node-" + nodes.size() + ".log").toFile());
        pb.environment().put("TESSERA_HOME", home.toString());
        pb.environment().put("TESSERA_TOKEN", TOKEN);
        final Process p = pb.start();
        nodes.add(p);
        final Path pid = home.resolve("nodes").resolve(p.pid() + ".pid");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(pid) || Files.readString(pid).isBlank())
        {
            if (!p.isAlive() || System.nanoTime() > deadline)
            {
                throw new IOException("node did not start; log: " + Files.readString(home.resolve("node-" + (nodes.size() - 1) + ".log")));
            }
            Thread.sleep(20);
        }
        final String address = Files.readString(pid).trim().split(" ")[1];
        if (headAddress == null)
        {
            headAddress = address;
        }
        return address;
    }

    /**
     * Starts a node the way a user does, {@code tessera start}: the CLI ({@code io.tessera.cli.Main start}) in
     * a child JVM launches the node in the background and exits once it serves. The head first (on a free
     * port), then workers joining it.
     */
    String startWithCli(String... options) throws IOException, InterruptedException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.tessera.cli.Main");
        cmd.add("start");
        if (headAddress == null)
        {
            cmd.add("--head");
            cmd.add("--port");
            try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
            {
                cmd.add(String.valueOf(free.getLocalPort()));
            }
        }
        else
        {
            cmd.add("--address");
            cmd.add(headAddress);
        }
        cmd.addAll(List.of(options));
        final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TESSERA_HOME", home.toString());
        pb.environment().put("TESSERA_TOKEN", TOKEN);
        final Process cli = pb.start();
        final String out = new String(cli.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!cli.waitFor(60, TimeUnit.SECONDS) || cli.exitValue() != 0)
        {
            throw new IOException("tessera start failed: " + out);
        }
        // "tessera: started head 127.0.0.1:6380 (pid 1234, log ...)"
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("started \\S+ (\\S+) \\(pid (\\d+)").matcher(out);
        if (!m.find())
        {
            throw new IOException("tessera start printed no address: " + out);
        }
        ProcessHandle.of(Long.parseLong(m.group(2))).ifPresent(started::add);
        if (headAddress == null)
        {
            headAddress = m.group(1);
        }
        return m.group(1);
    }

    @Override
    public void close() throws InterruptedException
    {
        for (ProcessHandle h : started)
        {
            h.destroy();
        }
        for (ProcessHandle h : started)
        {
            try
            {
                h.onExit().get(10, TimeUnit.SECONDS);
            }
            catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex)
            {
                h.destroyForcibly();
            }
        }
        for (Process p : nodes)
        {
            p.destroy();
        }
        for (Process p : nodes)
        {
            if (!p.waitFor(10, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
            }
        }
    }
}
