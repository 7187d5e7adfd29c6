package io.tessera.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The logging of the processes the command line runs: slf4j-simple (the launcher's binding, an optional
 * dependency of tessera-engine, so never a user's) writing one line per record to stderr,
 * {@code 2026-12-03T16:31:38.123Z INFO ClusterMember - message} (a record with an exception is followed
 * by its stack trace). Set as system properties before the first logger exists; a {@code -D} given on
 * the command line wins, so {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug} still works.
 */
final class LogFormat
{
    private static final String PREFIX = "org.slf4j.simpleLogger.";
    private static final Map<String, String> ONE_LINE = new LinkedHashMap<>();

    static
    {
        ONE_LINE.put("showDateTime", "true");
        ONE_LINE.put("dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        ONE_LINE.put("showThreadName", "false");
        ONE_LINE.put("showShortLogName", "true");
        ONE_LINE.put("levelInBrackets", "false");
        // Chronicle's INFO records are file mapping details ("Took 5270 us to grow file ..."), not news
        ONE_LINE.put("log.net.openhft", "warn");
    }

    private LogFormat()
    {
    }

    /** Configures this process's records at {@code level} ({@code info}, {@code warn}, ...) unless set already. */
    static void apply(String level)
    {
        System.getProperties().putIfAbsent(PREFIX + "defaultLogLevel", level);
        ONE_LINE.forEach((k, v) -> System.getProperties().putIfAbsent(PREFIX + k, v));
    }

    /** The same format as {@code -D} options for a child JVM (its level left at slf4j-simple's default, info). */
    static List<String> jvmOptions()
    {
        final List<String> out = new ArrayList<>();
        ONE_LINE.forEach((k, v) -> out.add("-D" + PREFIX + k + "=" + System.getProperty(PREFIX + k, v)));
        return out;
    }
}
