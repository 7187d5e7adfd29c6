package io.tessera.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The module-path check: each flag is checked for the modules it names that are present, absent ones need nothing. */
class JvmFlagsTest
{
    @Test
    void shouldNameTheModulePathFlagsThisJvmLacksForThePresentModulesOnly()
    {
        final String flags = "--sun-misc-unsafe-memory-access=allow"
            + " --add-opens=java.base/java.lang=java.sql"                 // java.sql is there, java.lang is not open to it
            + " --add-exports=java.base/java.lang=java.sql"               // exported to everyone: satisfied
            + " --add-exports=java.base/jdk.internal.misc=no.such.module" // absent: nothing to check
            + " -Dchronicle.analytics.disable=true";
        assertEquals(List.of("--add-opens=java.base/java.lang=java.sql"), JvmFlags.missingOnModulePath(flags, ModuleLayer.boot()));
    }

    @Test
    void shouldShipBothFlagLinesWithTheSameFlagsAndNoAllUnnamedOnTheModulePath()
    {
        final String classPath = JvmFlags.recommended();
        final String modulePath = JvmFlags.recommendedForModulePath();
        assertTrue(classPath.contains("--enable-native-access=ALL-UNNAMED"), classPath);
        assertTrue(modulePath.contains("--enable-native-access=io.tessera.memory"), modulePath);
        assertTrue(!modulePath.contains("ALL-UNNAMED"), modulePath);
        // every option of the class-path line has its module-path counterpart
        for (String flag : classPath.split("\\s+"))
        {
            final String option = flag.contains("=ALL-UNNAMED") ? flag.substring(0, flag.lastIndexOf('=') + 1) : flag;
            assertTrue(modulePath.contains(option), option + " missing from " + modulePath);
        }
    }
}
