package io.tessera.nativetests.cluster;

import io.tessera.memory.OtherUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tessera start/status/submit/stop} as a user runs them, each a real process. */
@Timeout(180)
class CommandLineTest {
    private Path home;

    record Result(int exit, String output) {
    }

    private Result tessera(String... args) throws Exception {
        final List<String> cmd = ClusterFixture.java(ClusterFixture.nodeClassPath());
        cmd.add("io.tessera.cli.Main");
        cmd.addAll(List.of(args));
        final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TESSERA_HOME", home.toString());
        pb.environment().remove("TESSERA_ADDRESS");
        pb.environment().remove("TESSERA_TOKEN");
        final Process p = pb.start();
        final String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tessera " + String.join(" ", args) + " did not return");
        return new Result(p.exitValue(), out);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (home != null) {
            tessera("stop");
        }
    }

    @Test
    void shouldStartQueryUseAndStopAClusterFromTheCommandLine() throws Exception {
        home = Files.createTempDirectory("tessera-cli");
        final int port = ClusterFaultTest.freePort();
        final Result head = tessera("start", "--head", "--port", String.valueOf(port), "--cpus", "1", "--object-store", "256m");
        assertEquals(0, head.exit(), head.output());
        assertTrue(Files.exists(home.resolve("head-" + port + ".token")), "token written for the head's user");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(home.resolve("head-" + port + ".token"))));
        assertOwnerOnly(home, home.resolve("nodes"), home.resolve("logs"), home.resolve("journal-" + port));
        try (Stream<Path> files = Stream.concat(Files.list(home.resolve("nodes")), Files.list(home.resolve("logs")))) {
            for (Path f : files.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("head.address"))));
        final String address = "127.0.0.1:" + port;
        final Result worker = tessera("start", "--address", address, "--cpus", "2", "--resource", "special=2");
        assertEquals(0, worker.exit(), worker.output());

        final Result status = tessera("status", "--address", address);
        assertEquals(0, status.exit(), status.output());
        assertTrue(status.output().contains("nodes: 2 alive"), status.output());
        assertTrue(status.output().contains("special=2.0"), status.output());

        final String testClasses = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(p -> p.endsWith("test-classes")).findFirst().orElseThrow();
        final Result submitted = tessera("submit", "--address", address, testClasses, SubmittedApp.class.getName(), "41");
        assertEquals(0, submitted.exit(), submitted.output());
        assertTrue(submitted.output().contains("submitted app result: 42"), submitted.output());
        final Result after = tessera("status", "--address", address);
        assertTrue(after.output().matches("(?s).*tasks run [1-9][0-9]*, scheduler errors 0.*"), after.output());
        assertTrue(!after.output().contains("INFO"), "status prints the report only: " + after.output());

        final Result stopped = tessera("stop");
        assertTrue(stopped.output().contains("stopped 2 node(s)"), stopped.output());
        final Result gone = tessera("status", "--address", address);
        assertNotEquals(0, gone.exit(), "status fails once the cluster is gone: " + gone.output());
        final List<String> left = new ArrayList<>();
        try (Stream<Path> pids = Files.list(home.resolve("nodes"))) {
            pids.forEach(p -> left.add(p.getFileName().toString()));
        }
        assertEquals(List.of(), left);
    }

    @Test
    void shouldNotKillAnUnrelatedProcessThroughAStalePidFile() throws Exception {
        home = Files.createTempDirectory("tessera-cli");
        final Path nodes = Files.createDirectories(home.resolve("nodes"));
        // A node killed -9 leaves its pid file; the pid then goes to another process (here a sleep,
        // another user's when this runs as root).
        final List<String> sleep = OtherUser.available()
            ? List.of("setpriv", "--reuid=" + OtherUser.UID, "--regid=" + OtherUser.UID, "--clear-groups", "sleep", "600")
            : List.of("sleep", "600");
        final Process reused = new ProcessBuilder(sleep).start();
        final Process reusedOldFormat = new ProcessBuilder(sleep).start();
        try {
            final long startMs = reused.toHandle().info().startInstant().orElseThrow().toEpochMilli();
            Files.writeString(nodes.resolve(reused.pid() + ".pid"), "worker 127.0.0.1:1 " + (startMs - 60_000) + "\n");
            Files.writeString(nodes.resolve(reusedOldFormat.pid() + ".pid"), "worker 127.0.0.1:2\n");

            final Result stopped = tessera("stop");
            assertTrue(stopped.output().contains("stopped 0 node(s)"), stopped.output());
            assertTrue(reused.isAlive(), "tessera stop killed a process that merely reused a node's pid");
            assertTrue(reusedOldFormat.isAlive(), "tessera stop killed a process that is not a Tessera node");
            try (Stream<Path> left = Files.list(nodes)) {
                assertEquals(0, left.count(), "stale pid files are removed");
            }
        } finally {
            reused.destroyForcibly();
            reusedOldFormat.destroyForcibly();
        }
    }

    private static void assertOwnerOnly(Path... dirs) throws Exception {
        for (Path d : dirs) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)), d.toString());
        }
    }
}
