package dev.plexgate.control.tls;

import io.netty.util.NetUtil;
import java.security.cert.X509Certificate;
import java.time.temporal.ChronoUnit;

/**
 * What {@code plexgate tls init} and {@code renew} print: the files written, then the settings of
 * plexgate.yml and cloudflared that use them. Never any key material.
 */
public final class TlsReport {

    private static final String NL = System.lineSeparator();

    private TlsReport() {
    }

    /**
     * After {@code init}.
     *
     * @param names          those the server certificate is for
     * @param serverKeyOwner the owner of server.key as written: root's says how to give it to the service
     * @param port           the port of plexgate's TLS listener
     */
    public static String initialised(TlsFiles files, LocalCa ca, ServerCertificate server, SubjectNames names,
            String serverKeyOwner, int port) {
        return "wrote a new local CA and a server certificate it signed, in " + files.directory() + ":" + NL
                + row("ca.pem", "the CA certificate, valid until " + expiry(ca.certificate()))
                + row("ca.key", "the CA's key (0600): it can make certificates cloudflared trusts; keep it here")
                + serverRows(ca, server, names)
                + ownerHint(files, serverKeyOwner)
                + settings(files, names, port);
    }

    /** After {@code renew}, with the parameters of {@link #initialised}. */
    public static String renewed(TlsFiles files, LocalCa ca, ServerCertificate server, SubjectNames names,
            String serverKeyOwner, int port) {
        return "renewed the server certificate from the local CA in " + files.directory() + ":" + NL
                + serverRows(ca, server, names)
                + "a running plexgate loads the new certificate by itself (it watches the files listen_tls names);"
                + " cloudflared already trusts the CA if it is set up as below" + NL
                + ownerHint(files, serverKeyOwner)
                + settings(files, names, port);
    }

    private static String serverRows(LocalCa ca, ServerCertificate server, SubjectNames names) {
        return row("server.pem", "the server certificate, then the CA's, valid until " + expiry(server.certificate()))
                + row("server.key", "the server's key (0600)")
                + row("names", names.describe())
                + row("CA SHA-256", ca.fingerprint());
    }

    /** Root's key is no use to the packaged service, which is never root. */
    private static String ownerHint(TlsFiles files, String serverKeyOwner) {
        return !serverKeyOwner.equals("root") ? ""
                : "server.key belongs to root, but the service installed from the .deb runs as the user plexgate:"
                        + " give it the server's files (what --owner plexgate does):" + NL
                        + "  chown plexgate " + files.directory() + " " + files.serverCertificate() + " "
                        + files.serverKey() + NL;
    }

    /** plexgate.yml's listener, then cloudflared's ingress for either kind of tunnel. */
    private static String settings(TlsFiles files, SubjectNames names, int port) {
        String serverName = names.primary();
        String service = urlHost(serverName) + ":" + port;
        String caPool = files.caCertificate().toString();
        StringBuilder text = new StringBuilder(NL)
                .append("plexgate.yml: a TLS listener on these files; trusted_proxies must also list the address"
                        + " cloudflared connects from").append(NL)
                .append("listen_tls:").append(NL)
                .append("  address: ").append(listenAddress(names, port)).append(NL)
                .append("  cert: ").append(files.serverCertificate()).append(NL)
                .append("  key: ").append(files.serverKey()).append(NL)
                .append(NL)
                .append("cloudflared, locally-managed tunnel (config.yml): the rule of your public hostname").append(NL)
                .append("ingress:").append(NL)
                .append("  - hostname: plex.example.com   # your public hostname").append(NL)
                .append("    service: https://").append(service).append(NL)
                .append("    originRequest:").append(NL)
                .append("      caPool: ").append(caPool).append(NL)
                .append("      originServerName: ").append(serverName).append(NL)
                .append("  - service: http_status:404   # the catch-all rule cloudflared needs last").append(NL)
                .append(NL)
                .append("cloudflared, dashboard-managed tunnel: edit the route of your public hostname").append(NL)
                .append("  Service: type HTTPS, URL ").append(service).append(NL)
                .append("  Additional application settings > TLS:").append(NL)
                .append("    Origin Server Name: ").append(serverName).append(NL)
                .append("    Certificate Authority Pool: ").append(caPool).append(NL)
                .append(NL)
                .append("caPool is a path on the machine cloudflared runs on: if that is another one, copy ca.pem")
                .append(" there and give its path there (ca.pem is public; ca.key never leaves this directory)")
                .append(NL);
        if (!names.hosts().isEmpty() && !names.addresses().isEmpty()) {
            text.append("if that machine cannot resolve ").append(serverName).append(", use the service URL https://")
                    .append(urlHost(NetUtil.toAddressString(names.addresses().get(0)))).append(":").append(port)
                    .append(": originServerName still checks the name").append(NL);
        }
        return text.toString();
    }

    /** The first address, where cloudflared connects; every interface when only host names were given. */
    private static String listenAddress(SubjectNames names, int port) {
        if (names.addresses().isEmpty()) {
            return "0.0.0.0:" + port;
        }
        String address = NetUtil.toAddressString(names.addresses().get(0));
        // plexgate.yml quotes a bracketed IPv6 address: YAML would read [ as the start of a list.
        return address.indexOf(':') >= 0 ? "\"[" + address + "]:" + port + "\"" : address + ":" + port;
    }

    private static String urlHost(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    private static String expiry(X509Certificate certificate) {
        return certificate.getNotAfter().toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String row(String label, String text) {
        return String.format("  %-12s%s%n", label, text);
    }
}
