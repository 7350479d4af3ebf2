import NIOSSL

extension NetworkConfiguration {
    /// Reads every trusted certificate file, so a bundle that is missing or holds no certificate
    /// is one clear error at start rather than a failed handshake later.
    public func validate() throws(NetworkConfigurationError) {
        for file in trustedCertificateFiles {
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(file.path)
            } catch {
                throw NetworkConfigurationError(
                    "cannot read the CA file \(file.path) (from \(file.origin)): \(FileProblem.describe(path: file.path, fallback: "it holds no PEM certificate"))"
                )
            }
            if certificates.isEmpty {
                throw NetworkConfigurationError("the CA file \(file.path) (from \(file.origin)) holds no PEM certificate")
            }
        }
    }

    /// The TLS settings for `https://`: certificate checks on (there is no switch to turn them
    /// off), the system's roots plus every trusted certificate file.
    func tlsConfiguration() -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.additionalTrustRoots = trustedCertificateFiles.map { .file($0.path) }
        return tls
    }
}

/// Why a file cannot be used, in words.
enum FileProblem {
    static func describe(path: String, fallback: String) -> String {
        guard access(path, F_OK) == 0 else { return "no such file" }
        guard access(path, R_OK) == 0 else { return "permission denied" }
        return fallback
    }
}

#if canImport(Glibc)
import Glibc
#endif
