import FuzzHarness

#if FUZZING
/// libFuzzer's entry point (built by scripts/fuzz with -sanitize=fuzzer).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzHarness.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
import Foundation

/// Without libFuzzer: runs each file named on the command line through the harness.
@main
enum ReplayFuzzInputs {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            FuzzHarness.run(Array(data))
        }
    }
}
#endif
