package io.tessera.cli;

/**
 * A failure the user can fix, told in one sentence that names what to do: printed as
 * {@code tessera <command>: <message>} without a stack trace (unless {@code --verbose}).
 */
final class CliFailure extends RuntimeException
{
    /** Exit status of a command that was given right but failed while running. */
    static final int RUNTIME = 1;
    /** Exit status of a command line that is wrong: unknown option, malformed value, missing argument. */
    static final int USAGE = 2;
    /** {@code --verbose}: failures are told with their stack trace (and, for start, the end of the node's log). */
    static volatile boolean verbose;

    private final int exitCode;

    CliFailure(int exitCode, String message)
    {
        super(message);
        this.exitCode = exitCode;
    }

    CliFailure(int exitCode, String message, Throwable cause)
    {
        super(message, cause);
        this.exitCode = exitCode;
    }

    static CliFailure runtime(String message)
    {
        return new CliFailure(RUNTIME, message);
    }

    static CliFailure usage(String message)
    {
        return new CliFailure(USAGE, message);
    }

    int exitCode()
    {
        return exitCode;
    }

    /** The first line of the innermost cause's message (its class name when it has none). */
    static String rootMessage(Throwable ex)
    {
        Throwable t = ex;
        while (t.getCause() != null && t.getCause() != t)
        {
            t = t.getCause();
        }
        final String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        return m.lines().findFirst().orElse(m);
    }
}
