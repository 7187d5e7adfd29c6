package io.tessera.jmh.store;

import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.ObjectView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * get + release, in this process, of an object another JVM created, wrote and sealed: the owner
 * ({@link StoreOwnerMain}) runs in a child process that stays alive while we measure. Target: <= 5 us.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class CrossProcessGetLatency
{
    private Process owner;
    private ObjectStore store;
    private ObjectId id;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("--") || a.startsWith("-D")).toList());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StoreOwnerMain.class.getName());
        owner = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final BufferedReader reader = new BufferedReader(new InputStreamReader(owner.getInputStream(),
            StandardCharsets.UTF_8));
        final String line = reader.readLine();
        if (line == null || !line.startsWith("READY "))
        {
            owner.destroyForcibly();
            throw new IllegalStateException("owner process did not start: " + line);
        }
        final String[] parts = line.split(" ");
        store = ObjectStore.attach(Path.of(parts[1]));
        id = ObjectId.parse(parts[2]);
        final ObjectView view = store.get(id, TimeUnit.SECONDS.toNanos(10));
        if (view == null)
        {
            throw new IllegalStateException("object " + id + " not found in " + parts[1]);
        }
        store.release(id);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException, IOException
    {
        store.close();
        owner.getOutputStream().close();
        if (!owner.waitFor(10, TimeUnit.SECONDS))
        {
            owner.destroyForcibly();
        }
    }

    @Benchmark
    public void getRelease(final Blackhole bh)
    {
        final ObjectView view = store.get(id, 0);
        bh.consume(view.segment().address());
        store.release(id);
    }
}
