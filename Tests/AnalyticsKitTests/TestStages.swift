import AnalyticsKit
import Foundation

/// Small stages for engine tests: they show what the engine does, not what a real plugin computes.
enum TestStages {
    /// A registry with the built-ins plus `echo` and `fail`.
    static func registry() -> PluginRegistry {
        let registry = PluginRegistry.builtIn()
        try! registry.register(StageFactory(typeName: "echo", summary: "reports the word count and what it read upstream") {
            EchoStage(configuration: $0)
        })
        try! registry.register(StageFactory(
            typeName: "fail", summary: "throws on documents containing a marker",
            options: [OptionSpec("marker", .string, default: .string("FAIL"), doc: "text that makes the stage throw")]
        ) { FailStage(configuration: $0) })
        return registry
    }
}

/// Counts words and lists which upstream stages it saw succeed.
struct EchoStage: Stage {
    struct Output: Codable, Sendable, Equatable {
        let words: Int
        let upstream: [String]
    }

    let configuration: StageConfiguration

    func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> Output {
        let seen = configuration.needs.filter { upstream.output(of: $0, as: (any Sendable).self) != nil }
        return Output(words: layer.tokens.filter { $0.kind == .word }.count, upstream: seen)
    }
}

/// Throws when the document contains its marker.
struct FailStage: Stage {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "marker found" }
    }

    let configuration: StageConfiguration

    func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> Int {
        if document.text.contains(configuration.options.string("marker") ?? "FAIL") { throw Failure() }
        return layer.tokens.count
    }
}
