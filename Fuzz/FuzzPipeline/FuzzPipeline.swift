import AnalyticsKit
import Foundation
import Quotes
import Readability
import Sentiment

// The fuzzer's bytes as a pipeline file. Loading gives a pipeline or a `PipelineError` whose every
// problem names a line and column inside the text, never a crash or a hang, whatever the YAML:
// anchors, aliases, deep nesting, wrong types.

let registry: PluginRegistry = {
    let registry = PluginRegistry.builtIn()
    try! ReadabilityPlugin.register(into: registry)
    try! SentimentPlugin.register(into: registry)
    try! QuotesPlugin.register(into: registry)
    return registry
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPipeline(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let yaml = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    do {
        _ = try PipelineLoader(registry: registry).load(yaml: yaml, file: "fuzz.yml", baseDirectory: "/nonexistent")
    } catch let error as PipelineError {
        // Line breaks as YAML counts them (CR LF, CR, LF, NEL, LS, PS); an error may point at the end
        // of the text, past the last one.
        let lines = yaml.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars
            .count { ["\r", "\n", "\u{85}", "\u{2028}", "\u{2029}"].contains($0) } + 2
        for diagnostic in error.diagnostics {
            guard let location = diagnostic.location else { preconditionFailure("no line and column: \(diagnostic)") }
            precondition(location.file == "fuzz.yml" && (1...lines).contains(location.line) && location.column >= 1,
                         "a location outside the text: \(diagnostic)")
            precondition(!diagnostic.message.isEmpty, "an error without a message at \(location)")
        }
    } catch {
        preconditionFailure("not a PipelineError: \(error)")
    }
    return 0
}
