/**
 * Tessera's local scheduler: resource pools, workers, the Disruptor-fed dispatcher and actor mailboxes.
 * {@code SchedulerContext} takes an Agrona {@code IdleStrategy}, so Agrona is required transitively.
 */
module io.tessera.scheduler
{
    requires transitive org.agrona;
    requires com.lmax.disruptor;
    requires org.slf4j;

    exports io.tessera.scheduler;
}
