package dev.plexgate.agent;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A JVM that starts an agent and exits without stopping it, as plexgate would on an uncaught
 * error: the agent's shutdown hook must take the child with it. Prints the child's pid, then exits.
 * Arguments: the cloudflared path, the metrics port; the token comes as {@code TUNNEL_TOKEN}.
 */
final class AgentInDyingJvm {

    static final String CHILD_PID = "child-pid=";

    private AgentInDyingJvm() {
    }

    public static void main(String[] args) throws Exception {
        TunnelSettings settings = new TunnelSettings(true, Path.of(args[0]), TunnelToken.parse(System.getenv(
                "TUNNEL_TOKEN")), new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[1])),
                TunnelProtocol.AUTO, Duration.ofSeconds(1), List.of());
        TunnelAgent agent = new TunnelAgent(settings, TunnelAgent.Timing.DEFAULTS, Clock.systemUTC(),
                RandomGenerator.getDefault());
        agent.start();
        while (agent.childPid() < 0) {
            Thread.onSpinWait();
        }
        // Marked: the agent's own log lines share this stdout.
        System.out.println(CHILD_PID + agent.childPid());
        System.out.flush();
        System.exit(3);
    }
}
