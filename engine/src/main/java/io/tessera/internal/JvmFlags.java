package io.tessera.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, once per process, that the JVM runs with the flags Tessera's libraries need (kept in one
 * place: the root pom's {@code tessera.jvm.flags}, shipped as {@code io/tessera/jvm.options}) and
 * logs one warning naming the missing ones, instead of a stack trace from inside a library. On the module path
 * (the engine is a named module) it checks and recommends the module-path line instead
 * ({@code io/tessera/jvm-modulepath.options}), whose flags name modules rather than {@code ALL-UNNAMED}.
 */
public final class JvmFlags
{
    private static final Logger LOG = LoggerFactory.getLogger(JvmFlags.class);
    private static volatile boolean checked;

    private JvmFlags()
    {
    }

    /** The full flag line users should put on their {@code java} command when Tessera is on the class path. */
    public static String recommended()
    {
        return options("/io/tessera/jvm.options");
    }

    /**
     * The same flags for an application on the module path: each names the modules that need it instead of
     * {@code ALL-UNNAMED} (the root pom's {@code tessera.jvm.flags.modulepath}).
     */
    public static String recommendedForModulePath()
    {
        return options("/io/tessera/jvm-modulepath.options");
    }

    private static String options(String resource)
    {
        try (InputStream in = JvmFlags.class.getResourceAsStream(resource))
        {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        catch (IOException ex)
        {
            return "";
        }
    }

    /** The flags that are missing from this JVM, by name. */
    public static List<String> missing()
    {
        final Module me = JvmFlags.class.getModule();
        if (me.isNamed())
        {
            return missingOnModulePath(recommendedForModulePath(), me.getLayer() == null ? ModuleLayer.boot() : me.getLayer());
        }
        final List<String> out = new ArrayList<>();
        if (!me.isNativeAccessEnabled())
        {
            out.add("--enable-native-access=ALL-UNNAMED");
        }
        final Module base = Object.class.getModule();
        if (!base.isExported("jdk.internal.misc", me))
        {
            out.add("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
        }
        if (!base.isOpen("java.lang", me))
        {
            out.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        }
        if (!base.isOpen("java.nio", me))
        {
            out.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
        }
        if (!base.isExported("sun.nio.ch", me))
        {
            out.add("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED");
        }
        return out;
    }

    /**
     * The flags of the module-path line {@code flags} that this JVM lacks, checked for each module they name that is
     * in {@code layer} (a module that is absent, such as Chronicle's in an application that never starts a head,
     * needs nothing): native access enabled, the package exported or opened to it.
     */
    static List<String> missingOnModulePath(String flags, ModuleLayer layer)
    {
        final List<String> out = new ArrayList<>();
        for (String flag : flags.split("\\s+"))
        {
            final int eq = flag.indexOf('=');
            if (!flag.startsWith("--") || eq < 0)
            {
                continue;
            }
            final String option = flag.substring(0, eq);
            final String value = flag.substring(eq + 1);
            if (option.equals("--enable-native-access"))
            {
                for (String name : value.split(","))
                {
                    if (layer.findModule(name).map(m -> !m.isNativeAccessEnabled()).orElse(false))
                    {
                        out.add(flag);
                        break;
                    }
                }
            }
            else if (option.equals("--add-exports") || option.equals("--add-opens"))
            {
                final int slash = value.indexOf('/');
                final int to = value.indexOf('=');
                final Module source = layer.findModule(value.substring(0, slash)).orElse(null);
                final String pkg = value.substring(slash + 1, to);
                for (String name : value.substring(to + 1).split(","))
                {
                    final Module target = layer.findModule(name).orElse(null);
                    if (source != null && target != null
                        && !(option.equals("--add-opens") ? source.isOpen(pkg, target) : source.isExported(pkg, target)))
                    {
                        out.add(flag);
                        break;
                    }
                }
            }
        }
        return out;
    }

    public static void check()
    {
        if (checked)
        {
            return;
        }
        checked = true;
        final List<String> missing = missing();
        if (!missing.isEmpty())
        {
            LOG.warn("this JVM lacks {}; start java with: {}", String.join(" ", missing),
                JvmFlags.class.getModule().isNamed() ? recommendedForModulePath() : recommended());
        }
    }
}
