// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Vigil",
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        .library(name: "VigilCollect", targets: ["VigilCollect"]),
        .library(name: "VigilAnomaly", targets: ["VigilAnomaly"]),
    ],
    targets: [
        // C shims
        .target(
            name: "CRE2",
            path: "Sources/CRE2",
            cxxSettings: [.unsafeFlags(["-std=c++17", "-O2"])],
            linkerSettings: [.linkedLibrary("re2"), .linkedLibrary("stdc++")]
        ),
        .target(
            name: "CMicroHTTPD",
            path: "Sources/CMicroHTTPD",
            linkerSettings: [.linkedLibrary("microhttpd")]
        ),
        .systemLibrary(name: "CYAML", path: "Sources/CYAML"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),

        // Stages, left to right
        .target(name: "VigilCore", dependencies: ["CRE2", "CYAML"]),
        .target(name: "VigilCollect", dependencies: ["VigilCore"]),
        .target(
            name: "VigilStorage", dependencies: ["VigilCore", "VigilCollect", "CSQLite"],
            exclude: ["Chunks/FORMAT.md", "WAL/FORMAT.md", "Blocks/FORMAT.md"]),
        .target(name: "VigilQuery", dependencies: ["VigilCore", "VigilStorage"]),
        .target(name: "VigilAnomaly", dependencies: ["VigilCore", "VigilStorage", "VigilQuery"]),
        .target(name: "VigilLogs", dependencies: ["VigilCore", "VigilStorage", "VigilAnomaly"]),
        .target(name: "VigilRules", dependencies: ["VigilCore", "VigilStorage", "VigilQuery"]),
        .target(name: "VigilNotify", dependencies: ["VigilCore"]),
        .target(
            name: "VigilServer",
            dependencies: [
                "VigilCore", "VigilCollect", "VigilStorage", "VigilQuery", "VigilRules", "VigilNotify",
                "CMicroHTTPD",
            ],
            resources: [.embedInCode("Embedded")]
        ),
        .executableTarget(
            name: "vigil",
            dependencies: ["VigilServer", "VigilCore", "VigilStorage", "VigilRules", "VigilAnomaly", "VigilLogs"]),
        .target(name: "VigilTesting", dependencies: ["VigilCore", "CMicroHTTPD"]),

        // Tests
        .testTarget(name: "VigilCoreTests", dependencies: ["VigilCore"]),
        .testTarget(name: "VigilCollectTests", dependencies: ["VigilCollect", "VigilTesting"], exclude: ["Fixtures"]),
        .testTarget(name: "VigilStorageTests", dependencies: ["VigilStorage", "VigilTesting"]),
        .testTarget(name: "VigilQueryTests", dependencies: ["VigilQuery", "VigilTesting"], exclude: ["promql-skip.txt"]),
        .testTarget(name: "VigilAnomalyTests", dependencies: ["VigilAnomaly", "VigilTesting"]),
        .testTarget(name: "VigilLogsTests", dependencies: ["VigilLogs", "VigilTesting"]),
        .testTarget(name: "VigilRulesTests", dependencies: ["VigilRules", "VigilTesting"]),
        .testTarget(name: "VigilNotifyTests", dependencies: ["VigilNotify", "VigilTesting"]),
        .testTarget(name: "VigilServerTests", dependencies: ["VigilServer", "VigilTesting"]),
        .testTarget(name: "IntegrationTests", dependencies: ["VigilCore", "VigilTesting"]),
    ]
)
