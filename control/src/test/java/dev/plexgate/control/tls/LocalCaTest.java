package dev.plexgate.control.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class LocalCaTest {

    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    private final SecureRandom random = new SecureRandom();
    private final Instant now = Instant.now();

    @Test
    void create_isASelfSignedP256CaThatMaySignOnlyLeafCertificates_forTenYears() throws Exception {
        X509Certificate ca = LocalCa.create("plexgate local CA plexbox", now, random).certificate();

        assertThat(ca.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=plexgate local CA plexbox"));
        assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        ca.verify(ca.getPublicKey());
        assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(((ECPublicKey) ca.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(ca.getBasicConstraints()).isZero();
        // getKeyUsage() holds RFC 5280's bits in order: keyCertSign is 5, cRLSign 6.
        assertThat(ca.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false, false);
        assertThat(ca.getCriticalExtensionOIDs()).containsExactlyInAnyOrder(BASIC_CONSTRAINTS, KEY_USAGE);
        assertThat(ca.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
        assertThat(ca.getSerialNumber()).isPositive();
        assertValidity(ca, Duration.ofDays(3652), Duration.ofDays(3653));
    }

    @Test
    void issue_serverCertificate_forEveryName_serverAuthOnly_forOneYear_validatesAgainstTheCa() throws Exception {
        LocalCa ca = LocalCa.create("plexgate local CA test", now, random);
        SubjectNames names = SubjectNames.parse(List.of("plexbox.lan", "plex"), List.of("192.168.1.10", "2001:db8::10"));

        ServerCertificate server = ca.issue(names, now, random);

        X509Certificate leaf = server.certificate();
        assertThat(leaf.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=plexbox.lan"));
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(
                List.of(2, "plexbox.lan"), List.of(2, "plex"), List.of(7, "192.168.1.10"), List.of(7, "2001:db8:0:0:0:0:0:10"));
        assertThat(leaf.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        // digitalSignature only: all an ECDHE handshake needs.
        assertThat(leaf.getKeyUsage()).containsExactly(true, false, false, false, false, false, false, false, false);
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getCriticalExtensionOIDs()).containsExactlyInAnyOrder(BASIC_CONSTRAINTS, KEY_USAGE);
        assertThat(authorityKeyId(leaf)).isEqualTo(subjectKeyId(ca.certificate()));
        assertThat(subjectKeyId(leaf)).isNotNull().isNotEqualTo(subjectKeyId(ca.certificate()));
        assertValidity(leaf, Duration.ofDays(365), Duration.ofDays(366));
        assertThat(PemReading.belongTogether(server.key(), leaf)).isTrue();
        assertThat(PemReading.validate(List.of(leaf), ca.certificate()).getPublicKey()).isEqualTo(leaf.getPublicKey());
    }

    @Test
    void issue_twice_newKeysAndSerials() throws Exception {
        LocalCa ca = LocalCa.create("plexgate local CA test", now, random);
        SubjectNames names = SubjectNames.parse(List.of("plexbox.lan"), List.of());

        ServerCertificate first = ca.issue(names, now, random);
        ServerCertificate second = ca.issue(names, now, random);

        assertThat(second.certificate().getSerialNumber()).isNotEqualTo(first.certificate().getSerialNumber());
        assertThat(second.certificate().getPublicKey()).isNotEqualTo(first.certificate().getPublicKey());
        assertThat(List.of(first.certificate().getSerialNumber(), ca.certificate().getSerialNumber()))
                .allSatisfy(serial -> assertThat(serial.bitLength()).isBetween(64, 127));
    }

    @Test
    void issue_whenTheCaExpiresWithinAYear_endsWithTheCa() throws Exception {
        Instant created = now.minus(Duration.ofDays(3652 - 30));
        LocalCa ca = LocalCa.create("plexgate local CA old", created, random);

        X509Certificate leaf = ca.issue(SubjectNames.parse(List.of("plexbox.lan"), List.of()), now, random).certificate();

        assertThat(leaf.getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
        PemReading.validate(List.of(leaf), ca.certificate());
    }

    @Test
    void issue_fromAnExpiredCa_isRefused() {
        LocalCa ca = LocalCa.create("plexgate local CA expired", now.minus(Duration.ofDays(3653 + 1)), random);
        Instant expiry = ca.certificate().getNotAfter().toInstant();

        assertThatThrownBy(() -> ca.issue(SubjectNames.parse(List.of("plexbox.lan"), List.of()), now, random))
                .isInstanceOfSatisfying(TlsRefusal.class, refusal -> assertThat(refusal.exitCode()).isEqualTo(1))
                .hasMessage("the CA expired at " + expiry + ": make a new one with `plexgate tls init --force`"
                        + " and give cloudflared its new ca.pem");
    }

    @Test
    void fingerprint_isTheSha256OfTheCertificate_asOpensslPrintsIt() throws Exception {
        LocalCa ca = LocalCa.create("plexgate local CA test", now, random);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(ca.certificate().getEncoded());

        assertThat(ca.fingerprint())
                .matches("([0-9A-F]{2}:){31}[0-9A-F]{2}")
                .isEqualTo(HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest));
    }

    @Test
    void commonName_isTheHostName_elseARandomSuffix(@TempDir Path dir) throws Exception {
        Path hostname = Files.writeString(dir.resolve("hostname"), "plexbox\n");

        assertThat(LocalCa.commonName(hostname, random)).isEqualTo("plexgate local CA plexbox");
        assertThat(LocalCa.commonName(dir.resolve("missing"), random)).matches("plexgate local CA [0-9a-f]{8}");
        assertThat(LocalCa.commonName(Files.writeString(dir.resolve("empty"), "\n"), random))
                .matches("plexgate local CA [0-9a-f]{8}");
    }

    /** Starts a few minutes before now for peers whose clocks lag, and lasts between {@code min} and {@code max}. */
    private void assertValidity(X509Certificate certificate, Duration min, Duration max) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        assertThat(notBefore).isBetween(now.minus(Duration.ofMinutes(6)), now.minus(Duration.ofMinutes(4)));
        Duration lifetime = Duration.between(now.truncatedTo(ChronoUnit.SECONDS), notAfter);
        assertThat(lifetime).isBetween(min, max.plusSeconds(1));
    }

    private static byte[] subjectKeyId(X509Certificate certificate) throws Exception {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        return ASN1OctetString.getInstance(JcaX509ExtensionUtils.parseExtensionValue(extension)).getOctets();
    }

    private static byte[] authorityKeyId(X509Certificate certificate) throws Exception {
        byte[] extension = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        return AuthorityKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(extension)).getKeyIdentifierOctets();
    }
}
