package io.tessera.engine.gpu;

import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import io.tessera.gpu.Cuda;
import io.tessera.gpu.Nvml;
import io.tessera.state.NodeInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A GPU node's {@code /metrics}: each device's memory (CUDA) and utilisation (NVML), scraped over HTTP. */
@Timeout(60)
class GpuMetricsTest
{
    @AfterEach
    void stop()
    {
        Tessera.shutdown();
    }

    @Test
    void shouldServeEachDevicesMemoryAndUtilisation() throws Exception
    {
        Assumptions.assumeTrue(Cuda.isAvailable(), Cuda.unavailabilityCause());
        Tessera.init(TesseraConfig.builder().cpus(2).objectStoreBytes(64L << 20).metricsPort(0).build());
        final NodeInfo node = Tessera.state().nodes().getFirst();
        final String body;
        try (HttpClient http = HttpClient.newHttpClient())
        {
            body = http.send(HttpRequest.newBuilder(URI.create("http://" + node.metricsAddress() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        }
        final long[] freeTotal = Cuda.memoryInfo(0);
        final double total = value(body, "tessera_gpu_memory_total_bytes", node.id());
        assertTrue(total == freeTotal[1], "device 0's memory as CUDA reports it: " + total + " vs " + freeTotal[1]);
        final double used = value(body, "tessera_gpu_memory_used_bytes", node.id());
        assertTrue(used > 0 && used <= total, "used " + used + " of " + total);
        if (Nvml.isAvailable())
        {
            final double busy = value(body, "tessera_gpu_utilization_ratio", node.id());
            assertTrue(busy >= 0 && busy <= 1, "utilisation " + busy);
        }
        else
        {
            assertTrue(!body.contains("tessera_gpu_utilization_ratio{"), "no utilisation without NVML");
        }
    }

    private static double value(String body, String metric, String nodeId)
    {
        final Matcher m = Pattern.compile("(?m)^" + metric + "\\{gpu=\"0\",node=\"" + Pattern.quote(nodeId) + "\"} (\\S+)$")
            .matcher(body);
        assertTrue(m.find(), metric + " for device 0 in\n" + body);
        return Double.parseDouble(m.group(1));
    }
}
