package dev.plexgate.control;

import dev.plexgate.control.cli.PlexgateCommand;

/** Entry point of {@code plexgate.jar}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(PlexgateCommand.commandLine().execute(args));
    }
}
