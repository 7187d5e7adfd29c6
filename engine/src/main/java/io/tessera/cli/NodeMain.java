package io.tessera.cli;

import io.tessera.TesseraConfig;
import io.tessera.internal.LocalRuntime;
import io.tessera.internal.cluster.ClusterHome;
import io.tessera.internal.cluster.ClusterMember;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * One node process ({@code tessera start} launches it in the background): the head with
 * {@code --head}, or a worker joining {@code --address HOST:PORT}. Writes
 * {@code $TESSERA_HOME/nodes/<pid>.pid} (role, address, process start) once it serves, removes it on exit.
 */
public final class NodeMain {
    private NodeMain() {
    }

    public static void main(String[] argv) throws Exception {
        final Args a = new Args(argv);
        final boolean head = a.flag("--head");
        final String headAddress = a.value("--address");
        if (head == (headAddress != null)) {
            System.err.println("tessera node: give either --head or --address HOST:PORT");
            System.exit(2);
        }
        final String host = a.value("--host", "127.0.0.1");
        final int port = Integer.parseInt(a.value("--port", head ? "6380" : "0"));
        final TesseraConfig.Builder cfg = TesseraConfig.builder();
        a.valueOpt("--object-store").ifPresent(v -> cfg.objectStoreBytes(TesseraConfig.parseBytes(v)));
        a.valueOpt("--cpus").ifPresent(v -> cfg.cpus(Double.parseDouble(v)));
        a.valueOpt("--gpus").ifPresent(v -> cfg.gpus(Double.parseDouble(v)));
        for (String r : a.values("--resource")) {
            final int eq = r.lastIndexOf('=');
            if (eq <= 0) {
                System.err.println("tessera node: --resource takes NAME=AMOUNT, got " + r);
                System.exit(2);
            }
            cfg.resource(r.substring(0, eq), Double.parseDouble(r.substring(eq + 1)));
        }
        final long heartbeatTimeoutMs = Long.parseLong(a.value("--heartbeat-timeout-ms", "2000"));
        final ClusterHome home = ClusterHome.resolve();
        final String envToken = System.getenv("TESSERA_TOKEN");
        final String token;
        if (head) {
            token = envToken != null ? envToken : port != 0 ? home.createToken(port) : ClusterHome.randomToken();
        } else {
            token = envToken != null ? envToken : home.readToken(Integer.parseInt(headAddress.substring(headAddress.lastIndexOf(':') + 1)));
            if (token == null) {
                System.err.println("tessera node: no cluster token for " + headAddress + ": set TESSERA_TOKEN");
                System.exit(2);
            }
        }
        final LocalRuntime runtime = LocalRuntime.start(cfg.build());
        final ClusterMember member;
        try {
            member = ClusterMember.startNode(runtime, host, port, head ? null : headAddress, token, heartbeatTimeoutMs,
                a.value("--advertise-address"));
        } catch (RuntimeException ex) {
            LocalRuntime.stop();
            System.err.println("tessera node: " + ex.getMessage());
            System.exit(1);
            return;
        }
        runtime.attachCluster(member);
        final Path pidFile = home.nodesDir().resolve(ProcessHandle.current().pid() + ".pid");
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException ignoredAlreadyGone) {
                // nothing to clean
            }
            LocalRuntime.stop();
            stopped.countDown();
        }, "tessera-node-shutdown"));
        if (head) {
            if (envToken == null && port == 0) {
                home.writeToken(Integer.parseInt(member.address().substring(member.address().lastIndexOf(':') + 1)), token);
            }
            ClusterHome.writePrivate(home.headAddressFile(), member.address());
        }
        // The start instant lets `tessera stop` tell this process from a later one given the same pid.
        ClusterHome.writePrivate(pidFile, (head ? "head " : "worker ") + member.address() + " "
            + PidFile.startMs(ProcessHandle.current()) + "\n");
        System.out.println("tessera node " + runtime.nodeId() + " serving at " + member.address() + (head ? " (head)" : ""));
        stopped.await();
    }
}
