import Crypto
import FoundationEssentials
import SwiftASN1
import X509

#if canImport(Glibc)
import Glibc
#endif

/// A certificate authority made for one run of the simulator: a CA certificate, and a server
/// certificate it signed for the names given (host names and IP addresses), all as PEM. Trust the
/// CA (`extruct-shell --ca-file`) and the server is trusted; nothing else is.
public struct ThrowawayCertificateAuthority: Sendable {
    /// The CA's certificate: what a client trusts.
    public let caCertificatePEM: String
    /// The server's certificate, then the CA's (the chain a server presents).
    public let serverCertificateChainPEM: String
    /// The server's private key (PKCS #8).
    public let serverPrivateKeyPEM: String
    /// The names the server certificate is for.
    public let names: [String]

    /// A new CA and a server certificate for `names`, valid over `validity` (by default from an
    /// hour ago for 30 days; tests make expired ones).
    public init(names: [String] = ["localhost", "127.0.0.1"], validity: Range<Date>? = nil) throws {
        let now = Date()
        let validity = validity ?? now.addingTimeInterval(-3600)..<now.addingTimeInterval(30 * 24 * 3600)
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            OrganizationName("extruct-sim")
            CommonName("extruct-sim throwaway CA")
        }
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(caKey.publicKey),
            notValidBefore: now.addingTimeInterval(-7200), notValidAfter: now.addingTimeInterval(365 * 24 * 3600),
            issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey))
        let serverKey = P256.Signing.PrivateKey()
        let server = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(serverKey.publicKey),
            notValidBefore: validity.lowerBound, notValidAfter: validity.upperBound,
            issuer: caName, subject: try DistinguishedName { CommonName(names.first ?? "localhost") }, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names.map(Self.generalName))
            },
            issuerPrivateKey: .init(caKey))
        caCertificatePEM = try ca.serializeAsPEM().pemString
        serverCertificateChainPEM = try server.serializeAsPEM().pemString + "\n" + caCertificatePEM
        serverPrivateKeyPEM = serverKey.pemRepresentation
        self.names = names
    }

    /// Writes the CA certificate to `path`, readable by everyone (it is public).
    public func writeCACertificate(to path: String) throws {
        try Data((caCertificatePEM + "\n").utf8).write(to: URL(fileURLWithPath: path))
    }

    /// An IP address as an address, anything else as a DNS name.
    private static func generalName(_ name: String) -> GeneralName {
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            return .ipAddress(ASN1OctetString(contentBytes: withUnsafeBytes(of: v4) { ArraySlice($0) }))
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, name, &v6) == 1 {
            return .ipAddress(ASN1OctetString(contentBytes: withUnsafeBytes(of: v6) { ArraySlice($0) }))
        }
        return .dnsName(name)
    }
}
