package io.tessera.nativetests.cluster;

import java.util.Arrays;

/** A program run by {@code tessera submit} that prints the arguments it was given, as given. */
public final class EchoArgsApp
{
    private EchoArgsApp()
    {
    }

    public static void main(String[] args)
    {
        System.out.println("app args: " + Arrays.toString(args));
    }
}
