import Foundation

/// A finished run of a program with pipes for its standard streams.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var stdoutBytes: [UInt8]
}

/// Runs `executable` with `arguments`, feeding `input` to standard input; waits at most
/// `timeout` seconds (then kills it and says so).
public func runProcess(
    _ executable: String, _ arguments: [String], input: [UInt8] = [], environment: [String: String],
    directory: String? = nil, timeout: Double = 60
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    let outBox = DataBox(), errBox = DataBox()
    let group = DispatchGroup()
    for (pipe, box) in [(stdout, outBox), (stderr, errBox)] {
        group.enter()
        DispatchQueue.global().async {
            box.set(pipe.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
    }
    try process.run()
    DispatchQueue.global().async {
        if !input.isEmpty { try? stdin.fileHandleForWriting.write(contentsOf: Data(input)) }
        try? stdin.fileHandleForWriting.close()
    }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(5_000) }
    var timedOut = false
    if process.isRunning {
        timedOut = true
        process.terminate()
        process.waitUntilExit()
    }
    group.wait()
    let out = outBox.get(), err = errBox.get()
    return ProcessResult(
        status: timedOut ? -1 : process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
        stderr: String(decoding: err, as: UTF8.self) + (timedOut ? "\n[test: killed after \(timeout) s]" : ""), stdoutBytes: Array(out))
}

/// Runs the shell binary.
public func runShell(
    _ arguments: [String], input: String = "", home: String, extraEnvironment: [String: String] = [:], directory: String? = nil,
    timeout: Double = 60
) throws -> ProcessResult {
    try runProcess(
        Binaries.shell, arguments, input: Array(input.utf8), environment: testEnvironment(home: home, extra: extraEnvironment),
        directory: directory, timeout: timeout)
}

final class DataBox: @unchecked Sendable {
    // Safe: set once by one reader thread, read after DispatchGroup.wait().
    private var data = Data()
    func set(_ d: Data) { data = d }
    func get() -> Data { data }
}
