/**
 * The {@code plexgate} command: {@link dev.plexgate.control.Main} runs the command line of
 * {@code cli}, which loads the configuration of {@code config} and runs the {@code service}.
 * The only module that knows all the others and assembles them (DESIGN §2).
 */
package dev.plexgate.control;
