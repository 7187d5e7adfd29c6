package io.tessera.nativetests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.nativetests.Jvm;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tessera's artifacts ship no SLF4J binding: an application with Logback on its class path gets
 * Tessera's, Netty's and Chronicle's records through Logback, with no "multiple SLF4J providers"
 * warning and nothing left on {@code java.util.logging}.
 */
class LoggingBindingTest
{

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldLogThroughTheApplicationsLogbackWithNoSecondProvider() throws Exception
    {
        final String userLogging = System.getProperty("tessera.test.userLogging", "");
        assertTrue(userLogging.contains("logback-classic"), "surefire passes Logback's jars: " + userLogging);
        // what a user's build resolves from tessera-engine (the optional slf4j-simple is not part of it), plus Logback
        final String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(p -> !Path.of(p).getFileName().toString().startsWith("slf4j-simple"))
            .collect(Collectors.joining(File.pathSeparator)) + File.pathSeparator + userLogging;
        final String config = Path.of(LoggingBindingTest.class.getResource("logback-app.xml").toURI()).toString();

        try (ClusterFixture cluster = new ClusterFixture("logging"))
        {
            cluster.startHead(0);
            final List<String> cmd = Jvm.command("1g", classPath);
            cmd.add("-Dlogback.configurationFile=" + config);
            cmd.add(LogbackApp.class.getName());
            final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("TESSERA_HOME", cluster.home.toString());
            pb.environment().put("TESSERA_TOKEN", ClusterFixture.TOKEN);
            pb.environment().put("TESSERA_ADDRESS", cluster.headAddress());
            final Path log = cluster.logs.resolve("app.log");
            pb.redirectOutput(log.toFile());
            final Process app = pb.start();
            final boolean exited = app.waitFor(60, TimeUnit.SECONDS);
            final String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(exited, out);
            assertEquals(0, app.exitValue(), out);
            assertTrue(out.contains("logback app result: 42"), out);
            assertFalse(out.contains("multiple SLF4J providers"), out);
            assertFalse(out.contains("SLF4J(W)"), out);
            assertFalse(out.contains("SLF4J(E)"), out);
            assertTrue(out.contains("LOGBACK INFO [io.tessera.internal.cluster.ClusterMember] DRIVER "),
                "Tessera's records reach Logback:\n" + out);
            assertTrue(out.contains("LOGBACK INFO [io.tessera.transport.Endpoint] tessera transport "),
                "the transport's records reach Logback:\n" + out);
            // java.util.logging's default format: "Dec 03, 2026 4:06:50 PM io.tessera.transport.Endpoint <init>" + "INFO: ..."
            assertFalse(out.lines().anyMatch(l -> l.matches("(SEVERE|WARNING|INFO|FINE): .*")),
                "no record goes to java.util.logging:\n" + out);
            assertTrue(out.contains("LOGBACK DEBUG [io.netty."), "Netty's SLF4J records reach Logback:\n" + out);
            assertTrue(out.lines().anyMatch(l -> l.startsWith("LOGBACK ") && l.contains("[net.openhft.")),
                "Chronicle's SLF4J records reach Logback:\n" + out);
        }
    }
}
