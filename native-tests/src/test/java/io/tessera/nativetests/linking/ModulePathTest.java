package io.tessera.nativetests.linking;

import io.tessera.nativetests.cluster.ClusterFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tessera on the module path: a user's module ({@code requires io.tessera.engine}) is compiled with {@code javac
 * --module-path} against what {@code tessera-engine} brings a user (no test or optional dependencies), then run
 * with {@code java --module-path ... -m} and the module-path flag line, embedded and as a driver of a real cluster.
 * It runs a task, a put/get of a record and of a raw array, an actor, and sees a store refusal as the API's
 * exception with the store's as its cause.
 */
@Timeout(240)
class ModulePathTest
{
    private static final String MODULE_INFO = """
        module com.example.app
        {
            requires io.tessera.engine;
            // the engine reads task functions reflectively; Fory's generated serializers (in an unnamed module) and
            // the engine must reach the values' classes: opened to all
            opens com.example.app;
        }
        """;

    private static final String APP = """
        package com.example.app;

        import io.tessera.ActorHandle;
        import io.tessera.ObjectRef;
        import io.tessera.ObjectTooLargeForStoreException;
        import io.tessera.TaskContext;
        import io.tessera.Tessera;
        import io.tessera.TesseraConfig;

        public final class App
        {
            static int square(int x)
            {
                return x * x;
            }

            public static final class Counter
            {
                private long total;

                public Counter(long start)
                {
                    total = start;
                }

                public long add(long n)
                {
                    total += n;
                    return total;
                }
            }

            public record Point(int x, int y) implements java.io.Serializable
            {
            }

            public static void main(String[] args)
            {
                System.out.println("modules: app=" + App.class.getModule().getName() + " engine="
                    + Tessera.class.getModule().getName() + " memory=" + ObjectRef.class.getModule().getLayer()
                    .findModule("io.tessera.memory").map(Module::getName).orElse("none"));
                Tessera.init(TesseraConfig.builder().objectStoreBytes(32L << 20).build());
                try
                {
                    System.out.println("task: " + Tessera.task(App::square, 7).remote().get());
                    System.out.println("nodes: driver=" + TaskContext.current().nodeId() + " task="
                        + Tessera.task(App::where).remote().get());
                    final ObjectRef<Point> p = Tessera.put(new Point(3, 4));
                    System.out.println("put/get: " + Tessera.get(p));
                    System.out.println("raw: " + Tessera.get(Tessera.put(new double[1 << 18])).length);
                    System.out.println("task of a ref: " + Tessera.task(App::norm2, p).remote().get());
                    final ActorHandle<Counter> c = Tessera.actor(Counter::new, 10L).remote();
                    c.task(Counter::add, 5L).remote().get();
                    System.out.println("actor: " + c.task(Counter::add, 1L).remote().get());
                    try
                    {
                        Tessera.put(new byte[64 << 20]);
                        System.out.println("too large: accepted");
                    }
                    catch (ObjectTooLargeForStoreException e)
                    {
                        System.out.println("too large: " + e.getClass().getName() + " caused by " + e.getCause().getClass().getName()
                            + " same message " + e.getMessage().equals(e.getCause().getMessage()));
                    }
                }
                finally
                {
                    Tessera.shutdown();
                }
                System.out.println("done");
            }

            static String where()
            {
                return TaskContext.current().nodeId();
            }

            static int norm2(Point p)
            {
                return p.x() * p.x() + p.y() * p.y();
            }
        }
        """;

    private static final Pattern NODES = Pattern.compile("nodes: driver=(\\S+) task=(\\S+)");

    private Path work;
    private ClusterFixture cluster;

    @BeforeEach
    void compileTheApplication() throws IOException
    {
        work = Files.createTempDirectory("tessera-module-path");
        final Path src = work.resolve("src");
        Files.createDirectories(src.resolve("com/example/app"));
        Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(src.resolve("com/example/app/App.java"), APP);
        final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        final int rc = ToolProvider.getSystemJavaCompiler().run(null, diagnostics, diagnostics, "-d", work.resolve("out").toString(),
            "--module-path", userModulePath(), src.resolve("module-info.java").toString(),
            src.resolve("com/example/app/App.java").toString());
        assertEquals(0, rc, "javac --module-path: " + diagnostics.toString(StandardCharsets.UTF_8));
    }

    @AfterEach
    void cleanUp() throws Exception
    {
        if (cluster != null)
        {
            cluster.close();
        }
        try (Stream<Path> files = Files.walk(work))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void shouldRunTasksObjectsAndActorsAsAModulePathApplication() throws Exception
    {
        final String out = run(Map.of());
        assertRanEverything(out);
        final Matcher nodes = NODES.matcher(out);
        assertTrue(nodes.find(), out);
        assertEquals(nodes.group(1), nodes.group(2), "embedded: the task ran in the application's own node");
    }

    @Test
    void shouldRunAModulePathDriverAgainstAClusterOfClassPathNodes() throws Exception
    {
        cluster = new ClusterFixture("module-path");
        cluster.startHead(0, "--cpus", "0");
        cluster.startWorker("worker", "--cpus", "2");
        final String out = run(Map.of("TESSERA_ADDRESS", cluster.headAddress(), "TESSERA_TOKEN", ClusterFixture.TOKEN));
        assertRanEverything(out);
        final Matcher nodes = NODES.matcher(out);
        assertTrue(nodes.find(), out);
        // the head has no CPUs: the task ran on the worker, which loaded the application's classes from the
        // driver's module path (shipped as the job's class path)
        assertNotEquals(nodes.group(1), nodes.group(2), out);
    }

    private static void assertRanEverything(String out)
    {
        assertTrue(out.contains("modules: app=com.example.app engine=io.tessera.engine memory=io.tessera.memory"), out);
        assertTrue(out.contains("task: 49"), out);
        assertTrue(out.contains("put/get: Point[x=3, y=4]"), out);
        assertTrue(out.contains("raw: 262144"), out);
        assertTrue(out.contains("task of a ref: 25"), out);
        assertTrue(out.contains("actor: 16"), out);
        assertTrue(out.contains("too large: io.tessera.ObjectTooLargeForStoreException caused by "
            + "io.tessera.memory.ObjectTooLargeException same message true"), out);
        assertTrue(out.contains("done"), out);
        // the module-path flag line is complete: the engine's check finds nothing missing, the JVM nothing unknown
        assertFalse(out.contains("this JVM lacks"), out);
        assertFalse(out.contains("Unknown module"), out);
    }

    /** Runs the application on the module path; returns what it printed, after checking it exited 0. */
    private String run(Map<String, String> environment) throws Exception
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(Arrays.asList(System.getProperty("tessera.jvm.flags.modulepath").trim().split("\\s+")));
        cmd.add("-Xmx1g");
        cmd.add("--module-path");
        // slf4j-simple, as a user's binding: the engine's warnings (a missing flag) are printed
        cmd.add(work.resolve("out") + File.pathSeparator + userModulePath() + File.pathSeparator + slf4jSimple());
        cmd.add("-m");
        cmd.add("com.example.app/com.example.app.App");
        final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("TESSERA_ADDRESS");
        pb.environment().put("TESSERA_HOME", work.resolve("home").toString());
        pb.environment().putAll(environment);
        final Process p = pb.start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** What a user's build gets from tessera-engine: written by native-tests' pom (dependency:build-classpath). */
    private static String userModulePath() throws IOException
    {
        return Files.readString(Path.of(System.getProperty("tessera.test.userModulePath"))).trim();
    }

    private static String slf4jSimple()
    {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> Path.of(e).getFileName().toString().startsWith("slf4j-simple"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("slf4j-simple is not on the test class path"));
    }
}
