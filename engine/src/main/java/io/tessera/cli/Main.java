package io.tessera.cli;

import io.tessera.internal.JvmFlags;

/** {@code tessera <command>}: the command line behind {@code bin/tessera}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        final String cmd = args.length == 0 ? "help" : args[0];
        switch (cmd) {
            case "demo" -> {
                return new Demo(System.out).run();
            }
            case "flags" -> {
                System.out.println(JvmFlags.recommended());
                return 0;
            }
            case "start", "status", "stop", "submit" -> {
                System.err.println("tessera " + cmd + ": cluster commands are not in this build yet (embedded node only); "
                    + "use Tessera.init() in your program");
                return 2;
            }
            case "help", "--help", "-h" -> {
                System.out.println("""
                    usage: tessera <command>
                      demo     run the demo on an embedded node
                      bench    run the JMH latency suites (bin/tessera bench [--quick])
                      flags    print the JVM flags a program linking Tessera needs
                    """);
                return 0;
            }
            default -> {
                System.err.println("tessera: unknown command '" + cmd + "' (try: tessera help)");
                return 2;
            }
        }
    }
}
