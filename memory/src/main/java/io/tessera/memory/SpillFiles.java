package io.tessera.memory;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The spill directory: one owner-only file per spilled object, named by its id, written with
 * {@code CREATE_NEW} and read without following links. Only I/O here; the entry state changes
 * around a spill or restore are the callers'.
 */
final class SpillFiles
{
    private static final long SPILL_CHUNK = 1L << 30;

    private final Path dir;

    SpillFiles(final Path dir)
    {
        this.dir = dir;
    }

    Path dir()
    {
        return dir;
    }

    Path file(final long hi, final long lo)
    {
        return dir.resolve(ObjectId.of(hi, lo) + ".spill");
    }

    /**
     * Writes {@code size} bytes at {@code payload} of {@code segment} to a new spill file, replacing
     * a leftover one; on failure deletes what it wrote.
     *
     * @throws IOException when the write failed (a runtime failure comes wrapped in one).
     */
    void write(final Path file, final MemorySegment segment, final long payload, final long size) throws IOException
    {
        try
        {
            Files.deleteIfExists(file);
            try (FileChannel out = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OwnerOnly.fileAttribute()))
            {
                for (long pos = 0; pos < size; pos += SPILL_CHUNK)
                {
                    final ByteBuffer chunk = segment.asSlice(payload + pos, Math.min(SPILL_CHUNK, size - pos))
                        .asByteBuffer();
                    while (chunk.hasRemaining())
                    {
                        out.write(chunk);
                    }
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            deleteQuietly(file);
            throw ex instanceof IOException io ? io : new IOException(ex);
        }
    }

    /**
     * Reads {@code size} bytes of a spill file into {@code segment} at {@code payload}.
     *
     * @throws IOException when the file is missing, a link, unreadable or shorter than {@code size}.
     */
    void read(final Path file, final MemorySegment segment, final long payload, final long size) throws IOException
    {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
        {
            for (long pos = 0; pos < size; pos += SPILL_CHUNK)
            {
                final ByteBuffer chunk = segment.asSlice(payload + pos, Math.min(SPILL_CHUNK, size - pos))
                    .asByteBuffer();
                while (chunk.hasRemaining())
                {
                    if (in.read(chunk, pos + chunk.position()) < 0)
                    {
                        throw new IOException("spill file truncated at " + (pos + chunk.position()) + " of " +
                            size + " bytes");
                    }
                }
            }
        }
    }

    /** Deletes the object's spill file, if any. */
    void delete(final long hi, final long lo)
    {
        deleteQuietly(file(hi, lo));
    }

    /** Deletes the spill directory with everything in it. */
    void deleteAll()
    {
        deleteTree(dir);
    }

    static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignore)
        {
            // best effort: a leftover spill file is harmless and overwritten by the next spill
        }
    }

    static void deleteTree(final Path dir)
    {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(dir))
        {
            final List<Path> all = new ArrayList<>(files.toList());
            all.sort(Comparator.reverseOrder());
            all.forEach(SpillFiles::deleteQuietly);
        }
        catch (final IOException ignore)
        {
            // best effort
        }
    }
}
