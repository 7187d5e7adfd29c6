package io.tessera.internal.cluster;

import java.util.List;
import java.util.Map;

/**
 * Lines read for a {@link LogQuery}, oldest first, and where each file read ended ({@code nodeId/file} → byte
 * position), to pass back as {@link LogQuery#after} for the lines written since.
 *
 * @param lines     the lines, without line breaks.
 * @param positions the end position of every file read, by {@code nodeId/file}.
 */
public record LogLines(List<String> lines, Map<String, Long> positions)
{
    /** Copies both. */
    public LogLines
    {
        lines = List.copyOf(lines);
        positions = Map.copyOf(positions);
    }
}
