import CLineSupport
import Synchronization

/// What the line editor draws (the prompt, the keys echoed, redraws), shown to one observer
/// after it reached the terminal: the shell's asciicast recorder.
public enum EditorOutput {
    private static let observer = Mutex<(@Sendable ([UInt8]) -> Void)?>(nil)

    /// Shows every later chunk of editor output to `handler` (nil: to no one).
    public static func observe(_ handler: (@Sendable ([UInt8]) -> Void)?) {
        observer.withLock { $0 = handler }
        ex_output_set_observer(
            handler == nil
                ? nil
                : { bytes, count in
                    guard let bytes, count > 0 else { return }
                    let chunk = Array(UnsafeRawBufferPointer(start: bytes, count: count))
                    EditorOutput.observer.withLock { $0 }?(chunk)
                })
    }
}
