package io.tessera.jmh.report;

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
 */
record BenchResult(String className, String method, Map<String, String> params, String mode, double score,
                   double error, String unit, double p50, double p99, double p999) {

    boolean isSampleTime() {
        return mode.equals("sample");
    }

    boolean higherIsBetter() {
        return mode.equals("thrpt");
    }

    /** The figure ratios are taken on: the median for sample time (robust to GC outliers), else the score. */
    double figure() {
        return isSampleTime() ? p50 : score;
    }

    /** The results in a JMH JSON document ({@code -rf json}). */
    static List<BenchResult> fromJmhJson(String json) {
        final Object doc = Json.parse(json);
        if (!(doc instanceof List<?> items)) {
            throw new IllegalArgumentException("JMH JSON: expected an array of results at the top level");
        }
        return items.stream().map(BenchResult::fromItem).toList();
    }

    private static BenchResult fromItem(Object item) {
        final Map<?, ?> m = (Map<?, ?>) item;
        final String benchmark = (String) m.get("benchmark");
        final int dot = benchmark.lastIndexOf('.');
        final Map<String, String> params = new TreeMap<>();
        if (m.get("params") instanceof Map<?, ?> p) {
            p.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
        }
        final Map<?, ?> primary = (Map<?, ?>) m.get("primaryMetric");
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        double p999 = Double.NaN;
        if (primary.get("scorePercentiles") instanceof Map<?, ?> pct) {
            p50 = number(pct.get("50.0"));
            p99 = number(pct.get("99.0"));
            p999 = number(pct.get("99.9"));
        }
        return new BenchResult(benchmark.substring(0, dot), benchmark.substring(dot + 1), params,
            (String) m.get("mode"), number(primary.get("score")), number(primary.get("scoreError")),
            (String) primary.get("scoreUnit"), p50, p99, p999);
    }

    /** JMH writes NaN and infinities as strings. */
    private static double number(Object o) {
        if (o instanceof Double d) {
            return d;
        }
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
