package io.tessera.internal.cluster;

import io.tessera.TesseraException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A driver's classes travel to the nodes by themselves, as Ray ships a job's working directory:
 * each class-path entry (a jar, or a class directory packed into a jar with fixed timestamps) is
 * named by its SHA-256; a node fetches the entries it lacks once, caches them by hash, and runs the
 * job's tasks in a class loader over them (parent: the node's own class path, so Tessera's classes
 * are shared).
 */
final class JobClasspath
{
    /** One class-path entry as shipped: its hash and, on the driver, its bytes. */
    record Entry(String name, String sha256, long size)
    {
    }

    /**
     * Largest class-path entry a node accepts from a peer ({@code tessera.maxClasspathEntryBytes},
     * default 256 MiB): the size is announced by the peer and allocated before the bytes arrive.
     */
    static final long MAX_ENTRY_BYTES = Long.getLong("tessera.maxClasspathEntryBytes", 256L << 20);
    private static final java.util.regex.Pattern HASH = java.util.regex.Pattern.compile("^[0-9a-f]{64}$");

    private final Map<String, byte[]> bytesByHash = new ConcurrentHashMap<>();
    private final List<Entry> entries = new ArrayList<>();

    /** Packs the given class path (the driver's {@code java.class.path}), skipping entries the nodes already have. */
    JobClasspath(String classPath, java.util.Set<String> skipHashes)
    {
        for (String p : classPath.split(File.pathSeparator))
        {
            if (p.isBlank())
            {
                continue;
            }
            final Path path = Path.of(p);
            final byte[] bytes;
            try
            {
                if (Files.isDirectory(path))
                {
                    bytes = packDirectory(path);
                }
                else if (Files.isRegularFile(path))
                {
                    bytes = Files.readAllBytes(path);
                }
                else
                {
                    continue;
                }
            }
            catch (IOException ex)
            {
                throw new UncheckedIOException("cannot read class-path entry " + path, ex);
            }
            final String hash = sha256(bytes);
            if (skipHashes.contains(hash))
            {
                continue;
            }
            bytesByHash.put(hash, bytes);
            entries.add(new Entry(path.getFileName().toString(), hash, bytes.length));
        }
    }

    List<Entry> entries()
    {
        return entries;
    }

    /** The bytes of an entry by hash, or null. */
    byte[] bytes(String hash)
    {
        return bytesByHash.get(hash);
    }

    /** SHA-256 of every entry of this JVM's class path, packed as a driver packs it (what a node need not be sent). */
    static java.util.Set<String> ownHashes()
    {
        final java.util.Set<String> out = new java.util.HashSet<>();
        for (String p : System.getProperty("java.class.path", "").split(File.pathSeparator))
        {
            final Path path = Path.of(p);
            try
            {
                if (Files.isRegularFile(path))
                {
                    out.add(sha256(Files.readAllBytes(path)));
                }
                else if (Files.isDirectory(path))
                {
                    out.add(sha256(packDirectory(path)));
                }
            }
            catch (IOException ignoredUnreadableEntry)
            {
                // an entry we cannot read is one we will simply be sent again
            }
        }
        return out;
    }

    /** Up to {@code max} bytes of an entry from {@code offset}, or null when the entry is unknown. */
    byte[] chunk(String hash, long offset, int max)
    {
        final byte[] all = bytesByHash.get(hash);
        return all == null ? null : slice(all, offset, max);
    }

    static byte[] slice(byte[] all, long offset, int max)
    {
        final int from = (int) Math.min(offset, all.length);
        return java.util.Arrays.copyOfRange(all, from, Math.min(all.length, from + max));
    }

    /** True for a SHA-256 as this class writes it: 64 lower-case hex digits. */
    static boolean isHash(String hash)
    {
        return hash != null && HASH.matcher(hash).matches();
    }

    static String sha256(byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] packDirectory(Path dir) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out); Stream<Path> files = Files.walk(dir))
        {
            final List<Path> sorted = files.filter(Files::isRegularFile).sorted().toList();
            for (Path f : sorted)
            {
                final ZipEntry e = new ZipEntry(dir.relativize(f).toString().replace(File.separatorChar, '/'));
                e.setTime(0);
                zip.putNextEntry(e);
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /**
     * A node's cache of shipped entries, by hash, and the class loader of each job. A job's loader is
     * closed when the job ends; the cache is kept under {@code tessera.cacheMaxBytes} (default 1 GiB)
     * by deleting the least recently used entries no live job uses, and entries unused for
     * {@code tessera.cacheMaxAgeHours} (default 7 days) go too.
     */
    static final class Cache
    {
        private static final Logger LOG = LoggerFactory.getLogger(JobClasspath.class);
        private final Path dir;
        private final long maxBytes = Long.getLong("tessera.cacheMaxBytes", 1L << 30);
        private final long maxAgeMs = TimeUnit.HOURS.toMillis(Long.getLong("tessera.cacheMaxAgeHours", 24 * 7));
        private static final String LOADER_PREFIX = "tessera-job-";
        private final Map<String, ClassLoader> loaders = new ConcurrentHashMap<>();
        private final Map<String, List<Entry>> jobEntries = new ConcurrentHashMap<>();

        /** The job whose shipped class path defined classes of {@code loader}, or null. */
        static String jobOf(ClassLoader loader)
        {
            for (ClassLoader l = loader; l != null; l = l.getParent())
            {
                final String name = l.getName();
                if (name != null && name.startsWith(LOADER_PREFIX))
                {
                    return name.substring(LOADER_PREFIX.length());
                }
            }
            return null;
        }

        /** The entries cached for a job (to forward to another node), or null when the job is unknown here. */
        List<Entry> entries(String jobId)
        {
            return jobEntries.get(jobId);
        }

        Cache(Path dir)
        {
            this.dir = dir;
            try
            {
                Files.createDirectories(dir);
            }
            catch (IOException ex)
            {
                throw new UncheckedIOException("cannot create the class-path cache " + dir, ex);
            }
        }

        /** The cached bytes of an entry, or null (also for anything that is not a SHA-256 in hex). */
        byte[] read(String hash)
        {
            try
            {
                return has(hash) ? Files.readAllBytes(file(hash)) : null;
            }
            catch (IOException ex)
            {
                return null;
            }
        }

        boolean has(String hash)
        {
            return isHash(hash) && Files.isRegularFile(file(hash));
        }

        /** Stores an entry after checking its hash. */
        void put(String hash, byte[] bytes)
        {
            final String actual = sha256(bytes);
            if (!actual.equals(hash))
            {
                throw new TesseraException("class-path entry " + hash + " arrived with hash " + actual + "; refusing it");
            }
            try
            {
                final Path tmp = Files.createTempFile(dir, hash, ".part");
                Files.write(tmp, bytes);
                Files.move(tmp, file(hash), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (IOException ex)
            {
                throw new UncheckedIOException("cannot cache class-path entry " + hash + " in " + dir, ex);
            }
            prune();
        }

        /**
         * Closes a finished job's loader (its jar files are let go), forgets its entries and prunes the cache; true
         * when it had a loader.
         */
        boolean close(String jobId)
        {
            jobEntries.remove(jobId);
            final ClassLoader l = loaders.remove(jobId);
            if (l instanceof URLClassLoader u)
            {
                try
                {
                    u.close();
                }
                catch (IOException ex)
                {
                    LOG.warn("cannot close the class loader of job {}: {}", jobId, ex.getMessage());
                }
            }
            prune();
            return l != null;
        }

        /** Number of job class loaders open now. */
        int openLoaders()
        {
            return loaders.size();
        }

        /**
         * Deletes entries no live job uses that are older than the age limit, then the least recently
         * used of the rest until the cache fits its size limit; stale partial downloads go too.
         */
        synchronized void prune()
        {
            final java.util.Set<String> inUse = new java.util.HashSet<>();
            jobEntries.values().forEach(es -> es.forEach(e -> inUse.add(e.sha256())));
            final long now = System.currentTimeMillis();
            final List<Path> unused = new ArrayList<>();
            long total = 0;
            try (Stream<Path> files = Files.list(dir))
            {
                for (Path f : files.toList())
                {
                    final String name = f.getFileName().toString();
                    final long modified = Files.getLastModifiedTime(f).toMillis();
                    if (name.endsWith(".part"))
                    {
                        if (now - modified > TimeUnit.HOURS.toMillis(1))
                        {
                            Files.deleteIfExists(f);
                        }
                        continue;
                    }
                    if (!name.endsWith(".jar"))
                    {
                        continue;
                    }
                    final long size = Files.size(f);
                    if (inUse.contains(name.substring(0, name.length() - 4)))
                    {
                        total += size;
                    }
                    else if (now - modified > maxAgeMs)
                    {
                        Files.deleteIfExists(f);
                    }
                    else
                    {
                        total += size;
                        unused.add(f);
                    }
                }
                unused.sort(java.util.Comparator.comparingLong(f -> f.toFile().lastModified()));
                for (Path f : unused)
                {
                    if (total <= maxBytes)
                    {
                        break;
                    }
                    total -= Files.size(f);
                    Files.deleteIfExists(f);
                }
            }
            catch (IOException ex)
            {
                LOG.warn("cannot prune the class-path cache {}: {}", dir, ex.getMessage());
            }
        }

        /** The loader of a job (created once from its entries, all of which must be cached). */
        ClassLoader loader(String jobId, List<String> hashes)
        {
            jobEntries.computeIfAbsent(jobId, id ->
            {
                final List<Entry> es = new ArrayList<>();
                for (String h : hashes)
                {
                    es.add(new Entry(h + ".jar", h, file(h).toFile().length()));
                }
                return List.copyOf(es);
            });
            return loaders.computeIfAbsent(jobId, id ->
            {
                final URL[] urls = new URL[hashes.size()];
                for (int i = 0; i < urls.length; i++)
                {
                    try
                    {
                        // the last use is the file's time: the cache forgets the least recently used first
                        file(hashes.get(i)).toFile().setLastModified(System.currentTimeMillis());
                        urls[i] = file(hashes.get(i)).toUri().toURL();
                    }
                    catch (MalformedURLException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                }
                return new URLClassLoader(LOADER_PREFIX + id, urls, JobClasspath.class.getClassLoader());
            });
        }

        ClassLoader loader(String jobId)
        {
            final ClassLoader l = loaders.get(jobId);
            return l != null ? l : JobClasspath.class.getClassLoader();
        }

        /** The cache file of an entry; refuses anything but 64 lower-case hex digits (a peer names it). */
        private Path file(String hash)
        {
            if (!isHash(hash))
            {
                throw new TesseraException("not a class-path entry hash (64 hex digits): "
                    + (hash == null ? "null" : hash.length() > 80 ? hash.substring(0, 80) + "..." : hash));
            }
            return dir.resolve(hash + ".jar");
        }
    }
}
