package dev.plexgate.control.tls;

import dev.plexgate.proxy.policy.HostNames;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The names a server certificate is valid for, in the order given: host names (DNS subject
 * alternative names) and addresses (IP ones). The first is the one cloudflared is told to expect.
 *
 * @param hosts     lower-case host names such as {@code plexbox.lan}
 * @param addresses IPv4 and IPv6 addresses
 */
public record SubjectNames(List<String> hosts, List<InetAddress> addresses) {

    // The type numbers of X509Certificate.getSubjectAlternativeNames (RFC 5280 GeneralName tags).
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    public SubjectNames {
        hosts = List.copyOf(hosts);
        addresses = List.copyOf(addresses);
        if (hosts.isEmpty() && addresses.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs a host name or an address");
        }
    }

    /**
     * The values of {@code --name} and {@code --ip}, checked; repeated ones count once.
     *
     * @throws TlsRefusal naming the first bad value, or when both lists are empty
     */
    public static SubjectNames parse(List<String> hostNames, List<String> addressTexts) throws TlsRefusal {
        if (hostNames.isEmpty() && addressTexts.isEmpty()) {
            throw TlsRefusal.invalid("no name to put in the certificate: give the names cloudflared connects to,"
                    + " --name HOST and/or --ip ADDRESS");
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (String name : hostNames) {
            hosts.add(host(name));
        }
        Set<InetAddress> addresses = new LinkedHashSet<>();
        for (String text : addressTexts) {
            addresses.add(address(text));
        }
        return new SubjectNames(List.copyOf(hosts), List.copyOf(addresses));
    }

    /** The DNS and IP subject alternative names of an existing certificate; empty when it has neither. */
    static Optional<SubjectNames> of(X509Certificate certificate) throws CertificateParsingException {
        Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
        List<String> hosts = new ArrayList<>();
        List<InetAddress> addresses = new ArrayList<>();
        for (List<?> name : alternatives == null ? List.<List<?>>of() : alternatives) {
            int type = (Integer) name.get(0);
            if (type == DNS_NAME) {
                hosts.add(((String) name.get(1)).toLowerCase(Locale.ROOT));
            } else if (type == IP_ADDRESS) {
                addresses.add(literal((String) name.get(1)));
            }
        }
        return hosts.isEmpty() && addresses.isEmpty() ? Optional.empty() : Optional.of(new SubjectNames(hosts, addresses));
    }

    /** The name cloudflared is told to expect: the first host name, else the first address. */
    public String primary() {
        return hosts.isEmpty() ? NetUtil.toAddressString(addresses.get(0)) : hosts.get(0);
    }

    /** As in {@code openssl x509 -text}: {@code DNS:plexbox.lan, IP:192.168.1.10}. */
    public String describe() {
        return Stream.concat(hosts.stream().map(host -> "DNS:" + host),
                        addresses.stream().map(address -> "IP:" + NetUtil.toAddressString(address)))
                .collect(Collectors.joining(", "));
    }

    /** The subjectAltName extension's value. */
    GeneralNames generalNames() {
        return new GeneralNames(Stream.concat(
                        hosts.stream().map(host -> new GeneralName(GeneralName.dNSName, host)),
                        addresses.stream().map(address ->
                                new GeneralName(GeneralName.iPAddress, new DEROctetString(address.getAddress()))))
                .toArray(GeneralName[]::new));
    }

    private static String host(String name) throws TlsRefusal {
        String host = name.toLowerCase(Locale.ROOT);
        if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
            throw TlsRefusal.invalid("--name '" + name + "': an address, not a host name (expected: --ip " + name + ")");
        }
        if (!HostNames.isValid(host)) {
            throw TlsRefusal.invalid("--name '" + name + "': not a host name (expected: labels of letters, digits"
                    + " and inner '-', up to 63 characters each, separated by dots, such as plexbox.lan)");
        }
        return host;
    }

    private static InetAddress address(String text) throws TlsRefusal {
        // A zone (fe80::1%eth0) means something on this machine only; a certificate cannot carry it.
        if (text.indexOf('%') >= 0 || NetUtil.createByteArrayFromIpAddressString(text) == null) {
            throw TlsRefusal.invalid("--ip '" + text + "': not an IP address (expected: an IPv4 or IPv6 address"
                    + " such as 192.168.1.10 or 2001:db8::10)");
        }
        InetAddress address = literal(text);
        if (address.isAnyLocalAddress()) {
            throw TlsRefusal.invalid("--ip '" + text + "': the wildcard address, which no client connects to"
                    + " (expected: an address of this machine that cloudflared connects to)");
        }
        return address;
    }

    /** An address from its text, which must be a literal: never a DNS lookup. */
    private static InetAddress literal(String text) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            // Only thrown for a byte array of the wrong length, which NetUtil never returns.
            throw new IllegalArgumentException(text, impossible);
        }
    }
}
