package io.tessera.nativetests.cluster;

import io.tessera.ObjectRef;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;

import java.lang.foreign.MemorySegment;

/**
 * A driver whose TLS settings come from TESSERA_TLS_* (set by {@link ClusterTlsTest}): runs a task, moves a
 * 16 MiB object from the worker to the head, and sends a 16 MiB argument from its own store to a node.
 */
public final class TlsDriver
{
    private TlsDriver()
    {
    }

    public static void main(String[] args)
    {
        Tessera.init(TesseraConfig.builder().address(args[0]).token(ClusterFixture.TOKEN).objectStoreBytes(128L << 20).build());
        try
        {
            System.out.println("task: " + Tessera.task(Jobs::plusOne, 41L).remote().get());
            final long size = 16L << 20;
            final ObjectRef<MemorySegment> made = Tessera.task(Jobs::pattern, size).options(o -> o.resource("zone-w", 1)).remote();
            System.out.println("pulled: " + Tessera.task(Jobs::checkPattern, made).options(o -> o.resource("zone-h", 1)).remote().get());
            final MemorySegment arg = Jobs.pattern(size);
            System.out.println("argument: " + Tessera.task(Jobs::checkPattern, arg).options(o -> o.resource("zone-w", 1)).remote().get());
        }
        finally
        {
            Tessera.shutdown();
        }
    }
}
