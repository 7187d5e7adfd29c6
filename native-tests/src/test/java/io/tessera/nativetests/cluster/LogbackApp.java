package io.tessera.nativetests.cluster;

import io.tessera.Tessera;
import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.queue.ChronicleQueue;

/**
 * A user's application that logs with Logback: joins the cluster at TESSERA_ADDRESS, runs a task,
 * and writes a Chronicle queue (the library behind the head's journal), so Tessera's, Netty's and
 * Chronicle's records all have a chance to reach Logback.
 */
public final class LogbackApp
{
    private LogbackApp()
    {
    }

    public static void main(String[] args) throws Exception
    {
        Tessera.init();
        try
        {
            System.out.println("logback app result: " + Tessera.task(Jobs::plusOne, 41L).remote().get());
        }
        finally
        {
            Tessera.shutdown();
        }
        final Path dir = Files.createTempDirectory("logback-app-queue");
        try (ChronicleQueue queue = ChronicleQueue.singleBuilder(dir).build())
        {
            queue.createAppender().writeText("one record");
        }
    }
}
