import DeepSearch
import Foundation
import TestSupport
import Testing

private let packagePath = ProcessInfo.processInfo.environment["EXTRUCT_DEB"].flatMap { $0.isEmpty ? nil : $0 }

/// What `scripts/package` builds, checked on the .deb scripts/test makes (`EXTRUCT_DEB`); skipped
/// without one (`scripts/test --quick`).
@Suite(.enabled(if: packagePath != nil, "scripts/test sets EXTRUCT_DEB after scripts/package"))
struct DebianPackageTests {
    let deb = packagePath ?? "/nonexistent.deb"

    func run(_ arguments: [String], directory: String? = nil) async throws -> ProcessResult {
        try await runProcess(
            "/usr/bin/env", arguments, environment: testEnvironment(home: NSTemporaryDirectory()), directory: directory, timeout: 120)
    }

    @Test func theControlFieldsNameTheVersionAndWhatTheBinariesLink() async throws {
        let fields = try await run(["dpkg-deb", "-f", deb, "Package", "Version", "Architecture", "Depends", "Maintainer"])
        #expect(fields.status == 0, "\(fields.stderr)")
        #expect(fields.stdout.contains("Package: extruct-shell\n"))
        #expect(fields.stdout.contains("Version: \(ProductVersion.current)\n"))
        #expect(deb.hasSuffix("extruct-shell_\(ProductVersion.current)_amd64.deb") || deb.hasSuffix("_arm64.deb"))
        for library in ["libc6", "libedit2", "libstdc++6"] {
            #expect(fields.stdout.contains(library), "Depends names \(library): \(fields.stdout)")
        }
        #expect(!fields.stdout.contains("swift"), "no Swift runtime package is needed")
    }

    @Test func itHoldsTheBinariesManPagesCompletionsAndDocs() async throws {
        let listing = try await run(["dpkg-deb", "-c", deb])
        let paths = listing.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").last.map { String($0.dropFirst()) } }
        let expected = [
            "/usr/bin/extruct-shell", "/usr/bin/extruct-sim",
            "/usr/share/man/man1/extruct-shell.1.gz", "/usr/share/man/man1/extruct-sim.1.gz",
            "/usr/share/bash-completion/completions/extruct-shell", "/usr/share/zsh/vendor-completions/_extruct-shell",
            "/usr/share/fish/vendor_completions.d/extruct-shell.fish",
            "/usr/share/doc/extruct-shell/copyright", "/usr/share/doc/extruct-shell/changelog.gz",
            "/usr/share/doc/extruct-shell/README.md.gz",
        ]
        for path in expected { #expect(paths.contains(path), "\(path) is in the package") }
        #expect(listing.stdout.split(separator: "\n").allSatisfy { $0.contains("root/root") }, "everything belongs to root")
    }

    @Test func lintianFindsNoError() async throws {
        let lintian = try await run(["lintian", "--fail-on", "error,warning", deb])
        #expect(lintian.status == 0, "\(lintian.stdout)\(lintian.stderr)")
        #expect(!lintian.stdout.contains("E: "), "\(lintian.stdout)")
    }

    @Test func theUnpackedShellRunsItsHelpAndItsDemo() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let unpack = try await run(["dpkg-deb", "-x", deb, root.path])
        #expect(unpack.status == 0, "\(unpack.stderr)")
        let shell = root.path + "/usr/bin/extruct-shell"
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let version = try await runProcess(shell, ["--version"], environment: testEnvironment(home: home.path))
        #expect(version.stdout == ProductVersion.current + "\n")
        let help = try await runProcess(shell, ["-c", "help"], environment: testEnvironment(home: home.path))
        #expect(help.status == 0 && help.stdout.contains("export"), "\(help.stderr)")
        let demo = try await runProcess(shell, ["--demo", "-q", "-c", "tasks"], environment: testEnvironment(home: home.path))
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.split(separator: "\n").count >= 4, "the demo's three tasks under a header: \(demo.stdout)")
    }
}
