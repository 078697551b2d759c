package dev.plexgate.control.doctor;

import dev.plexgate.control.config.Addresses;
import dev.plexgate.proxy.ProxySettings;
import dev.plexgate.proxy.policy.Cidr;
import dev.plexgate.proxy.tls.ServerIdentity;
import dev.plexgate.proxy.tls.TlsListener;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Who can reach plexgate's own listeners, and the TLS listener's certificate. plexgate believes
 * the visitor address in {@code client_ip_header} from {@code trusted_proxies} only; a listener
 * other machines reach lets each of them connect, and one that has an address in a trusted range
 * name any visitor it likes — a friend's address included.
 */
final class ListenerChecks {

    /** Where {@code plexgate tls init} and {@code renew} keep the files unless given {@code --dir}. */
    private static final Path TLS_DIRECTORY = Path.of("/etc/plexgate/tls");
    private static final String CLIENT_CA_NOTE = "client_ca helps only behind a reverse proxy that presents a client"
            + " certificate (nginx: proxy_ssl_certificate); cloudflared cannot present one";

    private final ProxySettings proxy;
    private final Instant now;
    private final Consumer<Finding> report;

    ListenerChecks(ProxySettings proxy, Instant now, Consumer<Finding> report) {
        this.proxy = proxy;
        this.now = now;
        this.report = report;
    }

    void run() {
        plain();
        if (proxy.listenTls() != null) {
            certificate(proxy.listenTls().identity());
            clientCertificates(proxy.listenTls());
        }
    }

    /** {@code listen}: plain HTTP, for a cloudflared on this machine. */
    private void plain() {
        InetSocketAddress listen = proxy.listen();
        String name = "listen " + Addresses.hostAndPort(listen);
        if (listen.getAddress().isLoopbackAddress()) {
            report.accept(Finding.ok(name + " is loopback: only this machine can connect"));
            return;
        }
        List<Cidr> ranges = trustedRanges();
        report.accept(Finding.warn(name + " is reachable from other machines in plain HTTP: any host on the network"
                + " can connect" + (ranges.isEmpty() ? "" : ", and any with an address in trusted_proxies ("
                + join(ranges) + ") can name whatever visitor it likes in " + proxy.clientIpHeader()
                + ", a friend's address included") + "; the requests of a cloudflared on another machine cross"
                + " the network unencrypted, Plex tokens and all",
                "with cloudflared on this machine, listen: 127.0.0.1:" + listen.getPort() + "; on another, let"
                        + " only the cloudflared host reach the port: " + firewall(listen.getPort()) + ", and move it"
                        + " to listen_tls (plexgate tls init) to encrypt the traffic; " + CLIENT_CA_NOTE));
    }

    /** The certificate the TLS listener presents: loading refuses an expired one, so it can only end soon. */
    private void certificate(ServerIdentity identity) {
        String subject = ServerIdentity.subject(identity.certificate());
        long days = Duration.between(now, identity.notAfter()).toDays();
        String ends = "listen_tls " + Addresses.hostAndPort(proxy.listenTls().address()) + ": certificate " + subject
                + " ends on " + identity.notAfter() + ", in " + days + (days == 1 ? " day" : " days");
        if (!identity.expiresSoon(now)) {
            report.accept(Finding.ok(ends + (identity.requiresClientCertificate()
                    ? "; client certificates from client_ca required" : "")));
            return;
        }
        Path certificate = identity.files().certificate();
        Path directory = certificate.toAbsolutePath().getParent();
        report.accept(Finding.warn(ends + ": connections to it fail once it has ended",
                "plexgate tls renew" + (TLS_DIRECTORY.equals(directory) ? "" : " --dir " + directory)
                        + " for a certificate plexgate tls init made, or replace " + certificate + " and "
                        + identity.files().key() + " with a renewed pair; plexgate reloads them by itself"));
    }

    /**
     * A TLS listener that asks for no client certificate lets any host that reaches it connect. That
     * is a problem when a trusted range holds more than the cloudflared host; otherwise the others
     * are judged by their own address, like any visitor, and this is a note.
     */
    private void clientCertificates(TlsListener tls) {
        if (tls.identity().requiresClientCertificate() || tls.address().getAddress().isLoopbackAddress()) {
            return;
        }
        String name = "listen_tls " + Addresses.hostAndPort(tls.address()) + " asks for no client certificate: any"
                + " host that reaches port " + tls.address().getPort() + " can connect";
        List<Cidr> wide = trustedRanges().stream().filter(ListenerChecks::manyHosts).toList();
        if (wide.isEmpty()) {
            List<Cidr> trusted = trustedRanges();
            report.accept(Finding.ok(name + ", judged by its own address" + (trusted.isEmpty() ? ""
                    : "; only " + join(trusted) + " (trusted_proxies) may name a visitor in "
                    + proxy.clientIpHeader())));
            return;
        }
        report.accept(Finding.warn(name + ", and any with an address in trusted_proxies' " + join(wide)
                + " can name whatever visitor it likes in " + proxy.clientIpHeader() + ", a friend's address included",
                "put the cloudflared host alone in trusted_proxies and let only it reach the port: "
                        + firewall(tls.address().getPort()) + "; " + CLIENT_CA_NOTE));
    }

    /** The ufw and nftables rules that let only the cloudflared host (the one trusted, if there is one) in. */
    private String firewall(int port) {
        List<Cidr> ranges = trustedRanges();
        InetAddress single = ranges.size() == 1 && !manyHosts(ranges.get(0)) ? ranges.get(0).network() : null;
        String host = single == null ? "CLOUDFLARED_HOST" : single.getHostAddress();
        String family = single == null || single instanceof Inet4Address ? "ip" : "ip6";
        return "ufw allow from " + host + " to any port " + port + " proto tcp && ufw deny " + port + "/tcp"
                + " (nftables: nft add rule inet filter input tcp dport " + port + " " + family + " saddr != "
                + host + " drop)";
    }

    /** The trusted proxies another machine can have an address in. */
    private List<Cidr> trustedRanges() {
        return proxy.trustedProxies().stream().filter(cidr -> !cidr.network().isLoopbackAddress()).toList();
    }

    private static boolean manyHosts(Cidr cidr) {
        return cidr.prefixLength() < cidr.network().getAddress().length * 8;
    }

    private static String join(List<Cidr> ranges) {
        return ranges.stream().map(Cidr::toString).collect(Collectors.joining(", "));
    }
}
