package io.tessera.jmh.engine;

import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The engine suites' state: an embedded node for the trial. Suites that need more set-up (actors) keep their own: JMH does not order a subclass's @Setup after this one. */
@State(Scope.Benchmark)
public abstract class EmbeddedNode
{
    @Setup(Level.Trial)
    public void startNode()
    {
        Tessera.init(TesseraConfig.builder().objectStoreBytes(64L << 20).build());
    }

    @TearDown(Level.Trial)
    public void stopNode()
    {
        Tessera.shutdown();
    }
}
