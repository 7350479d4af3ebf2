#if canImport(Glibc)
import Glibc
#endif

/// A new private folder (mode 0700) under `TMPDIR` (or /tmp), named `PREFIX-XXXXXX`; nil when
/// none could be made.
public func makeTemporaryFolder(prefix: String) -> String? {
    let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    var template = Array((base + "/" + prefix + "-XXXXXX").utf8CString)
    guard template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) } }) != nil else { return nil }
    return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
