/**
 * Tessera's engine and public API: package {@code io.tessera} (tasks, actors, objects, {@code TesseraException}),
 * {@code io.tessera.state} (the state API) and {@code io.tessera.metrics} (user metrics). The internals are exported
 * only to the dashboard, which plugs in through the {@code NodeExtension} service.
 * <p>
 * A user module {@code requires io.tessera.engine} and opens the packages of its task functions, actor classes and
 * stored values to this module and to {@code org.apache.fory.core} (the engine reads a function's serialized form
 * reflectively, Fory serializes values): {@code opens com.example to io.tessera.engine, org.apache.fory.core;}, or
 * an {@code open module}. The JVM flags of {@code jvm.options} name {@code ALL-UNNAMED}; on the module path the same
 * flags name the modules that need them (README, "Module path").
 */
module io.tessera.engine
{
    requires transitive io.tessera.memory;
    requires transitive io.tessera.gpu;
    requires io.tessera.scheduler;
    requires io.tessera.transport;
    requires org.slf4j;
    // the head's journal; chronicle-queue and chronicle-wire are automatic modules named after their files
    requires chronicle.queue;
    requires chronicle.wire;
    requires chronicle.bytes;
    requires chronicle.core;
    // low-latency mode's thread pinning (OpenHFT affinity, an automatic module named after its file)
    requires affinity;
    requires io.prometheus.metrics.core;
    requires io.prometheus.metrics.model;
    requires io.prometheus.metrics.exporter.httpserver;
    requires io.prometheus.metrics.instrumentation.jvm;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires java.management;
    // tessera job: the jobs API's client
    requires java.net.http;
    requires jdk.management;
    // what the automatic modules above use at run time (they declare nothing): the metrics server's
    // com.sun.net.httpserver, Chronicle's and Fory's sun.misc.Unsafe, Chronicle's runtime compiler
    requires jdk.httpserver;
    requires jdk.unsupported;
    requires java.compiler;

    exports io.tessera;
    exports io.tessera.state;
    exports io.tessera.metrics;
    exports io.tessera.internal to io.tessera.dashboard;
    exports io.tessera.internal.cluster to io.tessera.dashboard;
    exports io.tessera.internal.spi to io.tessera.dashboard;

    // values, refs, handles and exceptions are serialized by Fory (the store) and Java serialization (the cluster)
    opens io.tessera to org.apache.fory.core;
    opens io.tessera.internal to org.apache.fory.core;
    opens io.tessera.internal.cluster to org.apache.fory.core;
    // the CLI's JSON of the state records; the command line's options are injected by picocli
    opens io.tessera.state to org.apache.fory.core, com.fasterxml.jackson.databind;
    opens io.tessera.cli to info.picocli;

    uses io.tessera.internal.spi.NodeExtension;
}
