// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Vigil",
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
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

        // Stages, left to right
        .target(name: "VigilCore", dependencies: ["CRE2", "CYAML"]),
        .target(name: "VigilCollect", dependencies: ["VigilCore"]),
        .target(name: "VigilStorage", dependencies: ["VigilCore"]),
        .target(name: "VigilQuery", dependencies: ["VigilCore", "VigilStorage"]),
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
        .executableTarget(name: "vigil", dependencies: ["VigilServer"]),

        // Tests
        .testTarget(name: "VigilCoreTests", dependencies: ["VigilCore"]),
        .testTarget(name: "VigilCollectTests", dependencies: ["VigilCollect"]),
        .testTarget(name: "VigilStorageTests", dependencies: ["VigilStorage"]),
        .testTarget(name: "VigilQueryTests", dependencies: ["VigilQuery"]),
        .testTarget(name: "VigilRulesTests", dependencies: ["VigilRules"]),
        .testTarget(name: "VigilNotifyTests", dependencies: ["VigilNotify"]),
        .testTarget(name: "VigilServerTests", dependencies: ["VigilServer"]),
        .testTarget(name: "IntegrationTests", dependencies: ["VigilCore"]),
    ]
)
