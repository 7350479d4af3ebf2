import NIOSSL

extension NetworkConfiguration {
    /// Looks at every trusted certificate file, so a bundle that is missing, unreadable or holds no
    /// PEM certificate is one clear error at start rather than a failed handshake later. It only
    /// reads the bytes and looks for a certificate: parsing a system bundle (`SSL_CERT_FILE` is
    /// often the whole of /etc/ssl/certs, some 140 certificates) would cost every start 3.5 ms,
    /// and TLS parses the file anyway when the first connection needs it.
    public func validate() throws(NetworkConfigurationError) {
        for file in trustedCertificateFiles {
            guard let bytes = FileProblem.contents(of: file.path) else {
                throw NetworkConfigurationError(
                    "cannot read the CA file \(file.path) (from \(file.origin)): \(FileProblem.describe(path: file.path, fallback: "it is not a readable file"))"
                )
            }
            guard ByteSearch.firstIndex(of: Array("-----BEGIN CERTIFICATE-----".utf8), in: bytes) != nil else {
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
    /// The bytes of a regular file, or nil when it cannot be read.
    static func contents(of path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
        }
    }

    static func describe(path: String, fallback: String) -> String {
        guard access(path, F_OK) == 0 else { return "no such file" }
        guard access(path, R_OK) == 0 else { return "permission denied" }
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { return "it is a directory" }
        return fallback
    }
}

#if canImport(Glibc)
import Glibc
#endif
