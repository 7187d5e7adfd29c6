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
 * logs one warning naming the missing ones, instead of a stack trace from inside a library.
 */
public final class JvmFlags
{
    private static final Logger LOG = LoggerFactory.getLogger(JvmFlags.class);
    private static volatile boolean checked;

    private JvmFlags()
    {
    }

    /** The full flag line users should put on their {@code java} command. */
    public static String recommended()
    {
        try (InputStream in = JvmFlags.class.getResourceAsStream("/io/tessera/jvm.options"))
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
        final List<String> out = new ArrayList<>();
        final Module me = JvmFlags.class.getModule();
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
            LOG.warn("this JVM lacks {}; start java with: {}", String.join(" ", missing), recommended());
        }
    }
}
