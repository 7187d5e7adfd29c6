package io.tessera.cli;

import io.tessera.internal.JvmFlags;
import io.tessera.internal.cluster.ClusterHome;
import io.tessera.internal.cluster.ClusterMember;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code tessera start | status | stop | submit}: node processes of this user on this host. */
final class Cluster {
    private static final long START_TIMEOUT_MS = 60_000;
    /** Held so the level sticks (JUL keeps loggers weakly): the CLI prints results, not transport chatter. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.tessera");

    private Cluster() {
    }

    /** Launches a node in the background and returns once it serves (as {@code ray start} does). */
    static int start(Args a, String[] argv) throws IOException, InterruptedException {
        if (!a.flag("--head") && a.value("--address") == null) {
            System.err.println("tessera start: give --head, or --address HOST:PORT to join a cluster");
            return 2;
        }
        final ClusterHome home = ClusterHome.resolve();
        final List<String> cmd = new ArrayList<>(javaCommand());
        cmd.add(NodeMain.class.getName());
        cmd.addAll(Arrays.asList(argv).subList(1, argv.length));
        final Path log = ClusterHome.createPrivate(home.logsDir().resolve("node-" + System.currentTimeMillis() + ".log"));
        final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        final Process p = pb.start();
        final Path pidFile = home.nodesDir().resolve(p.pid() + ".pid");
        final long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(pidFile)) {
                System.out.println("tessera: started " + Files.readString(pidFile).trim() + " (pid " + p.pid() + ", log " + log + ")");
                if (a.flag("--head")) {
                    System.out.println("tessera: join with  tessera start --address " + Files.readString(pidFile).trim().split(" ")[1]);
                }
                return 0;
            }
            if (!p.isAlive()) {
                System.err.println("tessera start: the node exited with status " + p.exitValue() + "; its log " + log + " ends with:");
                System.err.println(tail(log));
                return 1;
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        System.err.println("tessera start: the node did not come up within " + START_TIMEOUT_MS / 1000 + " s; log: " + log);
        return 1;
    }

    /** Stops every node this user started on this host. */
    static int stop() throws IOException, InterruptedException {
        final ClusterHome home = ClusterHome.resolve();
        final List<ProcessHandle> stopping = new ArrayList<>();
        try (Stream<Path> files = Files.list(home.nodesDir())) {
            for (Path f : files.filter(x -> x.toString().endsWith(".pid")).toList()) {
                final Optional<ProcessHandle> h = PidFile.node(f);
                if (h.isPresent()) {
                    h.get().destroy();
                    stopping.add(h.get());
                } else {
                    Files.deleteIfExists(f);
                }
            }
        }
        final long deadline = System.currentTimeMillis() + 15_000;
        for (ProcessHandle h : stopping) {
            while (h.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            if (h.isAlive()) {
                h.destroyForcibly();
            }
            Files.deleteIfExists(home.nodesDir().resolve(h.pid() + ".pid"));
        }
        System.out.println("tessera: stopped " + stopping.size() + " node(s)");
        return 0;
    }

    /** Prints the head's report; non-zero when the cluster cannot be reached. */
    static int status(Args a) {
        QUIET.setLevel(java.util.logging.Level.WARNING);
        final String address = headAddress(a);
        if (address == null) {
            System.err.println("tessera status: no cluster known here: give --address HOST:PORT or set TESSERA_ADDRESS");
            return 1;
        }
        try {
            System.out.println("cluster at " + address);
            System.out.print(ClusterMember.status(address, System.getenv("TESSERA_TOKEN")));
            return 0;
        } catch (RuntimeException ex) {
            System.err.println("tessera status: " + ex.getMessage());
            return 1;
        }
    }

    /** Runs a driver program against the cluster and returns its exit status. */
    static int submit(Args a) throws IOException, InterruptedException {
        final String address = headAddress(a);
        final List<String> pos = a.positional();
        if (address == null || pos.size() < 3) {
            System.err.println("usage: tessera submit --address HOST:PORT app.jar com.example.Main [args]");
            return 2;
        }
        final List<String> cmd = new ArrayList<>(javaCommand());
        final int cp = cmd.indexOf("-cp");
        cmd.set(cp + 1, pos.get(1) + java.io.File.pathSeparator + cmd.get(cp + 1));
        cmd.add(pos.get(2));
        cmd.addAll(pos.subList(3, pos.size()));
        final ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("TESSERA_ADDRESS", address);
        final String token = System.getenv("TESSERA_TOKEN") != null ? System.getenv("TESSERA_TOKEN")
            : ClusterHome.resolve().readToken(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
        if (token != null) {
            pb.environment().put("TESSERA_TOKEN", token);
        }
        return pb.start().waitFor();
    }

    private static String headAddress(Args a) {
        String address = a.value("--address");
        if (address == null) {
            address = System.getenv("TESSERA_ADDRESS");
        }
        if (address == null) {
            final Path f = ClusterHome.resolve().headAddressFile();
            try {
                address = Files.exists(f) ? Files.readString(f).trim() : null;
            } catch (IOException ex) {
                address = null;
            }
        }
        return address;
    }

    /** {@code java <tessera flags> -cp <this JVM's class path>}. */
    static List<String> javaCommand() {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(Arrays.asList(JvmFlags.recommended().split("\\s+")));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        return cmd;
    }

    private static String tail(Path log) throws IOException {
        final List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
