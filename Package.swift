// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "verdict",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Netfilter", targets: ["Netfilter"]),
        .executable(name: "verdict", targets: ["verdict"]),
    ],
    targets: [
        .target(name: "Netfilter"),
        .executableTarget(name: "verdict", dependencies: ["Netfilter"]),
        .executableTarget(name: "verdict-bench", dependencies: ["Netfilter"]),
        .testTarget(name: "NetfilterTests", dependencies: ["Netfilter"]),
        .testTarget(name: "VerdictTests", dependencies: ["verdict"]),
    ]
)
