package io.tessera.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.internal.cluster.ClusterHome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code tessera job submit | status | logs | stop | list | delete}: the head's jobs API (served
 * by its dashboard), over HTTP. The driver runs on the head's machine as the head's child process,
 * and keeps running when this command goes away.
 */
@Command(name = "job", description = "Run driver programs on the head, supervised by it (the jobs API).",
    subcommands = {JobCommands.Submit.class, JobCommands.Status.class, JobCommands.Logs.class, JobCommands.Stop.class,
        JobCommands.ListJobs.class, JobCommands.Delete.class},
    footer = {"", "Examples:", "  tessera job submit -- app.jar com.example.Main --its-own-flag 1",
        "  tessera job submit --no-wait --env MODE=fast -- build/classes com.example.Main", "  tessera job logs --follow job-1a2b3c4d"})
final class JobCommands implements Callable<Integer>
{
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long {@code job stop} waits for the driver to be gone. */
    private static final long STOP_WAIT_MS = 60_000;

    @Mixin
    HelpOption help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code tessera job} alone: its commands. */
    @Override
    public Integer call()
    {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /** {@code --address}: the head's dashboard, where the jobs API is. */
    static final class Address
    {
        @Option(names = "--address", paramLabel = "URL",
            description = "The head's dashboard, http://HOST:PORT (default: TESSERA_DASHBOARD_ADDRESS, else the dashboard of"
                + " the last head started here, else http://127.0.0.1:8265).")
        String url;
    }

    /** A command that talks to the jobs API: {@code --help}, {@code --address}. */
    abstract static class ApiCommand implements Callable<Integer>
    {
        @Mixin
        HelpOption help;

        @Mixin
        Address address;
    }

    /** A command about one job: and its submission id. */
    abstract static class OneJob extends ApiCommand
    {
        @Parameters(index = "0", paramLabel = "ID", description = "The job's submission id.")
        String id;
    }

    @Command(name = "submit", description = {"Run a driver program on the head and, unless --no-wait, print its output and exit"
        + " with its result (0 SUCCEEDED, 1 otherwise).", "CLASSPATH (jars or class directories, joined with ':', ';' on Windows)"
        + " is read on the head's machine; everything after MAIN goes to the program untouched."})
    static final class Submit extends ApiCommand
    {
        @Option(names = "--working-dir", paramLabel = "DIR", description = "The driver's working directory (on the head's machine).")
        Path workingDir;

        @Option(names = "--env", paramLabel = "K=V", description = "An environment variable of the driver (repeatable).")
        List<String> env = new ArrayList<>();

        @Option(names = "--submission-id", paramLabel = "ID", description = "The job's id (default: a generated one).")
        String submissionId;

        @Option(names = "--no-wait", description = "Return once the job is submitted.")
        boolean noWait;

        @Parameters(index = "0", paramLabel = "CLASSPATH", description = "The program's jar or class directories.")
        String classPath;

        @Parameters(index = "1", paramLabel = "MAIN", description = "Its main class, e.g. com.example.Main.")
        String mainClass;

        @Parameters(index = "2..*", paramLabel = "ARGS", description = "The program's own arguments.")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception
        {
            final Map<String, String> vars = new LinkedHashMap<>();
            for (String kv : env)
            {
                final int eq = kv.indexOf('=');
                if (eq <= 0)
                {
                    throw CliFailure.usage("--env takes NAME=VALUE, got '" + kv + "'");
                }
                vars.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("submissionId", submissionId);
            body.put("classPath", Stream.of(classPath.split(File.pathSeparator)).filter(s -> !s.isEmpty())
                .map(s -> Path.of(s).toAbsolutePath().toString()).toList());
            body.put("mainClass", mainClass);
            body.put("args", args);
            body.put("env", vars);
            body.put("workingDir", workingDir == null ? null : workingDir.toAbsolutePath().toString());
            final Api api = Api.of(address);
            final JsonNode job = api.call("POST", "/api/jobs", JSON.writeValueAsString(body));
            final String id = job.get("submissionId").asText();
            System.out.println("tessera: job " + id + " submitted (" + job.get("status").asText() + ", driver pid "
                + job.get("driverPid").asLong() + ", job " + job.get("jobId").asText() + ")");
            System.out.flush();
            if (noWait)
            {
                return 0;
            }
            final JsonNode end = api.follow(id);
            return "SUCCEEDED".equals(end.get("status").asText()) ? 0 : CliFailure.RUNTIME;
        }
    }

    @Command(name = "status", description = "Print a job's status (PENDING, RUNNING, SUCCEEDED, FAILED, STOPPED) and why.")
    static final class Status extends OneJob
    {
        @Override
        public Integer call()
        {
            final JsonNode j = Api.of(address).call("GET", "/api/jobs/" + id, null);
            System.out.println("job " + j.get("submissionId").asText() + ": " + j.get("status").asText());
            System.out.println("  message:  " + j.get("message").asText());
            System.out.println("  driver:   " + j.get("mainClass").asText() + " " + String.join(" ", texts(j.get("args")))
                + " (job " + j.get("jobId").asText() + ", pid " + j.get("driverPid").asLong() + ")");
            System.out.println("  started:  " + time(j.get("startTimeMs").asLong()) + "   ended: " + time(j.get("endTimeMs").asLong())
                + "   exit code: " + (j.get("exitCode").isNull() ? "-" : j.get("exitCode").asText()));
            return 0;
        }
    }

    @Command(name = "logs", description = "Print a job's driver output; with --follow, until the job ends.")
    static final class Logs extends OneJob
    {
        @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the job ends.")
        boolean follow;

        @Override
        public Integer call() throws Exception
        {
            final Api api = Api.of(address);
            if (follow)
            {
                api.follow(id);
            }
            else
            {
                System.out.print(api.text("/api/jobs/" + id + "/logs"));
            }
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop a job: SIGTERM to its driver, SIGKILL after a grace period; its tasks and actors go too.")
    static final class Stop extends OneJob
    {
        @Override
        public Integer call() throws InterruptedException
        {
            final Api api = Api.of(address);
            JsonNode j = api.call("POST", "/api/jobs/" + id + "/stop", "");
            final long deadline = System.currentTimeMillis() + STOP_WAIT_MS;
            while (!terminal(j.get("status").asText()) && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(100);
                j = api.call("GET", "/api/jobs/" + id, null);
            }
            System.out.println("job " + id + ": " + j.get("status").asText() + " (" + j.get("message").asText() + ")");
            return terminal(j.get("status").asText()) ? 0 : CliFailure.RUNTIME;
        }
    }

    @Command(name = "list", description = "List the jobs: those submitted here, then drivers' jobs started otherwise.")
    static final class ListJobs extends ApiCommand
    {
        @Override
        public Integer call()
        {
            final JsonNode all = Api.of(address).call("GET", "/api/jobs", null);
            System.out.printf("%-24s %-10s %-10s %-19s %-19s %s%n", "SUBMISSION", "JOB", "STATUS", "STARTED", "ENDED", "MESSAGE");
            for (JsonNode j : all)
            {
                final String submission = j.get("submissionId").isNull() ? "-" : j.get("submissionId").asText();
                System.out.printf("%-24s %-10s %-10s %-19s %-19s %s%n", submission, j.get("jobId").asText(), j.get("status").asText(),
                    time(j.get("startTimeMs").asLong()), time(j.get("endTimeMs").asLong()), j.get("message").asText());
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Forget a finished job and delete its output.")
    static final class Delete extends OneJob
    {
        @Override
        public Integer call()
        {
            Api.of(address).call("DELETE", "/api/jobs/" + id, null);
            System.out.println("job " + id + " deleted");
            return 0;
        }
    }

    private static boolean terminal(String status)
    {
        return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("STOPPED");
    }

    private static String time(long ms)
    {
        return ms == 0 ? "-" : Instant.ofEpochMilli(ms).toString().substring(0, 19).replace('T', ' ');
    }

    private static List<String> texts(JsonNode array)
    {
        final List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The jobs API at one address, with the cluster token when one is known here. */
    record Api(String base, String token, HttpClient http)
    {
        static Api of(Address a)
        {
            String url = a.url;
            if (url == null || url.isBlank())
            {
                url = System.getenv("TESSERA_DASHBOARD_ADDRESS");
            }
            if (url == null || url.isBlank())
            {
                url = recordedDashboard();
            }
            if (!url.contains("://"))
            {
                url = "http://" + url;
            }
            url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            try
            {
                URI.create(url).toURL();
            }
            catch (IllegalArgumentException | java.net.MalformedURLException ex)
            {
                throw CliFailure.usage("--address must be the dashboard's http://HOST:PORT, got '" + url + "'");
            }
            return new Api(url, token(url), HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
        }

        /** The dashboard of the last head started here, from the file its dashboard writes; else Ray's default port. */
        private static String recordedDashboard()
        {
            try
            {
                final Cluster.Target head = Cluster.target(null);
                final Path f = ClusterHome.resolve().dir().resolve("dashboard-" + head.address().port() + ".url");
                if (Files.exists(f))
                {
                    return Files.readString(f).trim();
                }
            }
            catch (CliFailure | IOException noHeadKnownHere)
            {
                // the default below
            }
            return "http://127.0.0.1:8265";
        }

        /** TESSERA_TOKEN, else the token of the head here whose dashboard is {@code url}, else none (loopback needs none). */
        private static String token(String url)
        {
            final String env = System.getenv("TESSERA_TOKEN");
            if (env != null && !env.isBlank())
            {
                return env;
            }
            final ClusterHome home = ClusterHome.resolve();
            try (Stream<Path> files = Files.list(home.dir()))
            {
                for (Iterator<Path> it = files.iterator(); it.hasNext();)
                {
                    final Path f = it.next();
                    final String name = f.getFileName().toString();
                    if (name.startsWith("dashboard-") && name.endsWith(".url") && (Files.readString(f).trim() + "/").startsWith(url + "/"))
                    {
                        return home.readToken(Integer.parseInt(name.substring("dashboard-".length(), name.length() - ".url".length())));
                    }
                }
            }
            catch (IOException | RuntimeException noTokenHere)
            {
                // none
            }
            return null;
        }

        private HttpRequest.Builder request(String path)
        {
            final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
            if (token != null)
            {
                b.header("Authorization", "Bearer " + token);
            }
            return b;
        }

        /** Sends one request; its JSON answer, or a one-line failure. */
        JsonNode call(String method, String path, String body)
        {
            final HttpRequest r = request(path).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
            final String answer = send(r, HttpResponse.BodyHandlers.ofString()).body();
            try
            {
                return JSON.readTree(answer);
            }
            catch (IOException ex)
            {
                throw CliFailure.runtime("the jobs API at " + base + " answered what is not JSON: " + answer);
            }
        }

        String text(String path)
        {
            return send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        }

        /** Prints the job's output as it comes until the job ends; returns the job as it ended. */
        JsonNode follow(String id) throws IOException
        {
            call("GET", "/api/jobs/" + id, null);  // an unknown job is told as such, not as a failed stream
            final HttpResponse<Stream<String>> r = send(request("/api/jobs/" + id + "/logs/tail").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
            boolean end = false;
            try (Stream<String> lines = r.body())
            {
                for (Iterator<String> it = lines.iterator(); it.hasNext();)
                {
                    final String line = it.next();
                    if (line.equals("event: end"))
                    {
                        end = true;
                    }
                    else if (line.startsWith("data: ") && end)
                    {
                        final JsonNode job = JSON.readTree(line.substring(6));
                        if (job == null || !job.has("status"))
                        {
                            throw CliFailure.runtime("job " + id + " was deleted while its output was followed");
                        }
                        System.out.flush();
                        System.err.println("tessera: job " + id + " " + job.get("status").asText() + ": " + job.get("message").asText());
                        return job;
                    }
                    else if (line.startsWith("data: "))
                    {
                        System.out.println(line.substring(6));
                    }
                }
            }
            throw CliFailure.runtime("the jobs API at " + base + " closed the log stream of job " + id + " before the job ended");
        }

        private <T> HttpResponse<T> send(HttpRequest r, HttpResponse.BodyHandler<T> handler)
        {
            final HttpResponse<T> response;
            try
            {
                response = http.send(r, handler);
            }
            catch (ConnectException ex)
            {
                throw new CliFailure(CliFailure.RUNTIME, "cannot reach the jobs API at " + base + " (" + CliFailure.rootMessage(ex)
                    + "): check that the head runs with its dashboard there, or give --address http://HOST:PORT", ex);
            }
            catch (IOException ex)
            {
                throw new CliFailure(CliFailure.RUNTIME, "the jobs API at " + base + " failed: " + CliFailure.rootMessage(ex), ex);
            }
            catch (InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw CliFailure.runtime("interrupted");
            }
            if (response.statusCode() / 100 != 2)
            {
                throw CliFailure.runtime(error(response));
            }
            return response;
        }

        private static String error(HttpResponse<?> response)
        {
            String text = response.body() instanceof String s ? s.trim() : "";
            try
            {
                final JsonNode e = JSON.readTree(text);
                if (e != null && e.has("error"))
                {
                    text = e.get("error").asText();
                }
            }
            catch (IOException notJson)
            {
                // the text as it is
            }
            return text.isEmpty() ? "HTTP " + response.statusCode() : text + (response.statusCode() == 401
                ? " (set TESSERA_TOKEN to the cluster's token)" : "");
        }
    }
}
