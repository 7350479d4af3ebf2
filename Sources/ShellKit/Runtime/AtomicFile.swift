import FoundationEssentials
import POSIXSupport
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// Files written whole or not at all: to a temporary name beside the target, given its mode and
/// flushed to the disk, then renamed. A file that cannot be given its mode (one that may hold a
/// token must be 0600) or flushed is not put in place.
public enum AtomicFile {
    /// The calls whose failure must stop a write; tests put failing ones in.
    struct Calls {
        var changeMode: (Int32, mode_t) -> Int32 = { fchmod($0, $1) }
        var flush: (Int32) -> Int32 = { fsync($0) }
    }

    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws(CommandFailure) {
        try write(bytes, to: path, mode: mode, calls: Calls())
    }

    static func write(_ bytes: [UInt8], to path: String, mode: mode_t, calls: Calls) throws(CommandFailure) {
        let directory = FilePath(path).removingLastComponent().string
        let name = FilePath(path).lastComponent?.string ?? path
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .local("cannot write \(path): \(String(cString: strerror(errno)))") }
        if let code = FileContents.writeAll(fd, bytes) {
            close(fd)
            unlink(temporary)
            throw .local("cannot write \(path): \(FileContents.reason(code))")
        }
        if calls.changeMode(fd, mode) != 0 {
            let reason = String(cString: strerror(errno))
            close(fd)
            unlink(temporary)
            throw .local("cannot write \(path): cannot make it mode \(String(mode, radix: 8)): \(reason)")
        }
        if calls.flush(fd) != 0 {
            let reason = String(cString: strerror(errno))
            close(fd)
            unlink(temporary)
            throw .local("cannot write \(path): \(reason)")
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .local("cannot write \(path): \(reason)")
        }
    }
}
