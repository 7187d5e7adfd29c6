package io.tessera.internal.cluster;

import java.util.concurrent.CompletableFuture;

/** What an owner's remote holder needs from its {@link Owner}: the task that made its object, run again when its holder died. */
interface Lineage
{
    /** Runs {@code t} again on a node; {@code remade} learns where the object now lives. */
    CompletableFuture<Void> rerun(RemoteTask t, Remade remade);

    /** An object made again on another node. */
    interface Remade
    {
        void moved(String nodeId, String address);
    }
}
