import DeepSearch
import FoundationEssentials
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Debug logging on standard error, on only while `set debug on` or `--debug`.
public struct StandardErrorLogHandler: LogHandler {
    /// The process-wide switch.
    public static let isOn = Atomic<Bool>(false)

    public var metadata: Logger.Metadata = [:]
    /// Where the lines go: the console hides every secret in use and a `--cast` records them.
    private let console: Console
    /// `.trace` while the switch is on, else above every level the client logs at, so a request
    /// does not even build its debug lines.
    public var logLevel: Logger.Level {
        get { Self.isOn.load(ordering: .relaxed) ? .trace : .critical }
        set {}  // the switch decides
    }
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
        guard Self.isOn.load(ordering: .relaxed) else { return }
        var text = "debug: \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        if !merged.isEmpty {
            text += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        console.err(text.withoutControlCharacters)
    }
}
