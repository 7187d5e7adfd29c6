import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Rewrites Java sources from K&amp;R braces to the house (Aeron) layout: every opening brace of a type,
 * method, block or lambda body on its own line, aligned with its closing brace, and {@code else},
 * {@code catch}, {@code finally} and a do-loop's {@code while} on the line after the closing brace.
 * Array initialisers keep their braces. Only whitespace changes; the result is parsed again and
 * refused if its tokens differ from the original's.
 *
 * <p>Usage: {@code java engine/src/build/AeronBraces.java [--check] FILE_OR_DIR...}; {@code --check} lists files
 * that would change and exits 1 if there are any.
 */
public final class AeronBraces
{
    public static void main(final String[] args) throws IOException
    {
        boolean check = false;
        final List<Path> files = new ArrayList<>();
        for (final String arg : args)
        {
            if (arg.equals("--check"))
            {
                check = true;
                continue;
            }
            try (Stream<Path> walk = Files.walk(Path.of(arg)))
            {
                walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).forEach(files::add);
            }
        }
        int changed = 0;
        for (final Path file : files)
        {
            final String before = Files.readString(file);
            final String after = format(before, file.toString());
            if (!after.equals(before))
            {
                changed++;
                if (check)
                {
                    System.out.println(file);
                }
                else
                {
                    Files.writeString(file, after);
                }
            }
        }
        System.err.println((check ? "would change " : "changed ") + changed + " of " + files.size() + " files");
        if (check && changed > 0)
        {
            System.exit(1);
        }
    }

    static String format(final String source, final String name)
    {
        final String once = pass(source, name);
        final String twice = pass(once, name);
        if (!tokens(twice).equals(tokens(source)))
        {
            throw new IllegalStateException(name + ": formatting changed more than whitespace");
        }
        return twice;
    }

    private static String pass(final String source, final String name)
    {
        final Set<Integer> arrayBraces = arrayInitialiserBraces(source, name);
        final char[] s = source.toCharArray();
        final int[] match = new int[s.length];
        final List<Integer> open = new ArrayList<>();
        final boolean[] code = codeMask(s);
        final int[] line = new int[s.length + 1];
        for (int i = 0; i < s.length; i++)
        {
            line[i + 1] = line[i] + (s[i] == '\n' ? 1 : 0);
        }
        for (int i = 0; i < s.length; i++)
        {
            if (!code[i])
            {
                continue;
            }
            if (s[i] == '{')
            {
                open.add(i);
            }
            else if (s[i] == '}' && !open.isEmpty())
            {
                final int o = open.removeLast();
                match[o] = i;
                match[i] = o;
            }
        }

        final StringBuilder out = new StringBuilder(source.length() + 1024);
        for (int i = 0; i < s.length; i++)
        {
            final char c = s[i];
            if (code[i] && c == '{' && !arrayBraces.contains(i) && match[i] > i)
            {
                final int close = match[i];
                if (line[close] != line[i] && firstOnLine(s, close) && !onlyWhitespaceBefore(s, i))
                {
                    trimTrailing(out);
                    out.append('\n').append(indentOf(s, close)).append('{');
                    continue;
                }
            }
            if (code[i] && c == '}' && match[i] < i && firstOnLine(s, i))
            {
                final int next = skipSpaces(s, i + 1);
                if (startsWithKeyword(s, next, "else") || startsWithKeyword(s, next, "catch") ||
                    startsWithKeyword(s, next, "finally") || (startsWithKeyword(s, next, "while") && isDoBody(s, match[i], code)))
                {
                    out.append('}').append('\n').append(indentOf(s, i));
                    i = next - 1;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean isDoBody(final char[] s, final int open, final boolean[] code)
    {
        int j = open - 1;
        while (j >= 0 && Character.isWhitespace(s[j]))
        {
            j--;
        }
        return j >= 1 && s[j] == 'o' && s[j - 1] == 'd' && (j < 2 || !Character.isJavaIdentifierPart(s[j - 2])) && code[j];
    }

    private static Set<Integer> arrayInitialiserBraces(final String source, final String name)
    {
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        final JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + name.replace('\\', '/')),
            JavaFileObject.Kind.SOURCE)
        {
            @Override
            public CharSequence getCharContent(final boolean ignoreEncodingErrors)
            {
                return source;
            }
        };
        final JavacTask task = (JavacTask)javac.getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(file));
        final Set<Integer> braces = new HashSet<>();
        try
        {
            final Trees trees = Trees.instance(task);
            final SourcePositions positions = trees.getSourcePositions();
            final char[] s = source.toCharArray();
            final boolean[] code = codeMask(s);
            for (final CompilationUnitTree unit : task.parse())
            {
                new TreePathScanner<Void, Void>()
                {
                    @Override
                    public Void visitNewArray(final NewArrayTree tree, final Void unused)
                    {
                        if (tree.getInitializers() != null)
                        {
                            int p = (int)positions.getStartPosition(unit, tree);
                            while (p < s.length && !(s[p] == '{' && code[p]))
                            {
                                p++;
                            }
                            braces.add(p);
                        }
                        return super.visitNewArray(tree, unused);
                    }
                }.scan(unit, null);
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
        return braces;
    }

    /** true where a character is code: not inside a comment, string, text block or char literal. */
    private static boolean[] codeMask(final char[] s)
    {
        final boolean[] code = new boolean[s.length];
        int i = 0;
        while (i < s.length)
        {
            final char c = s[i];
            if (c == '/' && i + 1 < s.length && s[i + 1] == '/')
            {
                while (i < s.length && s[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '/' && i + 1 < s.length && s[i + 1] == '*')
            {
                i += 2;
                while (i + 1 < s.length && !(s[i] == '*' && s[i + 1] == '/'))
                {
                    i++;
                }
                i += 2;
            }
            else if (c == '"' && i + 2 < s.length && s[i + 1] == '"' && s[i + 2] == '"')
            {
                i += 3;
                while (i + 2 < s.length && !(s[i] == '"' && s[i + 1] == '"' && s[i + 2] == '"' && s[i - 1] != '\\'))
                {
                    i++;
                }
                i += 3;
            }
            else if (c == '"' || c == '\'')
            {
                i++;
                while (i < s.length && s[i] != c)
                {
                    if (s[i] == '\\')
                    {
                        i++;
                    }
                    i++;
                }
                i++;
            }
            else
            {
                code[i] = true;
                i++;
            }
        }
        return code;
    }

    private static List<String> tokens(final String source)
    {
        final List<String> tokens = new ArrayList<>();
        for (final String t : source.split("\\s+"))
        {
            if (!t.isEmpty())
            {
                tokens.add(t);
            }
        }
        // whitespace-separated chunks may merge differently ("}else" never occurs in input or output),
        // so compare the concatenation of non-whitespace characters instead
        return List.of(String.join("", tokens));
    }

    private static boolean firstOnLine(final char[] s, final int pos)
    {
        return onlyWhitespaceBefore(s, pos);
    }

    private static boolean onlyWhitespaceBefore(final char[] s, final int pos)
    {
        for (int j = pos - 1; j >= 0 && s[j] != '\n'; j--)
        {
            if (!Character.isWhitespace(s[j]))
            {
                return false;
            }
        }
        return true;
    }

    private static String indentOf(final char[] s, final int pos)
    {
        int start = pos;
        while (start > 0 && s[start - 1] != '\n')
        {
            start--;
        }
        int end = start;
        while (end < s.length && (s[end] == ' ' || s[end] == '\t'))
        {
            end++;
        }
        return new String(s, start, end - start);
    }

    private static int skipSpaces(final char[] s, final int pos)
    {
        int j = pos;
        while (j < s.length && (s[j] == ' ' || s[j] == '\t'))
        {
            j++;
        }
        return j;
    }

    private static boolean startsWithKeyword(final char[] s, final int pos, final String keyword)
    {
        if (pos + keyword.length() > s.length)
        {
            return false;
        }
        for (int k = 0; k < keyword.length(); k++)
        {
            if (s[pos + k] != keyword.charAt(k))
            {
                return false;
            }
        }
        final int after = pos + keyword.length();
        return after == s.length || !Character.isJavaIdentifierPart(s[after]);
    }

    private static void trimTrailing(final StringBuilder out)
    {
        int len = out.length();
        while (len > 0 && (out.charAt(len - 1) == ' ' || out.charAt(len - 1) == '\t'))
        {
            len--;
        }
        out.setLength(len);
    }
}
