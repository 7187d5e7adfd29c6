package io.tessera.cli;

import io.tessera.internal.JvmFlags;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Unmatched;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code tessera <command>}: the command line behind {@code bin/tessera}. Exit status 0 when the
 * command did what it says, 1 when it failed while running, 2 when the command line is wrong; every
 * failure a user can cause is one line naming what to do (the stack trace only with {@code --verbose}).
 */
@Command(name = "tessera", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Tessera: tasks, actors and zero-copy objects across the JVMs of a cluster.",
    subcommands = {Main.DemoCommand.class, Cluster.Start.class, Cluster.Status.class, Cluster.Stop.class,
        Cluster.Submit.class, JobCommands.class, Cluster.Logs.class, StateCommands.ListCommand.class, StateCommands.GetCommand.class,
        StateCommands.SummaryCommand.class, StateCommands.TimelineCommand.class, Main.FlagsCommand.class,
        Main.BenchCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Each command has --help. Exit status: 0 ok, 1 the command failed while running,",
        "2 the command line is wrong (unknown option, malformed value, missing argument)."})
public final class Main implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Main()
    {
    }

    /** Inherited by every command; only ever switched on, as picocli resets options per command level. */
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
        description = "On a failure, also print the stack trace (start: and the end of the node's log).")
    void verbose(boolean on)
    {
        if (on)
        {
            CliFailure.verbose = true;
        }
    }

    public static void main(String[] args)
    {
        // the command prints its results; the records of what it runs in process (status's transport) are for failures
        LogFormat.apply("warn");
        System.exit(run(args));
    }

    static int run(String... args)
    {
        return commandLine().execute(args);
    }

    static CommandLine commandLine()
    {
        final CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler(Main::failure);
        // the program's own arguments, after MAIN, are passed on untouched even when they look like options
        cl.getSubcommands().get("submit").setStopAtPositional(true);
        cl.getSubcommands().get("job").getSubcommands().get("submit").setStopAtPositional(true);
        return cl;
    }

    /** {@code tessera} alone: the list of commands. */
    @Override
    public Integer call()
    {
        spec.commandLine().usage(System.out);
        return 0;
    }

    private static int usageError(CommandLine.ParameterException ex, String[] args)
    {
        final String name = ex.getCommandLine().getCommandSpec().qualifiedName(" ");
        final StringBuilder msg = new StringBuilder(name).append(": ").append(ex.getMessage().replace("option option", "option"));
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty())
        {
            msg.append(" (did you mean ").append(String.join(" or ", u.getSuggestions())).append("?)");
        }
        msg.append("; see '").append(name).append(" --help'");
        if (CliFailure.verbose)
        {
            ex.printStackTrace(System.err);
        }
        ex.getCommandLine().getErr().println(msg);
        return CliFailure.USAGE;
    }

    private static int failure(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed)
    {
        final String name = cmd.getCommandSpec().qualifiedName(" ");
        final PrintWriter err = cmd.getErr();
        if (CliFailure.verbose)
        {
            ex.printStackTrace(err);
        }
        if (ex instanceof CliFailure f)
        {
            err.println(name + ": " + f.getMessage());
            err.flush();
            return f.exitCode();
        }
        final String what = ex.getMessage() != null ? ex.getMessage().lines().findFirst().orElse("") : ex.getClass().getName();
        err.println(name + ": " + what + (CliFailure.verbose ? "" : " (rerun with --verbose for the stack trace)"));
        err.flush();
        return CliFailure.RUNTIME;
    }

    /** {@code --version}: the project version this build was made from. */
    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion() throws IOException
        {
            final Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/io/tessera/version.properties"))
            {
                if (in != null)
                {
                    p.load(in);
                }
            }
            return new String[] {"tessera " + p.getProperty("version", "(unknown version)") + " (Java " + Runtime.version() + ")"};
        }
    }

    @Command(name = "demo",
        description = "Run the demo on an embedded node: parallel tasks, actors, a learning agent, zero-copy objects, nested tasks.")
    static final class DemoCommand implements Callable<Integer>
    {
        @Mixin
        HelpOption help;

        @Override
        public Integer call()
        {
            return new Demo(System.out).run();
        }
    }

    @Command(name = "flags",
        description = "Print the JVM flags a program linking Tessera needs.")
    static final class FlagsCommand implements Callable<Integer>
    {
        @Mixin
        HelpOption help;

        @Override
        public Integer call()
        {
            System.out.println(JvmFlags.recommended());
            return 0;
        }
    }

    /** Listed here for the command overview; {@code bin/tessera} runs it (it builds the JMH jar first). */
    @Command(name = "bench", description = "Run the JMH suites, each beside its baseline (bin/tessera bench --help).")
    static final class BenchCommand implements Callable<Integer>
    {
        @Unmatched
        List<String> ignored;

        @Override
        public Integer call()
        {
            throw CliFailure.usage("bench runs through bin/tessera, which builds the JMH jar first: run 'bin/tessera bench --help'");
        }
    }
}
