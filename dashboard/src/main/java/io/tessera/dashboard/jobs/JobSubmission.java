package io.tessera.dashboard.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code POST /api/jobs} asks for: a driver program (its class path on the head's file system,
 * its main class and arguments) and its runtime environment.
 *
 * @param submissionId the job's id; null or empty for a generated one
 * @param classPath    jars or class directories, paths on the head's machine (at least one)
 * @param mainClass    the class whose {@code main} runs
 * @param args         its arguments (null: none)
 * @param env          environment variables for the driver (null: none beyond the head's own)
 * @param workingDir   the driver's working directory (null: the head's)
 */
public record JobSubmission(String submissionId, List<String> classPath, String mainClass, List<String> args,
                            Map<String, String> env, String workingDir)
{
    /** Ids are file and URL safe. */
    static final String ID_PATTERN = "[A-Za-z0-9_-]{1,64}";

    /** Fills the optional parts in. */
    public JobSubmission
    {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        classPath = classPath == null ? List.of() : List.copyOf(classPath);
    }

    /**
     * Checks what can be checked before the driver starts (a main class that is not there makes
     * the job FAILED instead, with that reason).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    void validate()
    {
        if (submissionId != null && !submissionId.isEmpty() && !submissionId.matches(ID_PATTERN))
        {
            throw new IllegalArgumentException("submissionId must be 1 to 64 letters, digits, '_' or '-', got '" + submissionId + "'");
        }
        if (classPath.isEmpty())
        {
            throw new IllegalArgumentException("classPath is missing: give the driver's jar or class directories (paths on the head)");
        }
        for (String entry : classPath)
        {
            if (entry == null || !Files.exists(Path.of(entry)))
            {
                throw new IllegalArgumentException("no such class path entry on the head: " + entry);
            }
        }
        if (mainClass == null || mainClass.isBlank())
        {
            throw new IllegalArgumentException("mainClass is missing: give the fully qualified name of the driver's class with main");
        }
        if (workingDir != null && !workingDir.isEmpty() && !Files.isDirectory(Path.of(workingDir)))
        {
            throw new IllegalArgumentException("no such working directory on the head: " + workingDir);
        }
        for (Map.Entry<String, String> e : env.entrySet())
        {
            if (e.getKey().isEmpty() || e.getKey().contains("=") || e.getValue() == null)
            {
                throw new IllegalArgumentException("bad environment variable '" + e.getKey() + "': a name without '=' and a value");
            }
        }
    }
}
