import DeepSearch
import Foundation
import TestSupport
import Testing

/// What `scripts/install` gives a user, checked in the prefix scripts/test installs into
/// (`EXTRUCT_INSTALL_PREFIX`); skipped without one (`scripts/test --quick`).
private let installPrefix = ProcessInfo.processInfo.environment["EXTRUCT_INSTALL_PREFIX"]

@Suite(.enabled(if: installPrefix != nil, "scripts/test sets EXTRUCT_INSTALL_PREFIX after scripts/install"))
struct InstallTests {
    let prefix = installPrefix ?? "/nonexistent"

    /// A user's environment with the install on PATH and nothing else of the developer's.
    func environment(_ home: TemporaryDirectory, extra: [String: String] = [:]) -> [String: String] {
        testEnvironment(home: home.path, extra: ["PATH": "\(prefix)/bin:/usr/bin:/bin", "XDG_DATA_HOME": home.path + "/data"].merging(extra) { $1 })
    }

    func run(_ arguments: [String], _ home: TemporaryDirectory, extra: [String: String] = [:]) async throws -> ProcessResult {
        try await runProcess("/usr/bin/env", arguments, environment: environment(home, extra: extra), directory: home.path)
    }

    @Test func theBinariesAreStaticallyLinkedStrippedAndSayTheirVersion() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        for program in ["extruct-shell", "extruct-sim"] {
            let version = try await run([program, "--version"], home)
            #expect(version.status == 0 && version.stdout == ProductVersion.current + "\n", "\(program): \(version.stderr)")
            let linked = try await run(["objdump", "-p", "\(prefix)/bin/\(program)"], home)
            #expect(!linked.stdout.contains("libswift"), "\(program) needs no Swift runtime")
            #expect(!linked.stdout.contains("RPATH") && !linked.stdout.contains("RUNPATH"), "\(program) loads nothing from beside itself")
            let symbols = try await run(["nm", "\(prefix)/bin/\(program)"], home)
            #expect(symbols.stderr.contains("no symbols"), "\(program) is stripped")
            // Foundation (not FoundationEssentials) would bring ICU's 34 MB data table with it.
            let bytes = try #require(FileManager.default.contents(atPath: "\(prefix)/bin/\(program)"))
            #expect(bytes.range(of: Data("icudt".utf8)) == nil, "\(program) links ICU's data: something imports Foundation")
        }
        let help = try await run(["extruct-shell", "-c", "help"], home)
        #expect(help.status == 0 && help.stdout.contains("resume"))
    }

    @Test(arguments: ["extruct-shell", "extruct-sim"])
    func manFindsThePageThroughPATHAndItRendersWithoutWarnings(_ program: String) async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        // man-db derives the manual path from PATH: PREFIX/bin → PREFIX/share/man.
        let located = try await run(["man", "-w", program], home)
        #expect(located.stdout.hasPrefix("\(prefix)/share/man/man1/\(program).1"), "\(located.stdout) \(located.stderr)")
        let rendered = try await run(["man", "--warnings", "-E", "UTF-8", program], home, extra: ["MANPAGER": "cat", "MANWIDTH": "80"])
        #expect(rendered.status == 0)
        #expect(rendered.stderr.isEmpty, "groff warned: \(rendered.stderr)")
        #expect(rendered.stdout.contains("EXIT STATUS") || program == "extruct-sim")
        #expect(rendered.stdout.contains("OPTIONS"))
    }

    @Test func bashCompletesOptionsFromTheInstalledScript() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let script = """
            source \(prefix)/share/bash-completion/completions/extruct-shell
            COMP_LINE="extruct-shell --api"; COMP_WORDS=(extruct-shell --api); COMP_CWORD=1; COMP_POINT=${#COMP_LINE}
            _extruct-shell extruct-shell --api extruct-shell
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let completed = try await run(["bash", "-c", script], home)
        #expect(completed.stdout == "--api-url\n", "\(completed.stderr)")
        // bash-completion loads it on first use from XDG_DATA_DIRS when the prefix is /usr/local.
        let loader = """
            source /usr/share/bash-completion/bash_completion
            __load_completion extruct-shell && complete -p extruct-shell
            """
        let loaded = try await run(["bash", "-c", loader], home, extra: ["XDG_DATA_DIRS": "\(prefix)/share:/usr/share"])
        #expect(loaded.stdout.contains("_extruct-shell"), "\(loaded.stderr)")
    }

    @Test func zshFindsTheCompletionFunctionInSiteFunctions() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let script = """
            fpath=(\(prefix)/share/zsh/site-functions $fpath)
            autoload -U compinit && compinit -u -d \(home.path)/zcompdump
            print -r -- $_comps[extruct-shell] $_comps[extruct-sim]
            """
        let zsh = try await run(["zsh", "-f", "-c", script], home)
        #expect(zsh.stdout == "_extruct-shell _extruct-sim\n", "\(zsh.stderr)")
        let syntax = try await run(["zsh", "-n", "\(prefix)/share/zsh/site-functions/_extruct-shell"], home)
        #expect(syntax.status == 0, "\(syntax.stderr)")
    }

    @Test func fishCompletesOptionsFromItsVendorDirectory() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let fish = try await run(["fish", "-c", "complete -C 'extruct-shell --api'"], home, extra: ["XDG_DATA_DIRS": "\(prefix)/share:/usr/share"])
        #expect(fish.stdout.hasPrefix("--api-url\t"), "\(fish.stdout) \(fish.stderr)")
    }
}
