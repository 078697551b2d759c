/**
 * {@code plexgate.yml}: YAML in, validated immutable records out, or every mistake in the file
 * reported with its line and column.
 *
 * <p>Start at {@link dev.plexgate.control.config.ConfigLoader}. The YAML is read into a small tree
 * that remembers where each value starts ({@code YamlNode}); the known keys are then bound by hand
 * with shared validators ({@code Values}), section by section ({@code Section}), and finally checked
 * by the constructors of the proxy's own settings records. The policy sections are bound as written
 * ({@code PolicyConfig}); {@link dev.plexgate.control.config.PolicyLoader} then reads their list
 * files and compiles their expressions into the proxy's {@code Policy}. The tunnel section is bound
 * to the agent's {@code TunnelSettings} ({@code TunnelSection}), its token read and checked at load.
 * Nothing here starts anything but the background resolution of host names in IP lists.
 */
package dev.plexgate.control.config;
