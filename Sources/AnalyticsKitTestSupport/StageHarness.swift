import AnalyticsKit
import Foundation

/// Runs one stage on a string, synchronously on the calling thread, as the engine would run it.
///
/// For stage authors' tests, in the spirit of swift-nio's `EmbeddedChannel`: no pipeline file, no
/// executor, no threads. Options are checked against the factory's schema (an unknown option throws
/// `OptionError`) and unset ones take their defaults.
public struct StageHarness {
    /// The registry the stage types come from.
    public let registry: PluginRegistry

    /// Creates a harness over `registry`.
    public init(registry: PluginRegistry = .builtIn()) {
        self.registry = registry
    }

    /// Builds a stage of `type` with `options` (defaults filled in), as the pipeline loader would.
    public func makeStage(_ type: String, id: String = "stage", options: [String: OptionValue] = [:], needs: [String] = []) throws -> AnyStage {
        guard let factory = registry.factory(for: type) else {
            throw OptionError(option: "type", "unknown stage type '\(type)'; known: \(registry.typeNames.joined(separator: ", "))")
        }
        return try factory.make(StageConfiguration(id: id, typeName: type, needs: needs, options: Self.options(options, for: factory)))
    }

    /// Runs a stage of `type` on `text` and returns its typed output.
    public func run<Output>(_ type: String, options: [String: OptionValue] = [:], on text: String,
                            upstream: UpstreamOutputs = UpstreamOutputs(), as: Output.Type = Output.self) throws -> Output {
        let output = try makeStage(type, options: options).analyze(Document(id: "test", text: text), layer: TextLayer(text: text), upstream: upstream)
        guard let typed = output as? Output else {
            throw HarnessError("stage '\(type)' produced \(Swift.type(of: output)), not \(Output.self)")
        }
        return typed
    }

    /// Runs a stage of `type` on `text` and returns its output as the JSON the engine would write.
    public func json(_ type: String, options: [String: OptionValue] = [:], on text: String,
                     upstream: UpstreamOutputs = UpstreamOutputs()) throws -> JSONValue {
        let output = try makeStage(type, options: options).analyze(Document(id: "test", text: text), layer: TextLayer(text: text), upstream: upstream)
        return try JSONValueEncoder().encode(output)
    }

    /// Validates `overrides` against `factory`'s schema and fills in the defaults.
    static func options(_ overrides: [String: OptionValue], for factory: StageFactory) throws -> StageOptions {
        var values: [String: OptionValue] = [:]
        for spec in factory.options { values[spec.name] = spec.defaultValue }
        for (name, value) in overrides {
            guard factory.options.contains(where: { $0.name == name }) else {
                throw OptionError(option: name, "not an option of '\(factory.typeName)'; options: \(factory.options.map(\.name).joined(separator: ", "))")
            }
            values[name] = value
        }
        return StageOptions(values)
    }
}

/// A misuse of the harness.
public struct HarnessError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}
