package io.tessera.dashboard.jobs;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The main class of a driver process the head starts: runs the job's main class and leaves how it
 * ended in the job's exit file ({@code CODE\nMESSAGE}), so that a head restarted while the driver
 * ran still learns its result, and a main class that is not there fails the job with that reason.
 * <pre>
 * java … io.tessera.dashboard.jobs.DriverMain EXIT_FILE MAIN_CLASS [ARGS…]
 * </pre>
 */
public final class DriverMain
{
    private DriverMain()
    {
    }

    /**
     * Runs the job.
     *
     * @param argv the exit file, the main class, its arguments
     */
    public static void main(String[] argv)
    {
        if (argv.length < 2)
        {
            System.err.println("usage: DriverMain EXIT_FILE MAIN_CLASS [ARGS...]");
            System.exit(2);
        }
        final Path exitFile = Path.of(argv[0]);
        final String mainClass = argv[1];
        final Method main;
        try
        {
            main = Class.forName(mainClass, false, ClassLoader.getSystemClassLoader()).getMethod("main", String[].class);
            if (!Modifier.isStatic(main.getModifiers()))
            {
                throw new NoSuchMethodException("main is not static");
            }
        }
        catch (ClassNotFoundException | LinkageError ex)
        {
            fail(exitFile, "no class " + mainClass + " on the job's class path (" + ex + ")");
            return;
        }
        catch (NoSuchMethodException ex)
        {
            fail(exitFile, "class " + mainClass + " has no public static void main(String[]) (" + ex.getMessage() + ")");
            return;
        }
        try
        {
            main.invoke(null, (Object) Arrays.copyOfRange(argv, 2, argv.length));
        }
        catch (InvocationTargetException ex)
        {
            System.err.print("Exception in thread \"main\" ");
            ex.getCause().printStackTrace();
            fail(exitFile, "main threw " + ex.getCause());
            return;
        }
        catch (IllegalAccessException ex)
        {
            fail(exitFile, "cannot call " + mainClass + ".main: " + ex.getMessage());
            return;
        }
        write(exitFile, 0, "main returned");
    }

    private static void fail(Path exitFile, String why)
    {
        System.err.println("tessera job: " + why);
        write(exitFile, 1, why);
        System.exit(1);
    }

    private static void write(Path exitFile, int code, String message)
    {
        try
        {
            Files.writeString(exitFile, code + "\n" + message.replace('\n', ' ') + "\n", StandardCharsets.UTF_8);
        }
        catch (IOException ex)
        {
            System.err.println("tessera job: cannot write " + exitFile + ": " + ex.getMessage());
        }
    }
}
