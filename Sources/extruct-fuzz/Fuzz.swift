import Foundation
import FuzzHarness

/// libFuzzer's entry point. Command inputs run on the main actor (the shell's), which the main
/// thread serves while libFuzzer runs on a thread of its own; the other targets run here.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard FuzzHarness.isCommandInput(bytes) else {
        FuzzHarness.run(bytes)
        return 0
    }
    let done = DispatchSemaphore(value: 0)
    Task { @MainActor in
        await FuzzHarness.runCommands(bytes)
        done.signal()
    }
    done.wait()
    return 0
}

#if FUZZING
/// libFuzzer's entry point, `LLVMFuzzerRunDriver`.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32
#endif

/// Built by scripts/fuzz (with -sanitize=fuzzer and FUZZING): hands the command line to
/// libFuzzer, on a thread of its own while the main thread serves the main actor. Built
/// plainly: runs each file named on the command line through the harness.
@main
enum FuzzMain {
    static func main() async {
        #if FUZZING
        Thread {
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(runFuzzerDriver(&argc, &argv) { data, size in fuzzOne(data, size) })
        }.start()
        while true { try? await Task.sleep(for: .seconds(3600)) }
        #else
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let bytes = Array(data)
            if FuzzHarness.isCommandInput(bytes) { await FuzzHarness.runCommands(bytes) } else { FuzzHarness.run(bytes) }
        }
        exit(0)
        #endif
    }
}
