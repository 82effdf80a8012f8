// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Viewfinder",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "viewfinder", targets: ["viewfinder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
    ],
    targets: [
        // Domain values shared by every other target; depends on nothing.
        .target(name: "ViewfinderCore"),

        // libvips through pkg-config; the variadic calls live in CShims.
        .systemLibrary(name: "CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),
        // Tiny C/C++ shims: vips variadics, libjpeg-turbo scaled decode, small-picture resize and WebP,
        // exiv2 (C++), SHA-256 (OpenSSL).
        .target(
            name: "CShims",
            dependencies: ["CVips"],
            linkerSettings: [
                .linkedLibrary("jpeg"), .linkedLibrary("webp"), .linkedLibrary("exiv2"), .linkedLibrary("crypto"),
                .linkedLibrary("stdc++"),
            ]
        ),

        // Names the indexing job a fatal signal happened in, from the handler (async-signal-safe C).
        .target(name: "CCrashGuard"),
        .target(name: "Media", dependencies: ["ViewfinderCore", "CShims", "CVips"]),
        // What a catalogue holds and the protocols every store implements: plain values, no database.
        .target(name: "Catalogue", dependencies: ["ViewfinderCore"]),
        // The embedded catalogue: SQLite through GRDB, whose record types stay inside.
        .target(name: "SQLiteCatalogue", dependencies: ["Catalogue", "ViewfinderCore", .product(name: "GRDB", package: "GRDB.swift")]),
        // The shared catalogue: PostgreSQL through postgres-nio, for several indexers and servers at once.
        .target(
            name: "PostgresCatalogue",
            dependencies: ["Catalogue", "ViewfinderCore", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log")]),
        // A cache prefetch hint, which Swift cannot spell.
        .target(name: "CPrefetch"),
        // The search engine: query language, in-memory text index with prefixes and typos, vectors, fusion.
        .target(name: "Search", dependencies: ["CPrefetch"]),
        // In-process search benchmark on the shared workload (bench/search.py runs it).
        .target(name: "Workload", dependencies: ["Search"], path: "bench/Workload"),
        .executableTarget(name: "search-bench", dependencies: ["Search", "Workload"], path: "bench/SearchBench"),
        // The model worker: protocol v1 over a child process's pipes or HTTP, supervised and batched.
        .target(name: "Vision", dependencies: ["ViewfinderCore"]),
        // Faces grouped into people, a batch at a time: pure Swift over the catalogue's plain values, no database.
        .target(name: "People", dependencies: ["Catalogue"]),
        // Clustering synthetic descriptors from scratch and a batch on top (BENCHMARKS.md "People: clustering").
        .executableTarget(name: "people-bench", dependencies: ["People", "Catalogue"], path: "bench/PeopleBench"),
        // Exact and near-identical photos (perceptual hashes within a few bits), the best of each group marked.
        .target(name: "Duplicates", dependencies: ["Catalogue", "ViewfinderCore"]),
        // Near pairs among 100,000 synthetic hashes (BENCHMARKS.md "Near-duplicates").
        .executableTarget(name: "duplicates-bench", dependencies: ["Duplicates", "Catalogue", "ViewfinderCore"], path: "bench/DuplicatesBench"),
        .target(
            name: "Indexer",
            dependencies: ["ViewfinderCore", "CShims", "CCrashGuard", "Media", "Catalogue", "Vision", "People", .product(name: "Logging", package: "swift-log")]
        ),
        // `viewfinder organise`: plans a dated layout of photo folders and copies or moves into it, journalled.
        .target(name: "Organiser", dependencies: ["ViewfinderCore", "CShims", "Media", "Indexer"]),
        // The web page and JSON API (Hummingbird): search, photos, timeline, folders, status, sign-in, metrics.
        .target(
            name: "Server",
            dependencies: [
                "ViewfinderCore", "Media", "Catalogue", "Search", "Indexer", "Vision", "Duplicates",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Web")]
        ),
        // The server on the shared workload's documents with real thumbnails, for bench/serve.py.
        .executableTarget(
            name: "serve-bench", dependencies: ["Server", "Search", "Catalogue", "SQLiteCatalogue", "ViewfinderCore", "Workload", .product(name: "Hummingbird", package: "hummingbird")],
            path: "bench/ServeBench"),
        .executableTarget(
            name: "viewfinder",
            dependencies: [
                "ViewfinderCore", "CShims", "Media", "Catalogue", "SQLiteCatalogue", "PostgresCatalogue", "Indexer", "Vision", "Search", "Server",
                "People", "Duplicates", "Organiser",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // libFuzzer targets (scripts/fuzz builds them with -sanitize=fuzzer,address and -DFUZZING); the ordinary
        // build makes them replayers of saved inputs instead.
        .executableTarget(name: "QueryFuzz", dependencies: ["Search"], path: "Fuzz/QueryFuzz"),
        .executableTarget(name: "MetadataFuzz", dependencies: ["Media", "ViewfinderCore"], path: "Fuzz/MetadataFuzz"),

        // Finds ../shared/corpus (or $VIEWFINDER_CORPUS) and makes scratch folders for the test targets.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ViewfinderCoreTests", dependencies: ["ViewfinderCore"]),
        .testTarget(name: "MediaTests", dependencies: ["Media", "ViewfinderCore", "Search", "TestSupport"]),
        .testTarget(name: "SQLiteCatalogueTests", dependencies: ["SQLiteCatalogue", "Catalogue", "ViewfinderCore", "TestSupport"]),
        .testTarget(name: "CatalogueTests", dependencies: ["Catalogue", "SQLiteCatalogue", "PostgresCatalogue", "People", "ViewfinderCore", "TestSupport"]),
        .testTarget(name: "PostgresCatalogueTests", dependencies: ["PostgresCatalogue", "Catalogue", "ViewfinderCore", "TestSupport"]),
        .testTarget(name: "IndexerTests", dependencies: ["Indexer", "Media", "Catalogue", "SQLiteCatalogue", "Vision", "ViewfinderCore", "TestSupport"]),
        .testTarget(name: "VisionTests", dependencies: ["Vision", "TestSupport"]),
        .testTarget(name: "SearchTests", dependencies: ["Search"]),
        .testTarget(name: "PeopleTests", dependencies: ["People", "Catalogue"]),
        .testTarget(name: "DuplicatesTests", dependencies: ["Duplicates", "Catalogue", "ViewfinderCore"]),
        .testTarget(
            name: "ServerTests",
            dependencies: ["Server", "Search", "Catalogue", "SQLiteCatalogue", "ViewfinderCore", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "HTTPTypes", package: "swift-http-types")]
        ),
        .testTarget(name: "OrganiserTests", dependencies: ["Organiser", "Indexer", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["Catalogue", "SQLiteCatalogue", "TestSupport"]),
    ],
    cxxLanguageStandard: .cxx14
)
