package io.tessera.jmh.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pairs each Tessera figure with the baselines measured beside it, by method name, within one class
 * and one set of {@code @Param} values:
 * <ul>
 * <li>In a class with methods named {@code tessera…}, those are the Tessera figures and every other
 *     method is a <b>baseline</b> ({@code tesseraMailbox} vs {@code singleThreadExecutorPerActor}).</li>
 * <li>In other classes a method is a baseline when its name starts with {@code baseline}, {@code hazelcast},
 *     {@code raw} or {@code jdk}, or has {@code Baseline}, {@code Hazelcast} or {@code Raw} as a later
 *     camel-case word ({@code concurrentHashMapBaseline}, {@code htodRawPinned}); the rest are Tessera
 *     figures ({@code storePutGet}, {@code htodGpuBufferDirect}).</li>
 * <li>Keys: a Tessera method's name without a leading {@code tessera} ({@code tesseraPut} → {@code Put});
 *     a baseline's name after its marker word ({@code hazelcastPutOneMember} → {@code PutOneMember}).</li>
 * <li>A baseline whose marker is inside the name ({@code htodRawPinned}) pairs only with the Tessera
 *     methods that start with the text before the marker ({@code htod…}). Otherwise it pairs with the
 *     Tessera methods whose key begins its key ({@code Put} for {@code PutOneMember}), and when there
 *     are none, with every Tessera method of the class.</li>
 * </ul>
 */
final class Pairing
{
    private static final Pattern TESSERA = Pattern.compile("^tessera(?=[A-Z0-9]|$)");
    private static final Pattern MARKER = Pattern.compile("^(baseline|hazelcast|raw|jdk)(?=[A-Z0-9]|$)|(Baseline|Hazelcast|Raw)(?=[A-Z0-9]|$)");

    /** One table row: a Tessera result and one of its baselines (null when it has none), or a lone baseline. */
    record Row(BenchResult tessera, BenchResult baseline)
    {
    }

    private Pairing()
    {
    }

    /** Whether {@code method} is a baseline; {@code named}: its class has {@code tessera…} methods in this run. */
    static boolean isBaseline(String method, boolean named)
    {
        return named ? !TESSERA.matcher(method).find() : MARKER.matcher(method).find();
    }

    /** Rows in the order the results came, one per pair; unpaired results get a row of their own. */
    static List<Row> pair(List<BenchResult> results)
    {
        final Map<String, List<BenchResult>> groups = new LinkedHashMap<>();
        for (BenchResult r : results)
        {
            groups.computeIfAbsent(r.className() + " " + r.params(), k -> new ArrayList<>()).add(r);
        }
        final List<Row> rows = new ArrayList<>();
        for (List<BenchResult> group : groups.values())
        {
            final boolean named = group.stream().anyMatch(r -> TESSERA.matcher(r.method()).find());
            final List<BenchResult> tessera = group.stream().filter(r -> !isBaseline(r.method(), named)).toList();
            final List<BenchResult> baselines = group.stream().filter(r -> isBaseline(r.method(), named)).toList();
            final Map<BenchResult, List<BenchResult>> pairs = new LinkedHashMap<>();
            tessera.forEach(t -> pairs.put(t, new ArrayList<>()));
            final List<BenchResult> lone = new ArrayList<>();
            final boolean keyed = baselines.stream().anyMatch(b -> !byKey(b.method(), tessera).isEmpty());
            for (BenchResult b : baselines)
            {
                final List<BenchResult> partners = partners(b.method(), tessera, keyed);
                partners.forEach(t -> pairs.get(t).add(b));
                if (partners.isEmpty())
                {
                    lone.add(b);
                }
            }
            pairs.forEach((t, bs) ->
            {
                if (bs.isEmpty())
                {
                    rows.add(new Row(t, null));
                }
                bs.forEach(b -> rows.add(new Row(t, b)));
            });
            lone.forEach(b -> rows.add(new Row(null, b)));
        }
        return rows;
    }

    private static List<BenchResult> partners(String baseline, List<BenchResult> tessera, boolean keyed)
    {
        final Matcher m = MARKER.matcher(baseline);
        if (!m.find())
        {
            return tessera;
        }
        if (m.start() > 0 && m.end() < baseline.length())
        {
            final String group = baseline.substring(0, m.start());
            return tessera.stream().filter(t -> t.method().startsWith(group)).toList();
        }
        return keyed ? byKey(baseline, tessera) : tessera;
    }

    /** The Tessera methods whose key begins the baseline's key (empty for a marker at the end of the name). */
    private static List<BenchResult> byKey(String baseline, List<BenchResult> tessera)
    {
        final Matcher m = MARKER.matcher(baseline);
        if (!m.find() || m.start() != 0)
        {
            return List.of();
        }
        final String key = baseline.substring(m.end()).toLowerCase(Locale.ROOT);
        return tessera.stream()
            .filter(t -> !tesseraKey(t.method()).isEmpty() && !key.isEmpty() && key.startsWith(tesseraKey(t.method())))
            .toList();
    }

    private static String tesseraKey(String method)
    {
        final String k = method.startsWith("tessera") ? method.substring("tessera".length()) : method;
        return k.toLowerCase(Locale.ROOT);
    }
}
