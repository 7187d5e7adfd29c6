package io.tessera.nativetests.conformance;

import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The API conformance suite on an embedded node in this JVM. */
class EmbeddedConformanceTest extends ApiConformance
{
    private static final int CPUS = 4;

    @BeforeAll
    static void start()
    {
        Tessera.init(TesseraConfig.builder().cpus(CPUS).objectStoreBytes(256L << 20)
            .resource("pin-a", 1000).resource("pin-b", 1000).build());
    }

    @AfterAll
    static void stop()
    {
        Tessera.shutdown();
    }

    @Override
    int totalCpus()
    {
        return CPUS;
    }

    @Override
    int placementSlackWaves()
    {
        return 0;
    }

    @Override
    int pinnedCpus()
    {
        return CPUS;
    }
}
