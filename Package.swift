// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "AnalyticsKit",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "AnalyticsKit", targets: ["AnalyticsKit"]),
        .library(name: "AnalyticsKitTestSupport", targets: ["AnalyticsKitTestSupport"]),
        .library(name: "Readability", targets: ["Readability"]),
        .library(name: "Sentiment", targets: ["Sentiment"]),
        .library(name: "Quotes", targets: ["Quotes"]),
        .executable(name: "analyze", targets: ["analyze"]),
        .executable(name: "analyze-bench", targets: ["analyze-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
    ],
    targets: [
        .target(
            name: "AnalyticsKit",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        .target(name: "AnalyticsKitTestSupport", dependencies: ["AnalyticsKit"]),
        .target(
            name: "Readability",
            dependencies: ["AnalyticsKit"],
            path: "Sources/Plugins/Readability",
            exclude: ["CMUDICT-LICENSE.txt"]
        ),
        .target(
            name: "Sentiment",
            dependencies: ["AnalyticsKit"],
            path: "Sources/Plugins/Sentiment",
            exclude: ["LICENSE-vaderSentiment.txt"]
        ),
        .target(name: "Quotes", dependencies: ["AnalyticsKit"], path: "Sources/Plugins/Quotes"),
        .executableTarget(
            name: "analyze",
            dependencies: [
                "AnalyticsKit",
                "Readability",
                "Sentiment",
                "Quotes",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Plugin libraries link against the AnalyticsKit inside analyze: its symbols must be visible.
            linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic"])]
        ),
        .executableTarget(
            name: "analyze-bench",
            dependencies: ["AnalyticsKit", "Readability", "Sentiment", "Quotes"],
            linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic"])]
        ),
        .testTarget(name: "AnalyticsKitTests", dependencies: ["AnalyticsKit", "AnalyticsKitTestSupport"]),
        .testTarget(name: "AnalyzeCLITests", dependencies: ["AnalyticsKit", "analyze"], exclude: ["Fixtures"]),
        .testTarget(name: "ReadabilityTests", dependencies: ["Readability", "AnalyticsKitTestSupport"]),
        .testTarget(name: "SentimentTests", dependencies: ["Sentiment", "AnalyticsKitTestSupport"]),
        .testTarget(name: "QuotesTests", dependencies: ["Quotes", "AnalyticsKitTestSupport"]),
    ]
)

// libFuzzer targets, only with ANALYTICSKIT_FUZZ set (scripts/fuzz.sh sets it and builds them with
// `--sanitize fuzzer` in a build folder of their own): a plain build never sees them.
if Context.environment["ANALYTICSKIT_FUZZ"] != nil {
    let stages: [Target.Dependency] = ["AnalyticsKit", "Readability", "Sentiment", "Quotes"]
    package.targets += [
        .executableTarget(name: "FuzzText", dependencies: stages, path: "Fuzz/FuzzText"),
        .executableTarget(name: "FuzzJSONL", dependencies: ["AnalyticsKit"], path: "Fuzz/FuzzJSONL"),
        .executableTarget(name: "FuzzInput", dependencies: ["AnalyticsKit"], path: "Fuzz/FuzzInput"),
        .executableTarget(name: "FuzzPipeline", dependencies: stages, path: "Fuzz/FuzzPipeline"),
        .executableTarget(name: "FuzzSummary", dependencies: ["AnalyticsKit"], path: "Fuzz/FuzzSummary"),
    ]
}
