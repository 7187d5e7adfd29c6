package io.tessera.nativetests.cluster;

import io.tessera.ActorHandle;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A driver whose tasks print on the worker (the only node with "slot" resources): {@code print HEAD MARKER},
 * {@code quiet HEAD MARKER} (with {@code logToDriver(false)}) or {@code flood HEAD LINES}. It says
 * {@code driver: ready} once its tasks returned, then waits for a line on stdin, runs {@code chatty(MARKER-late)} (not
 * when flooding) and ends its job: the test watches the output arrive in between.
 */
public final class LogsApp
{
    private LogsApp()
    {
    }

    /** A task that prints on stdout and stderr and logs through SLF4J. */
    public static long chatty(String marker)
    {
        System.out.println("task says " + marker);
        System.err.println("task warns " + marker);
        LoggerFactory.getLogger("app").info("task logs {}", marker);
        return ProcessHandle.current().pid();
    }

    /** A task that prints {@code lines} lines as fast as it can. */
    public static long flood(long lines)
    {
        for (long i = 0; i < lines; i++)
        {
            System.out.println("flood line " + i + " of the task that prints far more than can be shipped");
        }
        return lines;
    }

    /** An actor whose method prints. */
    public static class Loud
    {
        public Loud()
        {
        }

        public String shout(String marker)
        {
            System.out.println("actor shouts " + marker);
            return marker;
        }
    }

    public static void main(String[] args) throws Exception
    {
        final String mode = args[0];
        Tessera.init(TesseraConfig.builder().address(args[1]).token(ClusterFixture.TOKEN).objectStoreBytes(64L << 20)
            .logToDriver(!mode.equals("quiet")).build());
        try
        {
            if (mode.equals("flood"))
            {
                final long n = Long.parseLong(args[2]);
                System.out.println("driver: flood done " + Tessera.task(LogsApp::flood, n).options(o -> o.resource("slot", 1))
                    .remote().get());
            }
            else
            {
                System.out.println("driver: task ran in pid " + Tessera.task(LogsApp::chatty, args[2])
                    .options(o -> o.resource("slot", 1)).remote().get());
                final ActorHandle<Loud> loud = Tessera.actor(Loud::new).options(o -> o.name("loud").resource("slot", 1)).remote();
                System.out.println("driver: actor returned " + loud.task(Loud::shout, args[2]).remote().get());
            }
            System.out.println("driver: ready");
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (!mode.equals("flood"))
            {
                Tessera.task(LogsApp::chatty, args[2] + "-late").options(o -> o.resource("slot", 1)).remote().get();
            }
        }
        finally
        {
            Tessera.shutdown();
        }
    }
}
