// swift-tools-version:6.0
import PackageDescription

/// A C library found through pkg-config and installed from Debian.
func systemLibrary(_ name: String, pkgConfig: String, apt: String) -> Target {
    .systemLibrary(name: name, pkgConfig: pkgConfig, providers: [.apt([apt])])
}

let package = Package(
    name: "specgen",
    // Linux (Debian 12) is what CI builds and tests. On macOS, Synchronization's Mutex needs 15.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "specgen", targets: ["specgen"]),
        .library(name: "OpenAPI", targets: ["OpenAPI"]),
        .library(name: "CodeGen", targets: ["CodeGen"]),
        .library(name: "ServerRuntime", targets: ["ServerRuntime"]),
        // What generated repositories (Generated/Database) run on.
        .library(name: "Postgres", targets: ["Postgres"]),
        .executable(name: "server", targets: ["Server"]),
        .executable(name: "bench-baseline", targets: ["BenchBaseline"]),
        .executable(name: "bench-fixtures", targets: ["BenchFixtures"]),
        .executable(name: "spec-fuzz", targets: ["SpecFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        // Deque, for the request gate's waiters (already resolved for SwiftNIO).
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        // Tests only: tools run from tests (swiftc, tsc, psql, services.sh) without blocking a thread.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
    ],
    targets: [
        systemLibrary("CYAML", pkgConfig: "yaml-0.1", apt: "libyaml-dev"),
        systemLibrary("CLibPQ", pkgConfig: "libpq", apt: "libpq-dev"),
        systemLibrary("CHiredis", pkgConfig: "hiredis", apt: "libhiredis-dev"),
        systemLibrary("COpenSSL", pkgConfig: "openssl", apt: "libssl-dev"),
        systemLibrary("CCrypt", pkgConfig: "libcrypt", apt: "libcrypt-dev"),
        systemLibrary("CArgon2", pkgConfig: "libargon2", apt: "libargon2-dev"),
        // glibc's <malloc.h>: part of libc, nothing to link or install.
        .systemLibrary(name: "CMalloc"),
        // Swift Concurrency's global executor on the server's event loops (see EventLoopExecutor).
        .target(name: "CExecutor"),

        // The generator: builds fast and alone, never depends on the server side.
        .target(name: "OpenAPI", dependencies: ["CYAML"]),
        .target(name: "CodeGen", dependencies: ["OpenAPI"]),
        .executableTarget(
            name: "specgen",
            dependencies: [
                "CodeGen", "OpenAPI", "CYAML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .plugin(
            name: "GenerateCode",
            capability: .command(
                intent: .custom(
                    verb: "generate-code",
                    description: "Runs specgen generate: Generated/ from spec/openapi.yaml (arguments are passed on)."),
                permissions: [
                    .writeToPackageDirectory(reason: "specgen generate writes the generated code into Generated/.")
                ]
            ),
            dependencies: ["specgen"]
        ),

        // The server side.
        // JSON values and their parser, shared by the runtime (request bodies) and Security (token
        // payloads); no dependencies.
        .target(name: "JSON"),
        .target(name: "Security", dependencies: ["COpenSSL", "CCrypt", "CArgon2", "JSON"]),
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ", "Security", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Redis",
            dependencies: [
                "CHiredis", "Security", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "ServerRuntime",
            dependencies: [
                "JSON",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                // ServiceContext, which carries a request's `traceparent`.
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
            ]
        ),
        // Generated from spec/openapi.yaml by `specgen generate`; never edited by hand.
        .target(name: "API", dependencies: ["ServerRuntime"], path: "Generated/Swift"),
        // Generated too: a repository per x-db-table over libpq, and row <-> model mappings.
        .target(name: "Database", dependencies: ["API", "Postgres", "ServerRuntime"], path: "Generated/Database"),
        // The example app: the generated protocols implemented over PostgreSQL, and its server.
        .target(
            name: "App",
            dependencies: [
                "API", "Database", "ServerRuntime", "Postgres", "Redis", "Security", "CMalloc",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "Server",
            dependencies: [
                "App", "CExecutor", "Redis", "ServerOptions", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // What `server` and `bench-fixtures` share: settings, database and migrations options.
        .target(
            name: "ServerOptions",
            dependencies: ["App", "Postgres", "ServerRuntime", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Benchmark fixtures (sessions, reset tokens minted by the app's code) live outside the
        // shipped server: `make bench` builds `bench-fixtures`.
        .target(name: "BenchSupport", dependencies: ["App"]),
        .executableTarget(
            name: "BenchFixtures",
            dependencies: [
                "App", "BenchSupport", "Redis", "ServerOptions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The fuzz entry point over the loader and the whole generation (make fuzz-spec), and
        // the replay executable that ordinary builds make of it.
        .target(name: "SpecFuzzing", dependencies: ["CodeGen", "OpenAPI"]),
        .executableTarget(name: "SpecFuzz", dependencies: ["SpecFuzzing"]),
        // The bare Hummingbird handler `make bench` compares the server with.
        .executableTarget(name: "BenchBaseline", dependencies: [.product(name: "Hummingbird", package: "hummingbird")]),

        // Hashes written by Python's password libraries, shared by SecurityTests and AppTests.
        .target(name: "PasswordHashFixtures", path: "Tests/PasswordHashFixtures"),
        // Running tools and servers from tests, shared by every test target that does.
        .target(
            name: "TestProcesses", dependencies: [.product(name: "Subprocess", package: "swift-subprocess")],
            path: "Tests/TestProcesses"),
        .testTarget(name: "TestProcessesTests", dependencies: ["TestProcesses"]),
        .testTarget(name: "OpenAPITests", dependencies: ["OpenAPI"], exclude: ["BadDocuments"]),
        .testTarget(
            name: "CodeGenTests", dependencies: ["CodeGen", "OpenAPI", "SpecFuzzing", "TestProcesses"],
            exclude: ["SQL/Fixtures", "Swift/Fixtures", "TypeScript/Fixtures", "Database/Fixtures", "FuzzRegressions"]
        ),
        .testTarget(name: "SecurityTests", dependencies: ["Security", "PasswordHashFixtures"]),
        // Generated/ in it is what specgen writes for Tests/CodeGenTests/Database/Fixtures/tables.yaml.
        .testTarget(
            name: "PostgresTests",
            dependencies: [
                "Postgres", "Security", "ServerRuntime", "TestProcesses", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "RedisTests",
            dependencies: [
                "Redis", "TestProcesses", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App", "Database", "BenchSupport", "PasswordHashFixtures", "TestProcesses",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ]
        ),
        .testTarget(
            name: "ServerRuntimeTests",
            dependencies: [
                "ServerRuntime", "TestProcesses", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
    ]
)
