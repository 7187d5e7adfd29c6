package io.tessera.jmh.peer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Hazelcast member in a child JVM ({@link HazelcastMemberMain}) on the benchmark JVM's class path.
 * The child exits when {@link #close()} closes its standard input, or when this JVM dies.
 */
final class RemoteMember implements AutoCloseable
{
    private final Process process;

    private RemoteMember(Process process)
    {
        this.process = process;
    }

    /**
     * Starts the child listening on {@code port} and looking for {@code peerPort}. It reports ready
     * only once the local member has joined it, so call {@link #awaitReady(long)} after starting that one.
     */
    static RemoteMember launch(String clusterName, int port, int peerPort)
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        command.add("-Xmx512m");
        command.add("-XX:+UseParallelGC");
        command.add("--sun-misc-unsafe-memory-access=allow"); // Hazelcast's shaded JCTools, as in the benchmark JVM
        command.addAll(Arrays.asList(HazelcastMembers.JVM_OPTIONS));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(HazelcastMemberMain.class.getName());
        command.add(clusterName);
        command.add(Integer.toString(port));
        command.add(Integer.toString(peerPort));
        try
        {
            return new RemoteMember(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        catch (IOException e)
        {
            throw new UncheckedIOException("could not start the second Hazelcast member: " + command, e);
        }
    }

    /** Waits for the child's ready line; fails naming its exit status when it dies or stays silent. */
    void awaitReady(long timeoutMs)
    {
        final CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("hazelcast-member-stdout").start(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String l;
                while ((l = in.readLine()) != null)
                {
                    if (l.equals(HazelcastMemberMain.READY))
                    {
                        ready.complete(true);
                    }
                }
            }
            catch (IOException e)
            {
                // the pipe closed with the child; its exit status says why
            }
            ready.complete(false);
        });
        boolean ok;
        try
        {
            ok = ready.get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException | ExecutionException e)
        {
            ok = false;
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
            ok = false;
        }
        if (!ok)
        {
            final String state = process.isAlive() ? "still silent" : "exited with " + process.exitValue();
            process.destroyForcibly();
            throw new IllegalStateException("second Hazelcast member not ready after " + timeoutMs + " ms (" + state + ")");
        }
    }

    @Override
    public void close()
    {
        try
        {
            process.getOutputStream().close();
            if (!process.waitFor(20, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (IOException e)
        {
            process.destroyForcibly();
        }
        catch (InterruptedException e)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
