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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tessera start/status/submit/stop} as a user runs them, each a real process. */
@Timeout(180)
class CommandLineTest
{
    private Path home;

    record Result(int exit, String output)
    {
    }

    private Result tessera(String... args) throws Exception
    {
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
    void stopAll() throws Exception
    {
        if (home != null)
        {
            tessera("stop");
        }
    }

    /** A failure a user caused: the exit status, one line naming what to do, no stack trace. */
    private static void assertOneLineFailure(Result r, int exit, String expected)
    {
        assertEquals(exit, r.exit(), r.output());
        assertTrue(r.output().contains(expected), "expected '" + expected + "' in: " + r.output());
        assertTrue(!r.output().contains("Exception") && !r.output().contains("\tat "), "no stack trace: " + r.output());
        assertEquals(1, r.output().strip().lines().count(), "one line: " + r.output());
    }

    private List<String> pidFiles() throws Exception
    {
        final List<String> pids = new ArrayList<>();
        final Path nodes = home.resolve("nodes");
        if (Files.isDirectory(nodes))
        {
            try (Stream<Path> files = Files.list(nodes))
            {
                files.forEach(p -> pids.add(p.getFileName().toString()));
            }
        }
        return pids;
    }

    @Test
    void shouldStartQueryUseAndStopAClusterFromTheCommandLine() throws Exception
    {
        home = Files.createTempDirectory("tessera-cli");
        final int port = ClusterFaultTest.freePort();
        final Result head = tessera("start", "--head", "--port", String.valueOf(port), "--cpus", "1", "--object-store", "256m");
        assertEquals(0, head.exit(), head.output());
        // the dashboard is on this class path (as on bin/tessera's): start says where it serves
        assertTrue(head.output().contains("tessera: dashboard at http://127.0.0.1:"), head.output());
        assertTrue(head.output().contains("tessera: metrics at http://127.0.0.1:"), "--metrics-port 0: " + head.output());
        assertTrue(Files.exists(home.resolve("head-" + port + ".token")), "token written for the head's user");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(home.resolve("head-" + port + ".token"))));
        assertOwnerOnly(home, home.resolve("nodes"), home.resolve("logs"), home.resolve("journal-" + port));
        try (Stream<Path> logs = Files.list(home.resolve("logs")))
        {
            // the head's log, as 'tessera start' launched it: one line per record (NodeLogFormatTest's format)
            final Path headLog = logs.filter(Files::isRegularFile).findFirst().orElseThrow();
            final List<String> lines = NodeLogFormatTest.assertOneLinePerRecord(headLog);
            assertTrue(lines.stream().anyMatch(l -> l.contains(" INFO NodeMain - node ")), String.join("\n", lines));
        }
        try (Stream<Path> files = Stream.concat(Files.list(home.resolve("nodes")), Files.list(home.resolve("logs"))))
        {
            for (Path f : files.toList())
            {
                // files 0600; a node's directory of per-job task output 0700
                final String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
                assertEquals(Files.isDirectory(f) ? "rwx------" : "rw-------", mode, f.toString());
            }
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("head.address"))));
        final String address = "127.0.0.1:" + port;
        assertOneLineFailure(tessera("start", "--head", "--port", String.valueOf(port)), 1,
            "port " + port + " on 127.0.0.1 is already in use: give another --port");

        // --help prints usage and does nothing else: the head keeps running, no node is started
        final List<String> before = pidFiles();
        for (String command : List.of("start", "stop", "status", "submit", "demo", "flags", "list", "get", "summary", "timeline"))
        {
            final Result help = tessera(command, "--help");
            assertEquals(0, help.exit(), help.output());
            assertTrue(help.output().startsWith("Usage: tessera " + command), help.output());
        }
        assertEquals(before, pidFiles(), "--help started or stopped nothing");
        assertEquals(0, tessera("status", "--address", address).exit(), "the head still runs after stop --help");

        final Result worker = tessera("start", "--address", address, "--cpus", "2", "--resource", "special=2",
            "--resource", "alpha=0.5");
        assertEquals(0, worker.exit(), worker.output());

        final Result status = tessera("status", "--address", address);
        assertEquals(0, status.exit(), status.output());
        assertTrue(status.output().contains("nodes: 2 alive"), status.output());
        assertTrue(status.output().matches("(?s).*metrics \\(Prometheus, /metrics\\):\n  node-\\S+ 127\\.0\\.0\\.1:\\d+\n"
            + "  node-\\S+ 127\\.0\\.0\\.1:\\d+\n.*"), "where both nodes serve metrics: " + status.output());
        assertTrue(status.output().matches("(?s).*total \\{CPU=2, GPU=0, memory=[0-9.]+ [KMGT]iB, alpha=0.5, special=2}.*"),
            "resources sorted, in human units: " + status.output());
        assertTrue(!status.output().contains("E10") && !status.output().contains("CPU=1.0"), status.output());

        final String testClasses = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(p -> p.endsWith("test-classes")).findFirst().orElseThrow();
        final Result submitted = tessera("submit", "--address", address, testClasses, SubmittedApp.class.getName(), "41");
        assertEquals(0, submitted.exit(), submitted.output());
        assertTrue(submitted.output().contains("submitted app result: 42"), submitted.output());
        final Result echoed = tessera("submit", testClasses, EchoArgsApp.class.getName(), "--foo", "7", "--address", "x", "--help");
        assertEquals(0, echoed.exit(), echoed.output());
        assertTrue(echoed.output().contains("app args: [--foo, 7, --address, x, --help]"), "passed on untouched: " + echoed.output());
        assertOneLineFailure(tessera("submit", "--adress", address, testClasses, EchoArgsApp.class.getName()), 2,
            "tessera submit: Unknown option: '--adress' (did you mean --address?)");
        assertOneLineFailure(tessera("submit", "no-such-app.jar", "com.example.Main"), 2, "no such file: no-such-app.jar");
        assertOneLineFailure(tessera("submit", testClasses, "com.example.Missing"), 2, "no class com.example.Missing in");
        final Result after = tessera("status", "--address", address);
        assertTrue(after.output().matches("(?s).*tasks run [1-9][0-9]*, scheduler errors 0.*"), after.output());
        assertTrue(!after.output().contains("INFO"), "status prints the report only: " + after.output());

        final Result stopped = tessera("stop");
        assertTrue(stopped.output().contains("stopped 2 node(s)"), stopped.output());
        assertOneLineFailure(tessera("status", "--address", address), 1, "cannot reach " + address);
        assertOneLineFailure(tessera("status"), 1, "cannot reach " + address + " (from " + home.resolve("head.address"));
        assertEquals(List.of(), pidFiles());
    }

    @Test
    void shouldRefuseBadCommandLinesWithOneLineAndExitStatus() throws Exception
    {
        home = Files.createTempDirectory("tessera-cli-bad");
        assertOneLineFailure(tessera("start", "--bogus-flag", "7"), 2, "tessera start: Unknown options: '--bogus-flag'");
        assertOneLineFailure(tessera("start", "--head", "--cpu", "4"), 2, "(did you mean --cpus?)");
        assertOneLineFailure(tessera("start", "--address", "foo"), 2, "'foo' is not HOST:PORT (e.g. 127.0.0.1:6380)");
        assertOneLineFailure(tessera("start", "--head", "--port", "abc"), 2, "Invalid value for option '--port': 'abc' is not an int");
        assertOneLineFailure(tessera("start"), 2, "give --head to start a head, or --address HOST:PORT to join one");
        assertOneLineFailure(tessera("start", "--address", "127.0.0.1:1", "--dashboard-port", "8000"), 2,
            "--dashboard-port goes with --head");
        assertOneLineFailure(tessera("start", "--head", "--dashboard-port", "70000"), 2, "--dashboard-port must be 0 to 65535, got 70000");
        assertOneLineFailure(tessera("start", "--address", "127.0.0.1:1"), 1, "cannot reach 127.0.0.1:1: start a head");
        assertOneLineFailure(tessera("status"), 1, "no cluster known here");
        assertOneLineFailure(tessera("submit", "app.jar"), 2, "Missing required parameter: 'MAIN'");
        assertOneLineFailure(tessera("stpo"), 2, "Unmatched argument at index 0: 'stpo'");
        assertEquals(List.of(), pidFiles(), "nothing was started");

        final Result verbose = tessera("status", "--address", "127.0.0.1:1", "--verbose");
        assertEquals(1, verbose.exit(), verbose.output());
        assertTrue(verbose.output().contains("at io.tessera.cli."), "--verbose shows the stack: " + verbose.output());

        final Result version = tessera("--version");
        assertEquals(0, version.exit(), version.output());
        assertTrue(version.output().matches("tessera \\d+\\.\\d+\\.\\d+\\S* \\(Java .*\\)\\s*"), version.output());
        final Result usage = tessera();
        assertEquals(0, usage.exit(), usage.output());
        assertTrue(usage.output().contains("Commands:") && usage.output().contains("submit"), usage.output());
    }

    @Test
    void shouldNotKillAnUnrelatedProcessThroughAStalePidFile() throws Exception
    {
        home = Files.createTempDirectory("tessera-cli");
        final Path nodes = Files.createDirectories(home.resolve("nodes"));
        // A node killed -9 leaves its pid file; the pid then goes to another process (here a sleep,
        // another user's when this runs as root).
        final List<String> sleep = OtherUser.available()
            ? List.of("setpriv", "--reuid=" + OtherUser.UID, "--regid=" + OtherUser.UID, "--clear-groups", "sleep", "600")
            : List.of("sleep", "600");
        final Process reused = new ProcessBuilder(sleep).start();
        final Process reusedOldFormat = new ProcessBuilder(sleep).start();
        try
        {
            final long startMs = reused.toHandle().info().startInstant().orElseThrow().toEpochMilli();
            Files.writeString(nodes.resolve(reused.pid() + ".pid"), "worker 127.0.0.1:1 " + (startMs - 60_000) + "\n");
            Files.writeString(nodes.resolve(reusedOldFormat.pid() + ".pid"), "worker 127.0.0.1:2\n");

            final Result stopped = tessera("stop");
            assertTrue(stopped.output().contains("stopped 0 node(s)"), stopped.output());
            assertTrue(reused.isAlive(), "tessera stop killed a process that merely reused a node's pid");
            assertTrue(reusedOldFormat.isAlive(), "tessera stop killed a process that is not a Tessera node");
            try (Stream<Path> left = Files.list(nodes))
            {
                assertEquals(0, left.count(), "stale pid files are removed");
            }
        }
        finally
        {
            reused.destroyForcibly();
            reusedOldFormat.destroyForcibly();
        }
    }

    private static void assertOwnerOnly(Path... dirs) throws Exception
    {
        for (Path d : dirs)
        {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)), d.toString());
        }
    }
}
