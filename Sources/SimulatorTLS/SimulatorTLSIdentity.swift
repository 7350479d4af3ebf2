import DeepSearchSimulator
import FoundationEssentials
import HummingbirdCore
import HummingbirdHTTP2
import NIOSSL

/// What the simulator serves HTTPS with: a certificate chain (the server's certificate first) and
/// its private key, both PEM.
public struct SimulatorTLSIdentity: SimulatorHTTPS {
    public var certificateChainPEM: String
    public var privateKeyPEM: String

    /// An identity of these PEM texts.
    public init(certificateChainPEM: String, privateKeyPEM: String) {
        self.certificateChainPEM = certificateChainPEM
        self.privateKeyPEM = privateKeyPEM
    }

    /// Reads the certificate chain and the key from files, as `--tls-cert` and `--tls-key` give them.
    public init(certificateFile: String, keyFile: String) throws {
        guard let chain = try? String(contentsOfFile: certificateFile, encoding: .utf8) else {
            throw SimulatorTLSError(description: "cannot read the certificate file \(certificateFile)")
        }
        guard let key = try? String(contentsOfFile: keyFile, encoding: .utf8) else {
            throw SimulatorTLSError(description: "cannot read the key file \(keyFile)")
        }
        self.init(certificateChainPEM: chain, privateKeyPEM: key)
    }
}

/// A certificate or key the simulator cannot serve with.
public struct SimulatorTLSError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

extension SimulatorTLSIdentity {
    /// TLS with this certificate chain and key, then HTTP/2 or HTTP/1.1 as the client chooses
    /// (ALPN), as a real API's front end does: AsyncHTTPClient then sends concurrent requests over
    /// one connection. Throws when the chain or the key cannot be read.
    public func channelBuilder() throws -> SimulatorChannelBuilder {
        let tls = try serverConfiguration()
        return { streams, responder in
            try HTTP2UpgradeChannel(tlsConfiguration: tls, configuration: .init(streamConfiguration: streams), responder: responder)
        }
    }

    /// NIOSSL's server configuration for this certificate chain and key.
    func serverConfiguration() throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(Array(certificateChainPEM.utf8))
        } catch {
            throw SimulatorTLSError(description: "the certificate is not a PEM certificate chain: \(error)")
        }
        do {
            key = try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)
        } catch {
            throw SimulatorTLSError(description: "the key is not a PEM private key: \(error)")
        }
        guard !chain.isEmpty else { throw SimulatorTLSError(description: "the certificate file holds no certificate") }
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    }
}
