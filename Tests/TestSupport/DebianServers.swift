import Foundation
import LoopbackNetwork
import SimulatorTLS

#if canImport(Glibc)
import Glibc
#endif

/// A server program from Debian (squid, nginx) run by a test on free loopback ports, with a
/// configuration written into a directory of its own; stopped (and its files removed) by
/// ``stop()``. scripts/test installs the packages, so CI always runs these tests; elsewhere they
/// skip, saying which package is missing.
public class DebianServer: @unchecked Sendable {
    public let directory: TemporaryDirectory
    private let process: ChildProcess
    private let log: String

    /// Whether `path` is an executable file.
    public static func installed(_ path: String) -> Bool { access(path, X_OK) == 0 }

    /// A free port on 127.0.0.1 (free when asked: the server binds it right after).
    static func freePort() throws -> UInt16 {
        let listener = try LoopbackListener()
        defer { listener.stop() }
        return listener.port
    }

    /// Starts `executable` with `arguments` in `directory`, and waits until `port` takes connections.
    init(executable: String, arguments: [String], directory: TemporaryDirectory, port: UInt16, logName: String) async throws {
        self.directory = directory
        log = directory.file(logName)
        process = try ChildProcess(
            executable, arguments, environment: ProcessInfo.processInfo.environment, directory: directory.path, outputFile: log)
        let process = self.process
        do {
            try await waitUntil("\(executable) listens on port \(port): \(self.output)", timeout: 30) {
                guard !process.hasEnded else { return true }
                guard let fd = connectLoopback(port: port) else { return false }
                close(fd)
                return true
            }
            guard !process.hasEnded else { throw ServerFailed(description: "\(executable) exited: \(self.output)") }
        } catch {
            stop()
            throw error
        }
    }

    /// What the server wrote to its standard output and error.
    public var output: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// Stops the server at once (SIGKILL: a test's server keeps nothing worth a graceful stop)
    /// and removes its directory once it has gone, on a thread of its own: this is called from
    /// async tests, and a wait here would hold a thread of the concurrency pool, which the
    /// in-process simulators of every other test need.
    public func stop() {
        let process = self.process
        let directory = self.directory
        if !process.hasEnded { kill(process.pid, SIGKILL) }
        Thread {
            process.waitForExit()
            directory.remove()
        }.start()
    }

    struct ServerFailed: Error, CustomStringConvertible {
        var description: String
    }
}

/// squid (Debian's `squid`) as a forward proxy on a free loopback port: CONNECT to any port,
/// basic authentication against one user when asked, names resolved from its own hosts file
/// (nothing else resolves: its DNS server is a closed port on this machine, given up on after a
/// second), and one host it refuses by rule.
public final class Squid: DebianServer, @unchecked Sendable {
    public static let executable = "/usr/sbin/squid"
    public static var isInstalled: Bool { installed(executable) && installed(passwordHelper) }
    static let passwordHelper = "/usr/lib/squid/basic_ncsa_auth"
    /// A host squid refuses (403) whatever the credentials.
    public static let refusedHost = "blocked.extruct.test"
    /// The user and password it accepts when `requireCredentials` is set.
    public static let user = "alice"
    public static let password = "s3cret-proxy-pass"
    /// `openssl passwd -apr1 -salt extructs s3cret-proxy-pass`, as htpasswd would write it.
    static let passwordLine = "alice:$apr1$extructs$W1JaGlYn3Pgh216SaaH7p."

    public let port: UInt16

    /// A proxy resolving `hosts` (name → address); with `requireCredentials`, 407 unless
    /// ``user`` and ``password`` come with the request.
    public init(hosts: [String: String], requireCredentials: Bool = false) async throws {
        let directory = try TemporaryDirectory()
        // As root, squid runs as the user `proxy`, who must write its logs here and read the rest.
        chmod(directory.path, 0o777)
        let port = try Self.freePort()
        self.port = port
        try directory.write("hosts", hosts.map { "\($0.value) \($0.key)\n" }.joined())
        try directory.write("passwd", Self.passwordLine + "\n")
        let access = requireCredentials ? "http_access allow authenticated\nhttp_access deny all" : "http_access allow all"
        try directory.write(
            "squid.conf",
            """
            http_port 127.0.0.1:\(port)
            pid_filename \(directory.file("squid.pid"))
            cache_log \(directory.file("cache.log"))
            access_log stdio:\(directory.file("access.log"))
            cache_store_log none
            cache deny all
            cache_mem 8 MB
            coredump_dir \(directory.path)
            netdb_filename none
            pinger_enable off
            shutdown_lifetime 0 seconds
            hosts_file \(directory.file("hosts"))
            dns_nameservers 127.0.0.1
            dns_timeout 1 seconds
            dns_retransmit_interval 1 seconds
            auth_param basic program \(Self.passwordHelper) \(directory.file("passwd"))
            auth_param basic realm extruct-tests
            acl authenticated proxy_auth REQUIRED
            acl refused dstdomain \(Self.refusedHost)
            http_access deny refused
            \(access)

            """)
        try await super.init(
            executable: Self.executable, arguments: ["-N", "-f", directory.file("squid.conf")], directory: directory, port: port,
            logName: "squid.out")
    }

    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// The proxy URL with the credentials it accepts (or others).
    public func url(user: String = Squid.user, password: String = Squid.password) -> String {
        "http://\(user):\(password)@127.0.0.1:\(port)"
    }

    /// The lines of its access log: one per CONNECT, with its result (`TCP_TUNNEL/200`,
    /// `TCP_DENIED/407`, …) and target.
    public var accessLog: [String] {
        (directory.read("access.log") ?? "").split(separator: "\n").map(String.init)
    }
}

/// nginx (Debian's `nginx-light`) terminating TLS on a free loopback port, with a certificate
/// from a throwaway CA, in front of a server on this machine (the simulator): as an API's front
/// end is. HTTP/2 on or off; its access log names the connection each request came on.
public final class Nginx: DebianServer, @unchecked Sendable {
    public static let executable = "/usr/sbin/nginx"
    public static var isInstalled: Bool { installed(executable) }

    public let port: UInt16
    /// The CA that issued its certificate (a PEM file).
    public let caFile: String

    /// nginx on TLS, HTTP/2 if `http2`, passing every request to `127.0.0.1:upstreamPort`.
    public init(upstreamPort: UInt16, http2: Bool, names: [String] = SimulatorFixture.certificateNames) async throws {
        let directory = try TemporaryDirectory()
        chmod(directory.path, 0o777)
        let port = try Self.freePort()
        self.port = port
        let authority = try ThrowawayCertificateAuthority(names: names)
        try directory.write("server.pem", authority.serverCertificateChainPEM)
        try directory.write("server.key", authority.serverPrivateKeyPEM)
        caFile = directory.file("ca.pem")
        try authority.writeCACertificate(to: caFile)
        for name in ["body", "proxy", "fastcgi", "uwsgi", "scgi"] {
            try FileManager.default.createDirectory(atPath: directory.file(name), withIntermediateDirectories: true)
        }
        try directory.write(
            "nginx.conf",
            """
            daemon off;
            master_process off;
            pid \(directory.file("nginx.pid"));
            error_log \(directory.file("error.log")) warn;
            events { worker_connections 128; }
            http {
                log_format connections '$connection $request_method $request_uri $status $server_protocol';
                access_log \(directory.file("access.log")) connections;
                client_body_temp_path \(directory.file("body"));
                proxy_temp_path \(directory.file("proxy"));
                fastcgi_temp_path \(directory.file("fastcgi"));
                uwsgi_temp_path \(directory.file("uwsgi"));
                scgi_temp_path \(directory.file("scgi"));
                server {
                    listen 127.0.0.1:\(port) ssl\(http2 ? " http2" : "");
                    # nginx 1.22 offers TLS 1.2 at most unless told: a front end today has 1.3.
                    ssl_protocols TLSv1.2 TLSv1.3;
                    ssl_certificate \(directory.file("server.pem"));
                    ssl_certificate_key \(directory.file("server.key"));
                    location / {
                        proxy_pass http://127.0.0.1:\(upstreamPort);
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                    }
                }
            }

            """)
        try await super.init(
            executable: Self.executable, arguments: ["-e", directory.file("error.log"), "-p", directory.path, "-c", directory.file("nginx.conf")],
            directory: directory, port: port, logName: "nginx.out")
    }

    /// `https://127.0.0.1:PORT`.
    public var url: String { "https://127.0.0.1:\(port)" }

    /// One line per request: the connection's number, the method, the URI, the status, the protocol.
    public var accessLog: [String] {
        (directory.read("access.log") ?? "").split(separator: "\n").map(String.init)
    }
}
