package io.tessera.nativetests.cluster;

import io.tessera.Tessera;

/** A driver program run by {@code tessera submit}: joins TESSERA_ADDRESS with zero configuration. */
public final class SubmittedApp
{
    private SubmittedApp()
    {
    }

    public static void main(String[] args)
    {
        Tessera.init();
        try
        {
            System.out.println("submitted app result: " + Tessera.task(Jobs::plusOne, Long.parseLong(args[0])).remote().get());
        }
        finally
        {
            Tessera.shutdown();
        }
    }
}
