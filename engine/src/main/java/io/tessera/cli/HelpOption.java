package io.tessera.cli;

import picocli.CommandLine.Option;

/** {@code -h/--help} for a command: prints its usage and does nothing else. */
final class HelpOption
{
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit (nothing else is done).")
    boolean help;
}
