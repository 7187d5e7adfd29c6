package io.tessera.jmh.peer;

import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Tessera's embedded node for one trial. A state of its own, so a Hazelcast benchmark in the same
 * class never has Tessera's spinning dispatcher competing for the two cores, and the other way round.
 */
@State(Scope.Benchmark)
public class TesseraNode
{
    @Setup(Level.Trial)
    public void start()
    {
        Tessera.init(TesseraConfig.builder().objectStoreBytes(256L << 20).build());
    }

    @TearDown(Level.Trial)
    public void stop()
    {
        Tessera.shutdown();
    }
}
