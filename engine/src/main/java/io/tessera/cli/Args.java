package io.tessera.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Command-line options: {@code --name value}, {@code --name=value} and bare {@code --flag}s, in any order. */
final class Args {
    private final List<String> args;
    private final List<String> positional = new ArrayList<>();

    Args(String[] argv) {
        this.args = List.of(argv);
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--")) {
                positional.add(argv[i]);
            } else if (!argv[i].contains("=") && i + 1 < argv.length && !argv[i + 1].startsWith("--") && !isFlag(argv[i])) {
                i++;
            }
        }
    }

    private static boolean isFlag(String a) {
        return a.equals("--head") || a.equals("--quick");
    }

    boolean flag(String name) {
        return args.contains(name);
    }

    String value(String name) {
        return valueOpt(name).orElse(null);
    }

    String value(String name, String fallback) {
        return valueOpt(name).orElse(fallback);
    }

    Optional<String> valueOpt(String name) {
        final List<String> v = values(name);
        return v.isEmpty() ? Optional.empty() : Optional.of(v.getLast());
    }

    List<String> values(String name) {
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            final String a = args.get(i);
            if (a.equals(name) && i + 1 < args.size()) {
                out.add(args.get(i + 1));
            } else if (a.startsWith(name + "=")) {
                out.add(a.substring(name.length() + 1));
            }
        }
        return out;
    }

    /** Arguments that are not options, in order (the command first). */
    List<String> positional() {
        return positional;
    }
}
