package io.tessera.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Acts as another local user ({@code nobody}, uid 65534) in tests of what one user can do to
 * another: runs commands as that user with {@code runuser} when this process is root, and hands
 * files to it with {@code chown}. Shared with native-tests through the test-jar.
 */
public final class OtherUser
{
    /** uid and gid of {@code nobody}. */
    public static final int UID = 65534;

    private OtherUser()
    {
    }

    /** @return true when this process may act as another user (root, with {@code runuser}). */
    public static boolean available()
    {
        return OwnerOnly.uid() == 0 && Files.isExecutable(Path.of("/usr/sbin/runuser"));
    }

    /** @return true when this process may give files away (root). */
    public static boolean canChown()
    {
        return OwnerOnly.uid() == 0;
    }

    /**
     * Runs a command as {@code nobody}.
     *
     * @param command the program and its arguments.
     * @return its exit status.
     */
    public static int run(final String... command) throws IOException, InterruptedException
    {
        final List<String> cmd = new ArrayList<>(List.of("/usr/sbin/runuser", "-u", "nobody", "--"));
        cmd.addAll(List.of(command));
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            throw new IllegalStateException("runuser " + cmd + " did not finish");
        }
        return p.exitValue();
    }

    /** Gives {@code path} (itself, not a link's target) to {@code nobody}. */
    public static void chown(final Path path) throws IOException
    {
        Files.setAttribute(path, "unix:uid", UID, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", UID, LinkOption.NOFOLLOW_LINKS);
    }
}
