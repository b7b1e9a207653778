package dev.gpt2java.cli;

import dev.gpt2java.Gpt2;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code gpt2}: the command line of gpt2-java.
 *
 * <h2>Exit codes</h2>
 * <ul>
 *   <li>0: done;</li>
 *   <li>1: a failure while running: the model file is missing or not a GPT-2 GGUF, libgpt2 cannot be
 *       loaded or refuses a call, stdin cannot be read. One line on stderr (the stack trace too with
 *       {@code --verbose});</li>
 *   <li>2: a usage error: an unknown option, a bad or out-of-range value, a feature not available yet.
 *       One line on stderr. The parameter records of the library (SamplingParams, BeamSearchParams,
 *       ...) judge the values; {@link #checked} makes their refusal a usage error.</li>
 * </ul>
 * Text in and out is UTF-8 whatever the platform's default.
 */
@Command(name = "gpt2",
        mixinStandardHelpOptions = true,
        versionProvider = Gpt2Cli.Version.class,
        description = "GPT-2 on libgpt2 (ggml) or the pure-Java engine: the commands below.",
        subcommands = {
                TokenizeCommand.class,
                NextCommand.class,
                InfoCommand.class,
                GenerateCommand.class,
                BeamCommand.class,
                BenchCommand.class,
                TrainCommand.class,
                FinetuneCommand.class,
                LensCommand.class,
                ProbeCommand.class,
                AttentionCommand.class,
                NeighboursCommand.class,
                PatchCommand.class,
                ConvertCommand.class,
                QuantizeCommand.class,
                ServeCommand.class,
                CommandLine.HelpCommand.class
        },
        footer = {"", "Exit codes: 0 done, 1 failure while running (e.g. a missing or bad model file), 2 usage error.",
                "Run 'gpt2 COMMAND --help' for a command's options."})
public final class Gpt2Cli implements Runnable {

    /** Exit code of a failure while running. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of a usage error. */
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of failures.")
    boolean verbose;

    private final InputStream stdin;

    /** @param stdin where a command reads its text when none is given as an argument */
    public Gpt2Cli(InputStream stdin) {
        this.stdin = stdin;
    }

    InputStream stdin() {
        return stdin;
    }

    @Override
    public void run() {
        // no command: the usage, as a usage error
        List<String> names = spec.subcommands().values().stream().map(CommandLine::getCommandName).distinct().toList();
        throw new ParameterException(spec.commandLine(), "a command is needed: " + String.join(", ", names));
    }

    /**
     * The configured command line: UTF-8 stdout and stderr, one-line errors with exit code 2 for usage
     * errors and 1 for failures. Tests call this with their own streams.
     */
    public static CommandLine commandLine(InputStream stdin, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Gpt2Cli(stdin));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(new UsageErrorHandler());
        cl.setExecutionExceptionHandler(new FailureHandler());
        return cl;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = commandLine(System.in, out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Usage errors: one line, {@code gpt2 CMD: message (see 'gpt2 CMD --help')}, exit code 2. */
    static final class UsageErrorHandler implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cl = ex.getCommandLine();
            String name = cl.getCommandSpec().qualifiedName();
            PrintWriter err = cl.getErr();
            err.println(name + ": " + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
            CommandLine root = cl;
            while (root.getParent() != null) {
                root = root.getParent();
            }
            if (isVerbose(root.getParseResult())) {
                ex.printStackTrace(err);
            }
            err.flush();
            return EXIT_USAGE;
        }
    }

    /**
     * Failures: one line, {@code gpt2 CMD: message}; the stack trace only with {@code --verbose}. Exit
     * code 1, or 2 for an {@link UsageException} (a valid option whose feature is missing).
     */
    static final class FailureHandler implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
            String name = cl.getCommandSpec().qualifiedName();
            PrintWriter err = cl.getErr();
            cl.getOut().flush();
            String msg = ex.getMessage() == null || ex.getMessage().isBlank() ? ex.toString() : ex.getMessage();
            if (!(ex instanceof dev.gpt2java.Gpt2Exception || ex instanceof UsageException
                    || ex instanceof java.io.IOException || ex instanceof IllegalArgumentException)) {
                msg = ex.getClass().getSimpleName() + ": " + msg;
            }
            err.println(name + ": " + oneLine(msg));
            if (isVerbose(parseResult)) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ex instanceof UsageException ? EXIT_USAGE : EXIT_FAILURE;
        }
    }

    /** A usage error found while running (a feature not available yet): exit code 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * {@code make.get()}: a parameter record of the library, which validates itself; its
     * IllegalArgumentException becomes a usage error (exit code 2) of the command of {@code spec}, the
     * parameter names in its message replaced by the options that set them ({@link #optionNames}).
     */
    static <T> T checked(CommandSpec spec, Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), optionNames(spec, e.getMessage()), e);
        }
    }

    // a parameter's name as the records' messages put it: first, or after "..", then " must" or " ("
    private static final Pattern PARAMETER = Pattern.compile("(^|\\.\\.)([a-z][A-Za-z0-9]*)(?= must| \\()");

    /**
     * {@code message} with each parameter it names ("topK must be in ...", "in 1..numBeams (4)") written
     * as the option of {@code spec} whose field has that name ("--top-k must be in ..."); other words as
     * they are.
     */
    static String optionNames(CommandSpec spec, String message) {
        Matcher m = PARAMETER.matcher(message);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String option = m.group(2);
            for (OptionSpec o : spec.options()) {
                if (o.userObject() instanceof Field f && f.getName().equals(m.group(2))) {
                    option = o.longestName();
                }
            }
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + option));
        }
        return m.appendTail(b).toString();
    }

    /** Whether {@code --verbose} was given to the command that ran (or any on the way to it). */
    static boolean isVerbose(ParseResult pr) {
        for (ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** The first line of a message (a native message may hold several). */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip() + " ...";
    }

    /** {@code --version}: the CLI's version, libgpt2's API version, the JVM. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            List<String> lines = new ArrayList<>();
            String v = Gpt2Cli.class.getPackage().getImplementationVersion();
            lines.add("gpt2 (gpt2-java CLI) " + (v == null ? "(development build)" : v));
            try {
                int api = Gpt2.apiVersion();
                lines.add("libgpt2 API " + api / 10000 + "." + api / 100 % 100 + "." + api % 100);
            } catch (RuntimeException | LinkageError e) {
                lines.add("libgpt2: not loadable (" + oneLine(e.getMessage()) + ")");
            }
            lines.add("Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + "), "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
            return lines.toArray(String[]::new);
        }
    }
}
