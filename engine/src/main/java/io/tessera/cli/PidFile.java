package io.tessera.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A node's {@code $TESSERA_HOME/nodes/<pid>.pid}: {@code role address startMs}. A pid alone names
 * whatever process has it now: after a {@code kill -9} the file stays and the pid may be reused by
 * an unrelated process. The process's start instant, written by the node itself, tells them apart.
 */
final class PidFile
{
    private PidFile()
    {
    }

    /** The start instant of a process in epoch ms, or 0 when the OS does not say. */
    static long startMs(ProcessHandle h)
    {
        return h.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    /**
     * The live node process {@code file} describes, or empty when the file is stale: no process has
     * that pid, or the process with it started at another instant than the node recorded (or, for a
     * file without a start instant, is not running {@code mainClass}, the node's main class).
     */
    static Optional<ProcessHandle> node(Path file, String mainClass)
    {
        final long pid;
        final String[] fields;
        try
        {
            pid = Long.parseLong(file.getFileName().toString().replace(".pid", ""));
            fields = Files.readString(file).trim().split(" ");
        }
        catch (NumberFormatException | IOException ex)
        {
            return Optional.empty();
        }
        final Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (h.isEmpty())
        {
            return h;
        }
        long recorded = 0;
        if (fields.length >= 3)
        {
            try
            {
                recorded = Long.parseLong(fields[2]);
            }
            catch (NumberFormatException ignoredOldFormat)
            {
                recorded = 0;
            }
        }
        final long actual = startMs(h.get());
        if (recorded != 0 && actual != 0)
        {
            return actual == recorded ? h : Optional.empty();
        }
        // no start instant on one side: only a process that is running a Tessera node qualifies
        return h.get().info().commandLine().filter(c -> c.contains(mainClass)).isPresent() ? h : Optional.empty();
    }
}
