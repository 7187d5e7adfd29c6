package io.tessera.jmh.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One JMH result: benchmark class and method, parameters, mode, score and, for sample time, percentiles.
 *
 * @param className  the benchmark's class, fully qualified
 * @param method     the benchmark method
 * @param params     its {@code @Param} values, sorted by name
 * @param mode       JMH's short mode name: {@code thrpt}, {@code avgt}, {@code sample}, {@code ss}
 * @param score      the primary score (the mean, for sample time)
 * @param error      the score's 99.9 % error, NaN when JMH gave none
 * @param unit       the score's unit, such as {@code us/op} or {@code ops/s}
 * @param p50        the median, NaN outside sample time
 * @param p99        the 99th percentile, NaN outside sample time
 * @param p999       the 99.9th percentile, NaN outside sample time
 * @param allocBytes bytes allocated per operation (JMH's {@code -prof gc}, {@code gc.alloc.rate.norm}), NaN without it
 */
record BenchResult(String className, String method, Map<String, String> params, String mode, double score,
                   double error, String unit, double p50, double p99, double p999, double allocBytes)
{
    /** A result without an allocation figure (a run without {@code -prof gc}). */
    BenchResult(String className, String method, Map<String, String> params, String mode, double score,
                double error, String unit, double p50, double p99, double p999)
    {
        this(className, method, params, mode, score, error, unit, p50, p99, p999, Double.NaN);
    }

    boolean isSampleTime()
    {
        return mode.equals("sample");
    }

    boolean higherIsBetter()
    {
        return mode.equals("thrpt");
    }

    /** The figure ratios are taken on: the median for sample time (robust to GC outliers), else the score. */
    double figure()
    {
        return isSampleTime() ? p50 : score;
    }

    /** Strict about the document: anything after its one value is refused. */
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * The results in a JMH JSON document ({@code -rf json}).
     *
     * @throws IllegalArgumentException when it is not JSON (naming the offset), not an array, or a result lacks
     *                                  its benchmark, mode or primary metric
     */
    static List<BenchResult> fromJmhJson(String json)
    {
        final JsonNode doc;
        try
        {
            doc = MAPPER.readTree(json);
        }
        catch (JsonProcessingException e)
        {
            throw new IllegalArgumentException("JMH JSON: " + e.getOriginalMessage() + " at offset "
                + e.getLocation().getCharOffset(), e);
        }
        if (doc == null || !doc.isArray())
        {
            throw new IllegalArgumentException("JMH JSON: expected an array of results at the top level");
        }
        final List<BenchResult> out = new ArrayList<>();
        doc.forEach(item -> out.add(fromItem(item, out.size())));
        return out;
    }

    private static BenchResult fromItem(JsonNode m, int index)
    {
        final String benchmark = text(m, "benchmark", index);
        final int dot = benchmark.lastIndexOf('.');
        final Map<String, String> params = new TreeMap<>();
        m.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
        final JsonNode primary = m.path("primaryMetric");
        if (!primary.isObject())
        {
            throw new IllegalArgumentException("JMH JSON: result " + index + " (" + benchmark + ") has no primaryMetric");
        }
        final JsonNode pct = primary.path("scorePercentiles");
        return new BenchResult(benchmark.substring(0, dot), benchmark.substring(dot + 1), params,
            text(m, "mode", index), number(primary.get("score")), number(primary.get("scoreError")),
            primary.path("scoreUnit").asText(""), number(pct.get("50.0")), number(pct.get("99.0")), number(pct.get("99.9")),
            number(m.path("secondaryMetrics").path("gc.alloc.rate.norm").get("score")));
    }

    private static String text(JsonNode m, String field, int index)
    {
        final JsonNode v = m.get(field);
        if (v == null || !v.isTextual())
        {
            throw new IllegalArgumentException("JMH JSON: result " + index + " has no \"" + field + "\" string");
        }
        return v.asText();
    }

    /** A number, or NaN for JMH's "NaN"/"Infinity" strings and for what is missing. */
    private static double number(JsonNode n)
    {
        if (n == null)
        {
            return Double.NaN;
        }
        if (n.isNumber())
        {
            return n.doubleValue();
        }
        if (n.isTextual())
        {
            try
            {
                return Double.parseDouble(n.asText());
            }
            catch (NumberFormatException e)
            {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
