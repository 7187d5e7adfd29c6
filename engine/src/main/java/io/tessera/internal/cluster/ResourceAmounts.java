package io.tessera.internal.cluster;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Resource amounts as {@code tessera status} prints them: {@code CPU}, {@code GPU} and {@code memory}
 * first, then custom resources by name; whole amounts without a fraction, memory in KiB/MiB/GiB.
 * <pre>{@code {CPU=4, GPU=0, memory=16.5 GiB, special=2, zone-a=0.5}}</pre>
 */
public final class ResourceAmounts
{
    private static final List<String> BUILT_IN = List.of("CPU", "GPU", "memory");

    private ResourceAmounts()
    {
    }

    static String format(Map<String, Double> amounts)
    {
        final StringJoiner j = new StringJoiner(", ", "{", "}");
        if (amounts == null)
        {
            return j.toString();
        }
        for (String name : BUILT_IN)
        {
            final Double v = amounts.get(name);
            if (v != null)
            {
                j.add(name + "=" + (name.equals("memory") ? bytes(v) : number(v)));
            }
        }
        new TreeMap<>(amounts).forEach((name, v) ->
        {
            if (!BUILT_IN.contains(name))
            {
                j.add(name + "=" + number(v));
            }
        });
        return j.toString();
    }

    /**
     * An amount: whole without a fraction, else up to 3 decimals.
     *
     * @param v the amount
     * @return its text
     */
    public static String number(double v)
    {
        if (v == Math.rint(v) && Math.abs(v) < 1e15)
        {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
    }

    /**
     * A byte count in B, KiB, MiB, GiB or TiB, one decimal.
     *
     * @param v the bytes
     * @return its text
     */
    public static String bytes(double v)
    {
        final String[] units = {"KiB", "MiB", "GiB", "TiB"};
        if (Math.abs(v) < 1024)
        {
            return number(v) + " B";
        }
        double x = v / 1024;
        int u = 0;
        while (Math.abs(x) >= 1024 && u < units.length - 1)
        {
            x /= 1024;
            u++;
        }
        return number(Math.round(x * 10) / 10.0) + " " + units[u];
    }
}
