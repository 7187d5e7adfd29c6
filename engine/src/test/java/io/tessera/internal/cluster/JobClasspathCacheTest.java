package io.tessera.internal.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node's class-path cache: a finished job's loader lets go of its jars; the cache and the logs stay bounded. */
@Timeout(60)
class JobClasspathCacheTest
{
    @AfterEach
    void clearProperties()
    {
        System.clearProperty("tessera.cacheMaxBytes");
        System.clearProperty("tessera.logsKeep");
        System.clearProperty("tessera.logsMaxAgeHours");
        System.clearProperty("tessera.home");
    }

    private static byte[] jar(String resource, int filler) throws IOException
    {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b))
        {
            z.putNextEntry(new ZipEntry(resource));
            final byte[] noise = new byte[filler];
            new java.util.Random(resource.hashCode()).nextBytes(noise);  // incompressible: the jar is about filler bytes
            z.write(noise);
            z.closeEntry();
        }
        return b.toByteArray();
    }

    private static long openHandlesTo(Path file) throws IOException
    {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.filter(fd ->
            {
                try
                {
                    return Files.readSymbolicLink(fd).toString().startsWith(file.toString());
                }
                catch (IOException | UnsupportedOperationException gone)
                {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void shouldCloseAFinishedJobsLoaderAndLetGoOfItsJars() throws Exception
    {
        final Path dir = Files.createTempDirectory("tessera-cache");
        final JobClasspath.Cache cache = new JobClasspath.Cache(dir);
        final byte[] bytes = jar("job-a.txt", 100);
        final String hash = JobClasspath.sha256(bytes);
        cache.put(hash, bytes);
        final ClassLoader loader = cache.loader("job-a", List.of(hash));
        try (var in = loader.getResourceAsStream("job-a.txt"))
        {
            assertNotNull(in);
            assertEquals(100, in.readAllBytes().length);
        }
        assertEquals(1, cache.openLoaders());
        assertTrue(openHandlesTo(dir.resolve(hash + ".jar")) > 0, "the loader has the jar open");
        assertTrue(cache.close("job-a"));
        assertEquals(0, cache.openLoaders());
        assertEquals(0, openHandlesTo(dir.resolve(hash + ".jar")), "the closed loader let go of the jar");
        assertFalse(cache.close("job-a"), "closing twice is harmless");
    }

    @Test
    void shouldEvictLeastRecentlyUsedEntriesNoLiveJobUses() throws Exception
    {
        System.setProperty("tessera.cacheMaxBytes", String.valueOf(3 * 4096 + 1024));
        final Path dir = Files.createTempDirectory("tessera-cache");
        final JobClasspath.Cache cache = new JobClasspath.Cache(dir);
        final String[] hashes = new String[5];
        for (int i = 0; i < hashes.length; i++)
        {
            final byte[] b = jar("e" + i, 4000);
            hashes[i] = JobClasspath.sha256(b);
            if (i == 0)
            {
                cache.put(hashes[i], b);
                cache.loader("live", List.of(hashes[0]));  // a live job's entry stays whatever its age
                dir.resolve(hashes[0] + ".jar").toFile().setLastModified(1_000);
            }
            else
            {
                cache.put(hashes[i], b);
                dir.resolve(hashes[i] + ".jar").toFile().setLastModified(10_000L * i + System.currentTimeMillis() - 3_600_000);
            }
        }
        cache.prune();
        assertTrue(cache.has(hashes[0]), "in use by a live job");
        assertFalse(cache.has(hashes[1]), "least recently used went first");
        assertFalse(cache.has(hashes[2]));
        assertTrue(cache.has(hashes[3]));
        assertTrue(cache.has(hashes[4]));
        cache.close("live");
        assertFalse(cache.has(hashes[0]), "unused for longer than the age limit once its job ended: gone");
        assertTrue(cache.has(hashes[3]) && cache.has(hashes[4]), "recent and within the size limit: kept");
    }

    @Test
    void shouldPruneOldLogsBeyondTheNewest() throws Exception
    {
        final Path home = Files.createTempDirectory("tessera-home");
        System.setProperty("tessera.home", home.toString());
        System.setProperty("tessera.logsKeep", "2");
        System.setProperty("tessera.logsMaxAgeHours", "1");
        final ClusterHome h = ClusterHome.resolve();
        final long now = System.currentTimeMillis();
        for (int i = 0; i < 5; i++)
        {
            final Path log = Files.writeString(h.logsDir().resolve("node-" + i + ".log"), "x");
            log.toFile().setLastModified(i < 4 ? now - 7_200_000 - i * 1000 : now);
        }
        assertEquals(3, h.pruneLogs());
        assertTrue(Files.exists(h.logsDir().resolve("node-4.log")), "recent");
        assertTrue(Files.exists(h.logsDir().resolve("node-0.log")), "newest of the old ones: within the kept count");
        assertFalse(Files.exists(h.logsDir().resolve("node-3.log")));
    }
}
