package io.tessera.jmh.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints the markdown table of a JMH JSON result file: each Tessera figure, the baseline measured in
 * the same run, and Tessera's speed relative to it ({@code > 1} = Tessera faster), with p50/p99/p99.9
 * for sample-time results.
 * <pre>
 * java -cp jmh/target/benchmarks.jar io.tessera.jmh.report.BenchTable [bench-results.json] [--out table.md]
 * </pre>
 */
public final class BenchTable
{
    private BenchTable()
    {
    }

    public static void main(String[] args) throws IOException
    {
        Path in = Path.of("bench-results.json");
        Path out = null;
        for (int i = 0; i < args.length; i++)
        {
            if (args[i].equals("--out") && i + 1 < args.length)
            {
                out = Path.of(args[++i]);
            }
            else if (args[i].startsWith("-"))
            {
                System.err.println("usage: BenchTable [results.json] [--out table.md]; unknown option " + args[i]);
                System.exit(2);
            }
            else
            {
                in = Path.of(args[i]);
            }
        }
        if (!Files.isRegularFile(in))
        {
            System.err.println("BenchTable: no JMH result file at " + in.toAbsolutePath() + " (run JMH with -rf json -rff " + in + ")");
            System.exit(1);
        }
        final String table = render(BenchResult.fromJmhJson(Files.readString(in, StandardCharsets.UTF_8)));
        System.out.print(table);
        if (out != null)
        {
            Files.writeString(out, table, StandardCharsets.UTF_8);
        }
    }

    /** The markdown table of {@code results}, paired by {@link Pairing}. */
    static String render(List<BenchResult> results)
    {
        final StringBuilder sb = new StringBuilder();
        final boolean alloc = results.stream().anyMatch(r -> !Double.isNaN(r.allocBytes()));
        sb.append("| benchmark | params | Tessera | figure | baseline | figure | unit | Tessera speed vs baseline | "
            + "Tessera p50 / p99 / p99.9 | baseline p50 / p99 / p99.9 |" + (alloc ? " alloc B/op Tessera / baseline |" : "") + "\n");
        sb.append("|---|---|---|---:|---|---:|---|---:|---|---|").append(alloc ? "---:|" : "").append('\n');
        for (Pairing.Row row : Pairing.pair(results))
        {
            final BenchResult any = row.tessera() != null ? row.tessera() : row.baseline();
            sb.append("| ").append(shortClass(any.className()))
                .append(" | ").append(params(any.params()))
                .append(" | ").append(row.tessera() == null ? "" : row.tessera().method())
                .append(" | ").append(row.tessera() == null ? "" : num(row.tessera().figure()))
                .append(" | ").append(row.baseline() == null ? "" : row.baseline().method())
                .append(" | ").append(row.baseline() == null ? "" : num(row.baseline().figure()))
                .append(" | ").append(unit(any))
                .append(" | ").append(ratio(row.tessera(), row.baseline()))
                .append(" | ").append(percentiles(row.tessera()))
                .append(" | ").append(percentiles(row.baseline()))
                .append(" |");
            if (alloc)
            {
                sb.append(' ').append(allocation(row.tessera())).append(" / ").append(allocation(row.baseline())).append(" |");
            }
            sb.append('\n');
        }
        sb.append("\nFigure: the median (p50) for sample-time results, JMH's score otherwise. Speed > 1: Tessera faster")
            .append(" (baseline time / Tessera time, or Tessera throughput / baseline throughput).\n");
        return sb.toString();
    }

    /** Tessera's speed relative to the baseline, or empty when either is missing or the units differ. */
    static String ratio(BenchResult tessera, BenchResult baseline)
    {
        if (tessera == null || baseline == null || !tessera.unit().equals(baseline.unit())
            || !tessera.mode().equals(baseline.mode()))
        {
            return "";
        }
        final double t = tessera.figure();
        final double b = baseline.figure();
        if (!(t > 0) || !(b > 0))
        {
            return "";
        }
        final double speed = tessera.higherIsBetter() ? t / b : b / t;
        return String.format(Locale.ROOT, "%.2f×", speed);
    }

    private static String allocation(BenchResult r)
    {
        return r == null || Double.isNaN(r.allocBytes()) ? "-" : String.format(Locale.ROOT, "%.0f", r.allocBytes());
    }

    private static String unit(BenchResult r)
    {
        return r.isSampleTime() ? r.unit() + " (p50)" : r.unit();
    }

    private static String percentiles(BenchResult r)
    {
        if (r == null || !r.isSampleTime())
        {
            return "";
        }
        return num(r.p50()) + " / " + num(r.p99()) + " / " + num(r.p999());
    }

    private static String params(Map<String, String> params)
    {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String shortClass(String className)
    {
        final String prefix = "io.tessera.jmh.";
        return className.startsWith(prefix) ? className.substring(prefix.length()) : className;
    }

    static String num(double v)
    {
        if (Double.isNaN(v))
        {
            return "NaN";
        }
        final double a = Math.abs(v);
        if (a >= 100)
        {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10)
        {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1)
        {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
