package io.tessera.cli;

import io.tessera.internal.CurrentNode;
import io.tessera.internal.Node;
import io.tessera.internal.cluster.ClusterHome;
import io.tessera.internal.cluster.ClusterMember;
import io.tessera.internal.spi.NodeExtensions;
import io.tessera.internal.spi.NodeHandle;
import io.tessera.internal.launch.NodeLauncher;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * One node process ({@code tessera start} launches it in the background): the head with
 * {@code --head}, or a worker joining {@code --address HOST:PORT}. Writes
 * {@code $TESSERA_HOME/nodes/<pid>.pid} (role, address, process start) once it serves, removes it on exit.
 * When it cannot start, its last line is {@code tessera node: <one sentence>} (what {@code start}
 * reports), after the stack trace. Its log (stderr, one line per record: {@link LogFormat}) is the
 * file {@code start} redirects it to.
 */
@Command(name = "tessera-node",
    description = "One node process, in the foreground (tessera start runs it in the background).")
public final class NodeMain implements Callable<Integer>
{
    /** What starts the lines of the node's extensions in its output ({@code start} prints them). */
    static final String EXTENSION_PREFIX = "tessera: ";
    /** What this prints as its last line when it cannot start: the one sentence {@code start} reports. */
    static final String NODE_FAILURE_PREFIX = "tessera node: ";

    @Mixin
    NodeOptions o;

    @Mixin
    HelpOption help;

    private NodeMain()
    {
    }

    public static void main(String[] argv)
    {
        LogFormat.apply("info"); // before the first logger exists (so no static logger field here)
        final CommandLine cl = new CommandLine(new NodeMain());
        cl.setParameterExceptionHandler((ex, args) ->
        {
            System.err.println(NODE_FAILURE_PREFIX + ex.getMessage());
            return CliFailure.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) ->
        {
            if (!(ex instanceof CliFailure) || ex.getCause() != null)
            {
                LoggerFactory.getLogger(NodeMain.class).error("the node failed to start", ex);
            }
            System.err.println(NODE_FAILURE_PREFIX + (ex instanceof CliFailure ? ex.getMessage()
                : "the node failed to start: " + CliFailure.rootMessage(ex)));
            return ex instanceof CliFailure f ? f.exitCode() : CliFailure.RUNTIME;
        });
        final int exit = cl.execute(argv);
        System.exit(exit);
    }

    @Override
    public Integer call() throws Exception
    {
        o.validate();
        o.applyTls();
        final boolean head = o.head;
        final int port = o.port();
        final ClusterHome home = ClusterHome.resolve();
        final String envToken = System.getenv("TESSERA_TOKEN");
        final String token;
        if (head)
        {
            // before the journal is replayed: a port in use is told in one sentence, and nothing was touched
            Preflight.requirePortFree(o.host, port);
            token = envToken != null ? envToken : port != 0 ? home.createToken(port) : ClusterHome.randomToken();
        }
        else
        {
            token = Preflight.requireToken(o.address);
        }
        final Node node = NodeLauncher.start(o.config());
        final ClusterMember member;
        try
        {
            member = NodeLauncher.serve(node, o.host, port, head ? null : o.address.toString(), token, o.heartbeatTimeoutMs,
                o.advertiseAddress);
        }
        catch (RuntimeException ex)
        {
            throw explain(ex, head, port);
        }
        if (o.metricsPort >= 0)
        {
            try
            {
                ((io.tessera.internal.LocalRuntime) node).serveMetrics(o.host, o.metricsPort);
            }
            catch (java.io.UncheckedIOException ex)
            {
                CurrentNode.stop();
                throw new CliFailure(CliFailure.RUNTIME, ex.getMessage() + ": give another --metrics-port (0 picks a free one)", ex);
            }
        }
        final NodeExtensions extensions;
        try
        {
            extensions = NodeExtensions.start(new NodeHandle(node.nodeId(), head, o.host, member.address(), token, home.dir(),
                o.extensionSettings(), node.state(), head ? member::logs : null, member.headJobs()));
        }
        catch (IllegalStateException ex)
        {
            CurrentNode.stop();
            throw new CliFailure(CliFailure.RUNTIME, ex.getMessage(), ex);
        }
        final Path pidFile = home.nodesDir().resolve(ProcessHandle.current().pid() + ".pid");
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            try
            {
                Files.deleteIfExists(pidFile);
            }
            catch (IOException ignoredAlreadyGone)
            {
                // nothing to clean
            }
            extensions.close();
            CurrentNode.stop();
            stopped.countDown();
        }, "tessera-node-shutdown"));
        if (head)
        {
            if (envToken == null && port == 0)
            {
                home.writeToken(Integer.parseInt(member.address().substring(member.address().lastIndexOf(':') + 1)), token);
            }
            ClusterHome.writePrivate(home.headAddressFile(), member.address());
        }
        // The start instant lets `tessera stop` tell this process from a later one given the same pid.
        ClusterHome.writePrivate(pidFile, (head ? "head " : "worker ") + member.address() + " "
            + PidFile.startMs(ProcessHandle.current()) + "\n");
        // the extensions' lines first: 'start' reads them once it sees "serving at"
        final String metricsAt = ((io.tessera.internal.LocalRuntime) node).metricsAddress();
        if (metricsAt != null)
        {
            LoggerFactory.getLogger(NodeMain.class).info("{}metrics at http://{}/metrics", EXTENSION_PREFIX, metricsAt);
        }
        extensions.lines().forEach(line -> LoggerFactory.getLogger(NodeMain.class).info("{}{}", EXTENSION_PREFIX, line));
        LoggerFactory.getLogger(NodeMain.class).info("node {} serving at {}{}", node.nodeId(), member.address(), head ? " (head)" : "");
        stopped.await();
        return 0;
    }

    /** One sentence for what went wrong starting the node (the stack trace goes to the log before it). */
    private CliFailure explain(RuntimeException ex, boolean head, int port)
    {
        final String root = CliFailure.rootMessage(ex);
        if (root.contains("Address already in use"))
        {
            return new CliFailure(CliFailure.RUNTIME, "port " + port + " on " + o.host + " is already in use: give another --port,"
                + " or stop what holds it (tessera stop stops the nodes you started on this host)", ex);
        }
        if (!head)
        {
            return new CliFailure(CliFailure.RUNTIME, "cannot join the head at " + o.address + " (" + root
                + "): check the address, and that TESSERA_TOKEN, if set, is that head's token", ex);
        }
        return new CliFailure(CliFailure.RUNTIME, "the node failed to start (" + root + ")", ex);
    }
}
