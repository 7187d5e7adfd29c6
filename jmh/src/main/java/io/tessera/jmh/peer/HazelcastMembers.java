package io.tessera.jmh.peer;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Hazelcast members confined to loopback: no multicast, TCP-IP join on 127.0.0.1 with explicit ports,
 * a cluster name unique to the benchmark run, no phone-home, quiet logging, short join waits. Works
 * offline and never joins another process's cluster by accident.
 */
final class HazelcastMembers
{
    /**
     * JVM options Hazelcast asks for on JDK 17+ (it logs a warning and loses some metrics without them),
     * less its {@code --add-modules java.se}: on the class path every system module is resolved already,
     * and a runtime image without some of {@code java.se}'s modules would refuse to start.
     */
    static final String[] JVM_OPTIONS = {
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
    };

    private HazelcastMembers()
    {
    }

    /** A member listening on {@code port} that looks for its cluster only at {@code peerPorts} on 127.0.0.1. */
    static Config config(String clusterName, int port, int... peerPorts)
    {
        final Config config = new Config();
        config.setClusterName(clusterName);
        config.setInstanceName(clusterName + "-" + port);
        config.setProperty("hazelcast.logging.type", "none");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.health.monitoring.level", "OFF");
        final NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        final JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).addMember("127.0.0.1:" + port);
        for (int p : peerPorts)
        {
            join.getTcpIpConfig().addMember("127.0.0.1:" + p);
        }
        return config;
    }

    static HazelcastInstance start(String clusterName, int port, int... peerPorts)
    {
        // Some start-up messages are logged before the config's logging type applies.
        if (System.getProperty("hazelcast.logging.type") == null)
        {
            System.setProperty("hazelcast.logging.type", "none");
        }
        return Hazelcast.newHazelcastInstance(config(clusterName, port, peerPorts));
    }

    /** A port that was free on 127.0.0.1 a moment ago. */
    static int freePort()
    {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
        catch (IOException e)
        {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** A cluster name no other run uses: this process's id and the time. */
    static String uniqueClusterName()
    {
        return "tessera-bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }
}
