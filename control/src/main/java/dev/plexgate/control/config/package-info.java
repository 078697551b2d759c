/**
 * {@code plexgate.yml}: YAML in, validated immutable records out, or every mistake in the file
 * reported with its line and column.
 *
 * <p>Start at {@link dev.plexgate.control.config.ConfigLoader}. The YAML is read into a small tree
 * that remembers where each value starts ({@code YamlNode}); the known keys are then bound by hand
 * with shared validators ({@code Values}), section by section ({@code Section}), and finally checked
 * by the constructors of the proxy's own settings records. Nothing here starts anything.
 */
package dev.plexgate.control.config;
