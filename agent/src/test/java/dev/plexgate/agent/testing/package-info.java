/**
 * A fake {@code cloudflared} for tests: {@link dev.plexgate.agent.testing.FakeCloudflared} imitates
 * the real one's checks, endpoints and log lines and takes orders from a control file; {@link
 * dev.plexgate.agent.testing.FakeBinary} installs it as an executable a supervisor can start.
 */
package dev.plexgate.agent.testing;
