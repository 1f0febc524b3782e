// swift-tools-version:6.0
// Coverage-guided fuzz targets for verdict's readers and walks (libFuzzer), built and run by
// Scripts/fuzz, never by the main package's `swift build`: they need -sanitize=fuzzer.
import PackageDescription

let netfilter = Target.Dependency.product(name: "Netfilter", package: "verdict")

let package = Package(
    name: "verdict-fuzz",
    dependencies: [.package(name: "verdict", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [netfilter]),
        .executableTarget(name: "FuzzRules", dependencies: ["FuzzSupport", netfilter]),
        .executableTarget(name: "FuzzTrace", dependencies: ["FuzzSupport", netfilter]),
        .executableTarget(name: "FuzzFlow", dependencies: ["FuzzSupport", netfilter]),
        .executableTarget(name: "FuzzSpec", dependencies: ["FuzzSupport", netfilter]),
        .executableTarget(name: "FuzzEbtables", dependencies: ["FuzzSupport", netfilter]),
    ]
)
