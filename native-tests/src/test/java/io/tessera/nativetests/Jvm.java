package io.tessera.nativetests;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The command line of a child JVM for system tests: this JVM's java, the project's flags, a class path. */
public final class Jvm
{
    private Jvm()
    {
    }

    /** {@code java <tessera.jvm.flags> -Xmx<heap> -cp <classPath>}; append the main class and its arguments. */
    public static List<String> command(String heap, String classPath)
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        Arrays.stream(System.getProperty("tessera.jvm.flags", "--enable-native-access=ALL-UNNAMED").trim().split("\\s+"))
            .filter(f -> !f.isEmpty())
            .forEach(cmd::add);
        cmd.add("-Xmx" + heap);
        cmd.add("-cp");
        cmd.add(classPath);
        return cmd;
    }

    /** The same with this JVM's own class path. */
    public static List<String> command(String heap)
    {
        return command(heap, System.getProperty("java.class.path"));
    }
}
