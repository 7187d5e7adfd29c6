package io.tessera.nativetests.linking;

import io.tessera.Tessera;

/** A user program started with no JVM flags at all. */
public final class NoFlagsApp
{
    private NoFlagsApp()
    {
    }

    static int square(int x)
    {
        return x * x;
    }

    public static void main(String[] args)
    {
        Tessera.init();
        try
        {
            System.out.println("result " + Tessera.task(NoFlagsApp::square, 7).remote().get());
        }
        finally
        {
            Tessera.shutdown();
        }
    }
}
