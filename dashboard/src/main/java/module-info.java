/**
 * The head's HTTP server (the web dashboard, the state API as REST, Prometheus service discovery, the jobs API), found by the
 * engine as a {@code NodeExtension} service: it exports nothing, it provides the extension.
 */
module io.tessera.dashboard
{
    requires io.tessera.engine;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    // the REST API's JSON: Jackson reads the dashboard's own view classes reflectively
    opens io.tessera.dashboard.api to com.fasterxml.jackson.databind;
    opens io.tessera.dashboard.jobs to com.fasterxml.jackson.databind;

    provides io.tessera.internal.spi.NodeExtension with io.tessera.dashboard.DashboardExtension;
}
