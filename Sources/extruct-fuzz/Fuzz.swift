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
/// libFuzzer, on a thread of its own while the main thread serves the main actor. Built plainly
/// (what the tests run): `--property SEED COUNT` runs the command fuzzer's property test and
/// prints what went wrong; otherwise each file named is run through the harness.
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
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--property", arguments.count == 3, let seed = UInt64(arguments[1]), let count = Int(arguments[2]) {
            exit(await property(seed: seed, count: count))
        }
        // Read before the command fuzzer moves the working directory.
        let inputs = arguments.compactMap { FileManager.default.contents(atPath: $0).map { Array($0) } }
        for bytes in inputs {
            if FuzzHarness.isCommandInput(bytes) { await FuzzHarness.runCommands(bytes) } else { FuzzHarness.run(bytes) }
        }
        await FuzzHarness.finish()
        print("\(inputs.count) inputs replayed")
        exit(0)
        #endif
    }

    @MainActor
    static func property(seed: UInt64, count: Int) async -> Int32 {
        let fuzzer: CommandFuzzer
        do { fuzzer = try await CommandFuzzer() } catch {
            print("the command fuzzer could not start: \(error)")
            return 2
        }
        do {
            let problems = try await fuzzer.property(seed: seed, count: count)
            await fuzzer.close()
            print("\(count) lines from seed \(seed), \(problems.count) problems")
            for problem in problems { print(problem) }
            return problems.isEmpty ? 0 : 1
        } catch {
            await fuzzer.close()
            print("the command fuzzer could not run: \(error)")
            return 2
        }
    }
}
