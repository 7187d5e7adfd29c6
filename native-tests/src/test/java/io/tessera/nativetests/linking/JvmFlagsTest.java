package io.tessera.nativetests.linking;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Linking Tessera: a JVM without the documented flag line is told, in one line, which flags it lacks. */
@Timeout(60)
class JvmFlagsTest
{
    @Test
    void shouldNameTheMissingFlagsWhenAProgramStartsWithoutThem() throws Exception
    {
        final Process p = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
            "-cp", System.getProperty("java.class.path"), NoFlagsApp.class.getName())).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(50, TimeUnit.SECONDS));
        assertTrue(out.contains("this JVM lacks --enable-native-access=ALL-UNNAMED"), out);
        assertTrue(out.contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"), out);
        assertTrue(out.contains("start java with: --enable-native-access=ALL-UNNAMED"), out);
        assertTrue(out.contains("result 49"), out);
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    void shouldSayNothingWhenTheFlagsArePresent() throws Exception
    {
        final List<String> cmd = new java.util.ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of(System.getProperty("tessera.jvm.flags").trim().split("\\s+")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), NoFlagsApp.class.getName()));
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(50, TimeUnit.SECONDS));
        assertTrue(out.contains("result 49"), out);
        assertTrue(!out.contains("this JVM lacks"), out);
    }
}
