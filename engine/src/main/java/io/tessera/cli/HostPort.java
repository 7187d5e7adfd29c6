package io.tessera.cli;

import picocli.CommandLine;

/** A {@code HOST:PORT} address as given on the command line, checked when parsed. */
record HostPort(String host, int port)
{
    /**
     * Parses {@code HOST:PORT}.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    static HostPort parse(String text)
    {
        final String t = text.trim();
        final int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1)
        {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT (e.g. 127.0.0.1:6380)");
        }
        final int port;
        try
        {
            port = Integer.parseInt(t.substring(colon + 1));
        }
        catch (NumberFormatException ex)
        {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT: the port '" + t.substring(colon + 1)
                + "' is not a number (e.g. 127.0.0.1:6380)");
        }
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT: the port must be 1 to 65535");
        }
        return new HostPort(t.substring(0, colon), port);
    }

    @Override
    public String toString()
    {
        return host + ":" + port;
    }

    /** Picocli's converter for {@code --address}. */
    static final class Converter implements CommandLine.ITypeConverter<HostPort>
    {
        @Override
        public HostPort convert(String value)
        {
            try
            {
                return parse(value);
            }
            catch (IllegalArgumentException ex)
            {
                throw new CommandLine.TypeConversionException(ex.getMessage());
            }
        }
    }
}
