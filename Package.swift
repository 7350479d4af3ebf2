// swift-tools-version:6.2
import PackageDescription

/// Warnings are errors in CI (scripts/test passes -warnings-as-errors); the language mode is Swift 6 everywhere.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    // An async function without an actor runs on its caller's: a command and the client stay on
    // the shell's main actor; only the HTTP exchange is handed to its event loop.
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
    // Members come only from modules a file imports: a dependency that imports Foundation (TOMLKit
    // does) cannot slip Foundation's String methods, and ICU with them, into a shipped target.
    .enableUpcomingFeature("MemberImportVisibility"),
]

// Linux only (Debian 12 is what is built and tested): the code calls glibc, imports
// FoundationEssentials without a Foundation fallback and finds libedit through pkg-config, so no
// Apple platform is declared. README.md and ARCHITECTURE.md say what a port would need.
let package = Package(
    name: "extruct-shell",
    products: [
        .executable(name: "extruct-shell", targets: ["extruct-shell"]),
        .executable(name: "extruct-sim", targets: ["extruct-sim"]),
        .library(name: "DeepSearchCore", targets: ["DeepSearchCore"]),
        .library(name: "DeepSearch", targets: ["DeepSearch"]),
        .library(name: "DeepSearchSimulator", targets: ["DeepSearchSimulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
    ],
    targets: [
        // libedit, found through pkg-config (Debian: libedit-dev); the shim wraps its variadic calls.
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // Manual pages as data, rendered to roff and Markdown; options read from ArgumentParser.
        .target(
            name: "Manual", dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")], swiftSettings: swiftSettings),
        // Async-signal-safe signal plumbing and the editor's read function, which must be C.
        .target(name: "CLineSupport", dependencies: ["CEditLine"]),
        // What the shell asks of the system, without Foundation: whole files, detached threads, a
        // condition lock (POSIX calls), and the columns text takes in a terminal (wcwidth, without
        // the locale).
        .target(name: "POSIXSupport", swiftSettings: swiftSettings),
        .target(
            name: "LineEditing",
            dependencies: ["CEditLine", "CLineSupport", "POSIXSupport", .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: swiftSettings
        ),
        // The API's data, with no networking: models, the JSON reader and writer, the checks on
        // numbers and text both sides make. The client and the simulator share it.
        .target(name: "DeepSearchCore", swiftSettings: swiftSettings),
        .target(
            name: "DeepSearch",
            dependencies: [
                "DeepSearchCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // TLSUserEvent, to see a handshake complete (doctor's TLS check); NIOSSL links it already.
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DeepSearchSimulator",
            dependencies: [
                "DeepSearchCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // Hummingbird's own: to stop a simulator gracefully (see RunningSimulator.stop).
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The simulator's HTTPS: TLS, then HTTP/2 or HTTP/1.1 (SimulatorTLSIdentity), and a throwaway
        // certificate authority for `extruct-sim --tls` and the tests. Kept out of
        // DeepSearchSimulator so the shell, which embeds a plain-http simulator for --demo, links
        // no HTTP/2 server (HummingbirdHTTP2) and no X509 (NIOSSL and NIOHTTP2 stay: AsyncHTTPClient
        // needs them for https).
        .target(
            name: "SimulatorTLS",
            dependencies: [
                "DeepSearchSimulator",
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ShellKit",
            dependencies: [
                "DeepSearch",
                "LineEditing",
                "Manual",
                "POSIXSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "extruct-shell",
            dependencies: [
                "DeepSearch",
                "Manual",
                "POSIXSupport",
                "ShellKit",
                "DeepSearchSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "extruct-sim",
            dependencies: [
                "DeepSearchCore",
                "DeepSearchSimulator",
                "Manual",
                "SimulatorTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // The fuzzing entry point (scripts/fuzz) and the replay of what it found (the tests); the
        // command fuzzer runs the shell against a simulator of its own.
        .target(
            name: "FuzzHarness",
            dependencies: ["DeepSearch", "DeepSearchSimulator", "POSIXSupport", "ShellKit"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "extruct-fuzz",
            dependencies: ["FuzzHarness"],
            swiftSettings: swiftSettings
        ),
        // Loopback sockets for the tests and the bench: a listener on a free port, and a relay
        // that delays every byte as the internet does.
        .target(name: "LoopbackNetwork", swiftSettings: swiftSettings),
        // Measurements for scripts/bench: the client's request rate, rendering time, the relay.
        .executableTarget(
            name: "extruct-bench",
            dependencies: [
                "DeepSearch", "ShellKit", "LoopbackNetwork",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "DeepSearch", "DeepSearchSimulator", "SimulatorTLS", "LoopbackNetwork",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DeepSearchSimulatorTests",
            dependencies: ["DeepSearchSimulator", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DeepSearchTests",
            dependencies: [
                "DeepSearch", "DeepSearchSimulator", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ShellKitTests",
            dependencies: ["DeepSearch", "DeepSearchSimulator", "LineEditing", "Manual", "POSIXSupport", "ShellKit", "TestSupport"],
            // Read from the source tree by path (RECORD_GOLDEN=1 rewrites them), not bundled.
            exclude: ["Golden"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FuzzRegressionTests",
            dependencies: ["FuzzHarness", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["TestSupport"],
            swiftSettings: swiftSettings
        ),
        // The docs are tests: every example of README.md and docs/ run, or parsed by the parsers
        // the programs use (scripts/test --docs).
        .testTarget(
            name: "DocTests",
            dependencies: [
                "DeepSearch", "POSIXSupport", "ShellKit", "TestSupport", "extruct-shell", "extruct-sim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
