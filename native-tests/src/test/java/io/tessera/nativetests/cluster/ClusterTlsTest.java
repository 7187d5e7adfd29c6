package io.tessera.nativetests.cluster;

import io.tessera.TesseraException;
import io.tessera.internal.cluster.ClusterClient;
import io.tessera.internal.cluster.ClusterTls;
import io.tessera.transport.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A head, a worker and a driver, each a JVM on 127.0.0.1, all on mutual TLS: the head from
 * {@code --tls-key-store}/{@code --tls-trust-store}, the worker from {@code -Dtessera.tls.*}, the driver
 * from {@code TESSERA_TLS_*}. A task runs and 16 MiB objects move between processes inside TLS.
 */
@Timeout(180)
class ClusterTlsTest
{
    @TempDir
    Path certDir;
    private ClusterFixture cluster;

    @AfterEach
    void tearDown() throws Exception
    {
        System.clearProperty(ClusterTls.KEY_STORE);
        System.clearProperty(ClusterTls.KEY_STORE_PASSWORD);
        System.clearProperty(ClusterTls.TRUST_STORE);
        if (cluster != null)
        {
            cluster.close();
        }
    }

    @Test
    void shouldRunATaskAndMoveLargeObjectsWithEveryProcessOnTls() throws Exception
    {
        final TestCertificates certs = TestCertificates.create(certDir);
        cluster = new ClusterFixture("tls");
        cluster.environment.put("TESSERA_TLS_KEY_STORE_PASSWORD", TestCertificates.PASSWORD);
        cluster.startHead(0, "--cpus", "2", "--object-store", "256m", "--resource", "zone-h=1",
            "--tls-key-store", certs.keyStore().toString(), "--tls-trust-store", certs.trustStore().toString());
        cluster.nodeJvmOptions.add("-D" + ClusterTls.KEY_STORE + "=" + certs.keyStore());
        cluster.nodeJvmOptions.add("-D" + ClusterTls.TRUST_STORE + "=" + certs.trustStore());
        cluster.startWorker("worker", "--cpus", "2", "--object-store", "256m", "--resource", "zone-w=1");

        final TesseraException plain = assertThrows(TesseraException.class,
            () -> ClusterClient.status(cluster.headAddress(), ClusterFixture.TOKEN), "a status client without TLS is refused");
        assertTrue(plain.getMessage().contains("cannot reach the head"), plain.getMessage());

        cluster.environment.put("TESSERA_TLS_KEY_STORE", certs.keyStore().toString());
        cluster.environment.put("TESSERA_TLS_TRUST_STORE", certs.trustStore().toString());
        final Process driver = cluster.startDriver("driver", TlsDriver.class, cluster.headAddress());
        assertTrue(driver.waitFor(120, TimeUnit.SECONDS), "driver finished");
        final String out = Files.readString(cluster.logs.resolve("driver.log"), StandardCharsets.UTF_8);
        assertEquals(0, driver.exitValue(), out);
        assertTrue(out.contains("task: 42"), out);
        assertTrue(out.contains("pulled: ok " + (16 << 20) + " on "), out);
        assertTrue(out.contains("argument: ok " + (16 << 20) + " on "), out);

        System.setProperty(ClusterTls.KEY_STORE, certs.keyStore().toString());
        System.setProperty(ClusterTls.KEY_STORE_PASSWORD, TestCertificates.PASSWORD);
        System.setProperty(ClusterTls.TRUST_STORE, certs.trustStore().toString());
        final String status = ClusterClient.status(cluster.headAddress(), ClusterFixture.TOKEN);
        assertTrue(status.contains(cluster.address("worker")), status);
        final String headLog = Files.readString(cluster.logs.resolve("head.log"), StandardCharsets.UTF_8);
        assertTrue(headLog.contains("mutual TLS"), "head runs TLS: " + headLog);
    }
}
