import NIOSSL

extension NetworkConfiguration {
    /// Looks at the certificate files named for this run (`--ca-file`), so one that is missing,
    /// unreadable or holds no PEM certificate is one clear error at start. The others are looked
    /// at when a TLS connection needs them (``certificateTrust()``): a stale `SSL_CERT_FILE` or
    /// `EXTRUCT_CA_FILE` must not stop `--demo` or plain http, which use no TLS.
    public func validate() throws(NetworkConfigurationError) {
        for file in trustedCertificateFiles where file.ifUnusable == .errorAtStart {
            if let problem = file.problem() { throw NetworkConfigurationError(problem) }
        }
    }

    /// The certificates TLS will trust, read now: the system's (read once a process) and those
    /// of every certificate file that can be used; a warning for each optional file that cannot
    /// (it is left out), and the first that cannot be used and must be.
    ///
    /// The certificates are parsed here, once, and handed to TLS as certificates rather than
    /// files: TLS would parse the files again for every connection it starts before the first
    /// has made its context, and the first request opens several (the system's bundle is some
    /// 140 certificates, 3.5 ms each time; `SSL_CERT_FILE` is often that same bundle).
    func certificateTrust() -> CertificateTrust {
        var trust = CertificateTrust()
        for file in trustedCertificateFiles where !SystemTrustRoots.isBundle(file.path) {
            switch file.certificates() {
            case .success(let certificates):
                trust.certificates += certificates
            case .failure(let problem):
                switch file.ifUnusable {
                case .warning:
                    trust.warnings.append("\(problem.description); TLS goes on without it")
                case .errorAtStart, .errorWhenNeeded:
                    if trust.problem == nil { trust.problem = (problem.description, file.origin) }
                }
            }
        }
        return trust
    }

    /// The TLS settings for `https://`: certificate checks on (there is no switch to turn them
    /// off), the system's roots plus the `certificates` trusted.
    static func tlsConfiguration(trusting certificates: [NIOSSLCertificate]) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let system = SystemTrustRoots.trustRoots { tls.trustRoots = system }
        if !certificates.isEmpty { tls.additionalTrustRoots = [.certificates(certificates)] }
        return tls
    }
}

/// The system's certificate authorities, as NIOSSL trusts them by default on Linux (its bundle
/// file and `/etc/ssl/certs`), made cheap for a process that opens several connections at once:
///
/// - where `/etc/ssl/certs` holds a hashed link (`5ad8a5d6.0`) for every certificate of the
///   bundle (Debian, Ubuntu, Alpine: `update-ca-certificates` makes both), the directory alone:
///   TLS reads the one authority a server's chain names, when it verifies, instead of parsing
///   some 140 certificates and sorting them into every context before the first byte is sent;
/// - else the bundle (Fedora, RHEL), parsed once a process and handed to each context;
/// - else (no bundle, or not Linux) NIOSSL's platform default.
enum SystemTrustRoots {
    static let trustRoots: NIOSSLTrustRoots? = {
        #if os(Linux)
        guard let bundle = bundlePath else { return nil }
        if let count = certificateCount(bundle), count > 0, hashedLinks(in: directory) >= count { return .file(directory) }
        if let certificates = try? NIOSSLCertificate.fromPEMFile(bundle), !certificates.isEmpty { return .certificates(certificates) }
        #endif
        return nil
    }()

    static let directory = "/etc/ssl/certs"
    static let bundles = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"]

    /// The bundle NIOSSL reads, resolved; nil when there is none.
    private static let bundlePath: String? = bundles.lazy.compactMap { path -> String? in
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        return String(cString: real)
    }.first

    /// Whether `path` is the system's bundle (`SSL_CERT_FILE` often names it): trusted already.
    static func isBundle(_ path: String) -> Bool {
        guard let bundlePath, let real = realpath(path, nil) else { return false }
        defer { free(real) }
        return String(cString: real) == bundlePath
    }

    /// How many PEM certificates `path` holds, counted without parsing them.
    static func certificateCount(_ path: String) -> Int? {
        guard let bytes = FileProblem.contents(of: path) else { return nil }
        let marker = Array("-----BEGIN CERTIFICATE-----".utf8)
        var count = 0
        var from = 0
        while let found = ByteSearch.firstIndex(of: marker, in: bytes, from: from) {
            count += 1
            from = found + marker.count
        }
        return count
    }

    /// How many entries of `directory` are named as OpenSSL's hashed links are: eight hex digits, a dot, a number.
    static func hashedLinks(in directory: String) -> Int {
        guard let stream = opendir(directory) else { return 0 }
        defer { closedir(stream) }
        var count = 0
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            guard name.count >= 10, name[8] == UInt8(ascii: "."),
                name[..<8].allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
                name[9...].allSatisfy({ (0x30...0x39).contains($0) })
            else { continue }
            count += 1
        }
        return count
    }
}

/// The certificate files of a configuration, read: see ``NetworkConfiguration/certificateTrust()``.
struct CertificateTrust: Sendable {
    /// Every certificate of the files that can be used.
    var certificates: [NIOSSLCertificate] = []
    /// One line each, for the user, about a file left out.
    var warnings: [String] = []
    /// Why TLS cannot be used as configured, and where the file was named.
    var problem: (text: String, origin: String)?
}

extension CertificateFile {
    /// What is wrong with the file, in words; nil when it looks usable. It reads the bytes and
    /// looks for a certificate, without parsing (that is done when TLS needs the file).
    func problem() -> String? {
        switch read() {
        case .success: nil
        case .failure(let problem): problem.description
        }
    }

    /// The file's certificates, or what is wrong with it.
    func certificates() -> Result<[NIOSSLCertificate], NetworkConfigurationError> {
        read().flatMap { bytes in
            guard let certificates = try? NIOSSLCertificate.fromPEMBytes(bytes), !certificates.isEmpty else {
                return .failure(NetworkConfigurationError("the CA file \(path) (from \(origin)) holds a certificate TLS cannot read"))
            }
            return .success(certificates)
        }
    }

    private func read() -> Result<[UInt8], NetworkConfigurationError> {
        guard let bytes = FileProblem.contents(of: path) else {
            return .failure(
                NetworkConfigurationError(
                    "cannot read the CA file \(path) (from \(origin)): \(FileProblem.describe(path: path, fallback: "it is not a readable file"))"))
        }
        guard ByteSearch.firstIndex(of: Array("-----BEGIN CERTIFICATE-----".utf8), in: bytes) != nil else {
            return .failure(NetworkConfigurationError("the CA file \(path) (from \(origin)) holds no PEM certificate"))
        }
        return .success(bytes)
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

extension CertificateFile {
    /// Whether the file is the system's own bundle (`SSL_CERT_FILE` often names it): trusted already.
    public var isSystemBundle: Bool { SystemTrustRoots.isBundle(path) }
}
