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
    String headAddress;

    BenchCluster() throws IOException
    {
        home = Files.createTempDirectory("tessera-jmh-cluster");
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

    @Override
    public void close() throws InterruptedException
    {
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
