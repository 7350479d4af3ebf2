import DeepSearch
import FoundationEssentials
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Debug logging on standard error: the logger of a client made while the session's `debug`
/// setting is on (`set debug on`, `--debug`); other clients get a silent one.
public struct StandardErrorLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    /// Where the lines go: the console hides every secret in use and a `--cast` records them.
    private let console: Console
    /// Everything: a client gets this handler only when it is to log.
    public var logLevel: Logger.Level = .trace
    private let label: String

    public init(label: String, console: Console) {
        self.label = label
        self.console = console
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var text = "debug: \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        if !merged.isEmpty {
            text += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        console.err(text.withoutControlCharacters)
    }
}
