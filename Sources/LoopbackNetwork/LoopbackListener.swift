import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A listening TCP socket on 127.0.0.1 and a free port, for the test servers and the bench's
/// relay. Its descriptor is closed once, by the first ``stop()``: a second close would close
/// whatever the process opened since under the same number (NIO's sockets, a pipe), as a proxy
/// stopped twice once did.
public final class LoopbackListener: Sendable {
    public let descriptor: Int32
    public let port: UInt16
    private let stopped = Atomic(false)

    /// Listens on a free port of 127.0.0.1; throws the `errno` of what failed.
    public init(backlog: Int32 = 64) throws(LoopbackError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError(errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw LoopbackError(errno: code)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        descriptor = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    /// The next connection, or nil once the listener is stopped.
    public func accept() -> Int32? {
        while true {
            let client = Glibc.accept(descriptor, nil, nil)
            if client >= 0 { return client }
            if errno == EINTR, !stopped.load(ordering: .relaxed) { continue }
            return nil
        }
    }

    /// Stops accepting (a waiting ``accept()`` returns nil); the first call only.
    public func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
    }
}

/// A socket call that failed, with its `errno`.
public struct LoopbackError: Error, CustomStringConvertible {
    public var errno: Int32
    public var description: String { String(cString: strerror(errno)) }
}

/// Connects to `127.0.0.1:port` (blocking: on loopback a connection is made or refused at once).
public func connectLoopback(port: UInt16, address: String = "127.0.0.1") -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    var target = sockaddr_in()
    target.sin_family = sa_family_t(AF_INET)
    target.sin_addr.s_addr = inet_addr(address)
    target.sin_port = port.bigEndian
    let connected = withUnsafePointer(to: &target) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        close(fd)
        return nil
    }
    return fd
}
