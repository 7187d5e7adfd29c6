package io.tessera.cli;

import io.tessera.internal.JvmFlags;

/** {@code tessera <command>}: the command line behind {@code bin/tessera}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        final String cmd = args.length == 0 ? "help" : args[0];
        switch (cmd) {
            case "demo" -> {
                return new Demo(System.out).run();
            }
            case "flags" -> {
                System.out.println(JvmFlags.recommended());
                return 0;
            }
            case "start" -> {
                return Cluster.start(new Args(args), args);
            }
            case "stop" -> {
                return Cluster.stop();
            }
            case "status" -> {
                return Cluster.status(new Args(args));
            }
            case "submit" -> {
                return Cluster.submit(new Args(args));
            }
            case "help", "--help", "-h" -> {
                System.out.println("""
                    usage: tessera <command>
                      demo     run the demo on an embedded node
                      start --head [--port 6380] [--object-store 2g]        start the head node (in the background)
                      start --address HOST:PORT [--cpus N] [--gpus N] [--resource NAME=AMOUNT]...
                                                                            start a worker node joining the cluster
                      status [--address HOST:PORT]                          nodes, resources, actors, jobs
                      stop                                                  stop every node this user started here
                      submit --address HOST:PORT app.jar com.example.Main [args]
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
