package io.tessera.internal.cluster;

import io.tessera.TesseraException;
import io.tessera.memory.OwnerOnly;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Where this user's nodes keep their state on a host: {@code tessera.home} / {@code TESSERA_HOME},
 * else {@code ~/.tessera}. Holds the head's token (readable by its user only), pid and ready files
 * of the nodes this user started, their logs, and the node's class-path cache. Every directory here
 * is owner-only (0700; an existing one must belong to this user and is set to 0700), every file
 * Tessera writes here is 0600.
 * <pre>
 * $TESSERA_HOME/
 *   head-&lt;port&gt;.token      the cluster token of the head listening on &lt;port&gt; (0600)
 *   head.address           the address of the last head started here
 *   nodes/&lt;pid&gt;.pid        one per node this user started: role, address, process start (epoch ms)
 *   logs/node-&lt;pid&gt;.log
 *   logs/&lt;node-id&gt;/job-&lt;job&gt;.log   what the job's tasks printed on that node
 *   cache/&lt;sha256&gt;.jar     shipped job class-path entries
 *   journal-&lt;port&gt;/        the head's Chronicle Queue journal
 * </pre>
 */
public final class ClusterHome
{
    private final Path dir;

    private ClusterHome(Path dir)
    {
        this.dir = dir;
    }

    public static ClusterHome resolve()
    {
        String d = System.getProperty("tessera.home");
        if (d == null || d.isBlank())
        {
            d = System.getenv("TESSERA_HOME");
        }
        final Path p = d != null && !d.isBlank() ? Path.of(d) : Path.of(System.getProperty("user.home"), ".tessera");
        return new ClusterHome(p);
    }

    public Path dir()
    {
        return dir;
    }

    public Path nodesDir()
    {
        return mkdirs(dir.resolve("nodes"));
    }

    public Path logsDir()
    {
        return mkdirs(dir.resolve("logs"));
    }

    public Path cacheDir()
    {
        return mkdirs(dir.resolve("cache"));
    }

    public Path journalDir(int port)
    {
        return mkdirs(dir.resolve("journal-" + port));
    }

    public Path tokenFile(int port)
    {
        return dir.resolve("head-" + port + ".token");
    }

    public Path headAddressFile()
    {
        return dir.resolve("head.address");
    }

    /** The token of the head on {@code port}: the existing one (a restarted head keeps it) or a new random one. */
    public String createToken(int port)
    {
        final String existing = readToken(port);
        if (existing != null)
        {
            return existing;
        }
        final String token = randomToken();
        writeToken(port, token);
        return token;
    }

    /** 32 random bytes as hex. */
    public static String randomToken()
    {
        final byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }

    /** Writes the token of the head on {@code port}, readable by this user only. */
    public void writeToken(int port, String token)
    {
        mkdirs(dir);
        writePrivate(tokenFile(port), token);
    }

    /**
     * Replaces {@code file} (in a directory of this home) by one holding {@code content}, mode 0600,
     * atomically: readers see the old content or the new, never a part.
     */
    public static void writePrivate(Path file, String content)
    {
        try
        {
            final Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(OwnerOnly.FILE));
            try
            {
                Files.writeString(tmp, content);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            finally
            {
                Files.deleteIfExists(tmp);
            }
        }
        catch (IOException ex)
        {
            throw new TesseraException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** Creates {@code file} empty, mode 0600 (a log the node then appends to); it must not exist. */
    public static Path createPrivate(Path file)
    {
        try
        {
            return Files.createFile(file, PosixFilePermissions.asFileAttribute(OwnerOnly.FILE));
        }
        catch (IOException ex)
        {
            throw new TesseraException("cannot create " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** System property naming the node's own log file ({@code tessera start} sets it), which {@code tessera logs --node} reads. */
    public static final String LOG_FILE_PROPERTY = "tessera.logFile";

    /** The directory of the per-job task output files of node {@code nodeId}: {@code logs/<nodeId>/job-<job>.log}. */
    public Path jobLogsDir(String nodeId)
    {
        return mkdirs(logsDir().resolve(safeName(nodeId)));
    }

    /** {@code name} with every character but letters, digits, '.', '_' and '-' replaced, so that it names one file. */
    static String safeName(String name)
    {
        final String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.chars().allMatch(ch -> ch == '.') ? "_" + s : s;
    }

    /**
     * Deletes old node logs: beyond the newest {@code tessera.logsKeep} (default 50) files, those not
     * written for {@code tessera.logsMaxAgeHours} (default 7 days; a running node's log is written to,
     * so it stays). The per-job files under {@code logs/<node-id>/} go by the same rule, per node, and a
     * node's directory goes once it is empty. Returns how many files went.
     */
    public int pruneLogs()
    {
        final int keep = Integer.getInteger("tessera.logsKeep", 50);
        final long maxAgeMs = java.util.concurrent.TimeUnit.HOURS.toMillis(Long.getLong("tessera.logsMaxAgeHours", 24 * 7));
        int deleted = 0;
        try (java.util.stream.Stream<Path> dirs = Files.list(logsDir()))
        {
            for (Path d : dirs.filter(Files::isDirectory).toList())
            {
                deleted += prune(d, keep, maxAgeMs);
                try (java.util.stream.Stream<Path> left = Files.list(d))
                {
                    if (left.findAny().isEmpty())
                    {
                        Files.deleteIfExists(d);
                    }
                }
            }
            deleted += prune(logsDir(), keep, maxAgeMs);
        }
        catch (IOException | RuntimeException ex)
        {
            LoggerFactory.getLogger(ClusterHome.class).warn("cannot prune the logs in {}: {}",
                dir.resolve("logs"), ex.getMessage());
        }
        return deleted;
    }

    private static int prune(Path logs, int keep, long maxAgeMs) throws IOException
    {
        final long now = System.currentTimeMillis();
        int deleted = 0;
        try (java.util.stream.Stream<Path> files = Files.list(logs))
        {
            final java.util.List<Path> all = files.filter(f -> f.getFileName().toString().endsWith(".log"))
                .sorted(java.util.Comparator.comparingLong((Path f) -> f.toFile().lastModified()).reversed()).toList();
            for (Path f : all.subList(Math.min(keep, all.size()), all.size()))
            {
                if (now - f.toFile().lastModified() > maxAgeMs && Files.deleteIfExists(f))
                {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** The token of a head on this host listening on {@code port}, or null. */
    public String readToken(int port)
    {
        final Path f = tokenFile(port);
        try
        {
            return Files.isReadable(f) ? Files.readString(f).trim() : null;
        }
        catch (IOException ex)
        {
            return null;
        }
    }

    private Path mkdirs(Path p)
    {
        try
        {
            OwnerOnly.directory(dir);
            return p.equals(dir) ? dir : OwnerOnly.directory(p);
        }
        catch (IOException ex)
        {
            throw new TesseraException("cannot create " + p + ": " + ex.getMessage(), ex);
        }
    }
}
