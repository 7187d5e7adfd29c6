package io.tessera.internal.launch;

import io.tessera.TesseraConfig;
import io.tessera.internal.CurrentNode;
import io.tessera.internal.JvmFlags;
import io.tessera.internal.LocalRuntime;
import io.tessera.internal.Node;
import io.tessera.internal.cluster.ClusterMember;

/**
 * The one place that wires a node: it builds the {@link LocalRuntime}, attaches the
 * {@link ClusterMember} behind the runtime's {@code RemoteExecutor} when there is a cluster, and
 * installs the result as the process's {@link CurrentNode}. The runtime never names the cluster.
 */
public final class NodeLauncher
{
    private NodeLauncher()
    {
    }

    /**
     * Starts the process's node ({@code Tessera.init}): an embedded node, or a driver joining
     * {@code config.address()}.
     *
     * @throws IllegalStateException when a node is running already
     */
    public static Node start(TesseraConfig config)
    {
        return CurrentNode.start(() -> launch(config));
    }

    /**
     * A node process ({@code tessera start}): the cluster member of the node {@link #start} made
     * serves at {@code host:port} (as the head when {@code headAddress} is null). On failure the
     * node is stopped again.
     */
    public static ClusterMember serve(Node node, String host, int port, String headAddress, String token,
                                      long heartbeatTimeoutMs, String advertiseAddress)
    {
        final LocalRuntime runtime = (LocalRuntime) node;
        final ClusterMember member;
        try
        {
            member = ClusterMember.startNode(runtime, host, port, headAddress, token, heartbeatTimeoutMs, advertiseAddress);
        }
        catch (RuntimeException ex)
        {
            CurrentNode.stop();
            throw ex;
        }
        runtime.attachCluster(member);
        return member;
    }

    private static LocalRuntime launch(TesseraConfig config)
    {
        JvmFlags.check();
        if (config.address() == null)
        {
            return new LocalRuntime(config, false);
        }
        final LocalRuntime driver = new LocalRuntime(config, true);
        try
        {
            driver.attachCluster(ClusterMember.joinAsDriver(driver, config.address(), config.token(), config.logToDriver()));
        }
        catch (RuntimeException ex)
        {
            driver.close();
            throw ex;
        }
        return driver;
    }
}
