package io.tessera.internal.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading log files a line at a time from where an earlier read ended, or their last lines. */
final class LogFiles
{
    /** Most bytes read from one file per call. */
    static final int READ_MAX = 4 << 20;

    private LogFiles()
    {
    }

    /**
     * Reads {@code files}: from the position {@code after} has for a file (by file name) to its last whole line,
     * else its last {@code tail} lines; with {@code linePrefix} only the lines starting with it.
     */
    static LogLines read(List<Path> files, String linePrefix, int tail, Map<String, Long> after)
    {
        final List<String> lines = new ArrayList<>();
        final Map<String, Long> positions = new LinkedHashMap<>();
        for (Path f : files)
        {
            final String name = f.getFileName().toString();
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ))
            {
                final long size = ch.size();
                final Long from = after.get(name);
                final long start = from != null ? (from > size ? 0 : from) : Math.max(0, size - READ_MAX);
                final int length = (int)Math.min(READ_MAX, size - start);
                final ByteBuffer buf = ByteBuffer.allocate(length);
                while (buf.hasRemaining() && ch.read(buf, start + buf.position()) > 0)
                {
                    // reads until the buffer is full or the file ends
                }
                final byte[] bytes = buf.array();
                int consumed = buf.position();
                while (consumed > 0 && bytes[consumed - 1] != '\n')
                {
                    consumed--;
                }
                final List<String> read = new ArrayList<>();
                boolean first = from == null && start > 0;  // a line cut by the tail window
                for (String line : new String(bytes, 0, consumed, StandardCharsets.UTF_8).split("\n", -1))
                {
                    if (!first && (linePrefix == null || line.startsWith(linePrefix)))
                    {
                        read.add(line);
                    }
                    first = false;
                }
                if (!read.isEmpty() && read.getLast().isEmpty())
                {
                    read.removeLast();  // after the last line break
                }
                lines.addAll(from == null ? read.subList(Math.max(0, read.size() - tail), read.size()) : read);
                positions.put(name, start + consumed);
            }
            catch (IOException ex)
            {
                throw new UncheckedIOException("cannot read " + f + ": " + ex.getMessage(), ex);
            }
        }
        return new LogLines(lines, positions);
    }
}
