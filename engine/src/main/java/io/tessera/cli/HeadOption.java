package io.tessera.cli;

import picocli.CommandLine.Option;

/** {@code --address}: the head a command talks to (see {@code Cluster.target} for where it comes from when not given). */
final class HeadOption
{
    @Option(names = "--address", paramLabel = "HOST:PORT", converter = HostPort.Converter.class,
        description = "The head (default: TESSERA_ADDRESS, else the last head started here).")
    HostPort address;
}
