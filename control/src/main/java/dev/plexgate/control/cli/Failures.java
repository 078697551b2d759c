package dev.plexgate.control.cli;

import dev.plexgate.control.config.ConfigException;
import dev.plexgate.control.config.ConfigProblem;
import dev.plexgate.control.service.StartFailure;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * What a command's failure prints and which exit code it gets. Command-line mistakes never get
 * here: picocli reports those itself, with the usage, and exit code 2.
 */
final class Failures implements IExecutionExceptionHandler {

    /** The service failed while starting or running. */
    private static final int RUNTIME_FAILURE = 1;
    /** The configuration is invalid; nothing was started. Shared with command-line mistakes. */
    private static final int CONFIG_ERROR = CommandLine.ExitCode.USAGE;

    @Override
    public int handleExecutionException(Exception failure, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (failure instanceof ConfigException config) {
            for (ConfigProblem problem : config.problems()) {
                err.println(problem);
            }
        } else if (failure instanceof StartFailure) {
            err.println("plexgate: " + failure.getMessage());
        } else {
            err.println("plexgate: unexpected failure");
            failure.printStackTrace(err);
        }
        err.flush();
        return exitCode(failure);
    }

    private static int exitCode(Exception failure) {
        return failure instanceof ConfigException ? CONFIG_ERROR : RUNTIME_FAILURE;
    }
}
