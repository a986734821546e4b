// swift-tools-version:6.0
import PackageDescription

// Benchmarks live in their own package so `swift build` of Vigil never compiles them; `make bench` builds this
// package in release mode and runs `run.sh`.
let package = Package(
    name: "VigilBenchmarks",
    dependencies: [
        .package(name: "Vigil", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "vigil-bench",
            dependencies: [.product(name: "VigilCollect", package: "Vigil")],
            path: "Sources/vigil-bench"
        ),
        .executableTarget(
            name: "anomaly-bench",
            dependencies: [.product(name: "VigilAnomaly", package: "Vigil")],
            path: "Sources/anomaly-bench"
        ),
    ]
)
