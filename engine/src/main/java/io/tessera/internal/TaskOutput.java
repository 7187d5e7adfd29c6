package io.tessera.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.function.Supplier;

/**
 * What tasks and actor methods print on a cluster node: {@link #install} replaces
 * {@code System.out} and {@code System.err} with streams that route by thread. On a worker thread
 * running an invocation of a job, whole lines go to the {@link Sink} tagged with the job and the
 * function's name (SLF4J records of task code included: slf4j-simple writes them to
 * {@code System.err}); every other thread writes to the original stream as before. An embedded node
 * installs nothing, so its tasks print to the console as they always did.
 * <p>
 * Cost for a task that prints nothing: its invocation reads the job it belongs to when it is
 * created (two thread-local reads, only once installed) and checks a field when it ends.
 */
public final class TaskOutput
{
    /** Where captured lines go. */
    public interface Sink
    {
        /** A whole line (without its line break) printed by {@code source}'s code on stdout or stderr. */
        void line(Source source, boolean err, String text);
    }

    /** The code running on a thread whose output is captured: its job and a readable name. */
    public interface Source
    {
        /** The job the code belongs to, or null when its output is not captured. */
        String logJob();

        /** The function or actor method, e.g. {@code Counter.add}. */
        String logName();
    }

    /** Longest line kept whole; longer ones are split. */
    static final int MAX_LINE = 16 * 1024;

    private static final ThreadLocal<String> SUBMITTING = new ThreadLocal<>();
    private static volatile boolean installed;
    private static volatile Sink sink;

    private TaskOutput()
    {
    }

    /**
     * Routes task output of this process to {@code to} from now on: the first call wraps
     * {@code System.out} and {@code System.err}, a later one (another node in the same JVM, in tests)
     * takes the output over.
     */
    public static synchronized void install(Sink to)
    {
        sink = to;
        if (!(System.out instanceof Routed))
        {
            System.setOut(new Routed(System.out, false, () -> sink, TaskOutput::running));
        }
        if (!(System.err instanceof Routed))
        {
            System.setErr(new Routed(System.err, true, () -> sink, TaskOutput::running));
        }
        installed = true;
    }

    /** {@code from} stops receiving output (its node closes); with no sink, tasks print to the original streams again. */
    public static synchronized void uninstall(Sink from)
    {
        if (sink == from)
        {
            sink = null;
            installed = false;
        }
    }

    /** Whether {@link #install} ran in this process. */
    public static boolean installed()
    {
        return installed;
    }

    /**
     * Runs {@code body} (which submits a task or actor call for job {@code job} on this thread) so
     * that the invocations it creates belong to that job.
     */
    public static <T> T submittingFor(String job, Supplier<T> body)
    {
        if (!installed)
        {
            return body.get();
        }
        final String before = SUBMITTING.get();
        SUBMITTING.set(job);
        try
        {
            return body.get();
        }
        finally
        {
            SUBMITTING.set(before);
        }
    }

    /** The job an invocation created now on this thread belongs to: the one being submitted for, else the running one's. */
    static String jobForNew()
    {
        if (!installed)
        {
            return null;
        }
        final String job = SUBMITTING.get();
        if (job != null)
        {
            return job;
        }
        final Source running = running();
        return running == null ? null : running.logJob();
    }

    /** The code running on this thread when it may be captured (an invocation), else null. */
    private static Source running()
    {
        return RunningTask.get() instanceof Source s ? s : null;
    }

    /** An invocation whose output is captured ended on this thread: what it printed without a line break goes out now. */
    static void ended(Source source)
    {
        if (System.out instanceof Routed out)
        {
            out.flushPartial(source);
        }
        if (System.err instanceof Routed err)
        {
            err.flushPartial(source);
        }
    }

    /** A stream that sends the whole lines of captured threads to the sink and everything else to the original. */
    static final class Routed extends PrintStream
    {
        Routed(PrintStream original, boolean err, Supplier<Sink> sink, Supplier<? extends Source> current)
        {
            super(new Router(original, err, sink, current), true, original.charset());
        }

        void flushPartial(Source source)
        {
            ((Router)out).flushPartial(source);
        }
    }

    /** The byte stream under {@link Routed}: called under the print stream's lock, with a line buffer per thread. */
    static final class Router extends OutputStream
    {
        private final PrintStream original;
        private final boolean err;
        private final Supplier<Sink> sink;
        private final Supplier<? extends Source> current;
        private final Charset charset;
        private final ThreadLocal<Pending> pending = new ThreadLocal<>();

        Router(PrintStream original, boolean err, Supplier<Sink> sink, Supplier<? extends Source> current)
        {
            this.original = original;
            this.err = err;
            this.sink = sink;
            this.current = current;
            this.charset = original.charset();
        }

        /** Bytes of a line not yet ended, and whose they are. */
        private static final class Pending
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            Source source;
        }

        private Source capturing()
        {
            if (sink.get() == null)
            {
                return null;
            }
            final Source s = current.get();
            return s != null && s.logJob() != null ? s : null;
        }

        @Override
        public void write(int b)
        {
            write(new byte[] {(byte)b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len)
        {
            final Source source = capturing();
            if (source == null)
            {
                original.write(b, off, len);
                return;
            }
            Pending p = pending.get();
            if (p == null)
            {
                p = new Pending();
                pending.set(p);
            }
            if (p.source != source && p.bytes.size() > 0)
            {
                emit(p);
            }
            p.source = source;
            int start = off;
            final int end = off + len;
            for (int i = off; i < end; i++)
            {
                if (b[i] == '\n')
                {
                    p.bytes.write(b, start, i - start);
                    emit(p);
                    start = i + 1;
                }
                else if (p.bytes.size() + (i - start) >= MAX_LINE)
                {
                    p.bytes.write(b, start, i - start);
                    emit(p);
                    start = i;
                }
            }
            p.bytes.write(b, start, end - start);
        }

        private void emit(Pending p)
        {
            final byte[] bytes = p.bytes.toByteArray();
            int n = bytes.length;
            if (n > 0 && bytes[n - 1] == '\r')
            {
                n--;
            }
            p.bytes.reset();
            final Sink to = sink.get();
            if (to != null)
            {
                to.line(p.source, err, new String(bytes, 0, n, charset));
            }
        }

        void flushPartial(Source source)
        {
            final Pending p = pending.get();
            if (p != null && p.source == source && p.bytes.size() > 0)
            {
                emit(p);
            }
            if (p != null && p.source == source)
            {
                p.source = null;
            }
        }

        @Override
        public void flush()
        {
            original.flush();
        }
    }
}
