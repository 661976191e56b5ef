import AnalyticsKit
#if canImport(Glibc)
import Glibc
#endif

/// An example third-party stage: the mean word length of a document and its longest word.
struct WordLengthStage: Stage {
    struct Output: Codable, Sendable {
        /// Mean letters per word, 2 decimals.
        let meanLength: Double
        /// The longest word, where it is.
        let longest: TextSpan?

        enum CodingKeys: String, CodingKey {
            case meanLength = "mean_length"
            case longest
        }
    }

    let configuration: StageConfiguration

    func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> Output {
        let minimum = configuration.options.int("min") ?? 1
        let words = layer.tokens.filter { $0.kind == .word && $0.byteCount >= minimum }
        guard !words.isEmpty else { return Output(meanLength: 0, longest: nil) }
        let total = words.reduce(0) { $0 + $1.byteCount }
        let longest = words.max { $0.byteCount < $1.byteCount }!
        return Output(meanLength: (Double(total) / Double(words.count) * 100).rounded() / 100,
                      longest: layer.span(bytes: longest.byteRange))
    }
}

// MARK: The plugin's entry points (copy these two functions into your own plugin).

/// The plugin API version and the compiler this file was compiled with, for the host to check.
@_cdecl("analyticskit_plugin_info")
public func analyticskitPluginInfo() -> UnsafePointer<CChar> {
    #if compiler(>=6.5)
    let swift = "6.5+"
    #elseif compiler(>=6.4)
    let swift = "6.4"
    #elseif compiler(>=6.3)
    let swift = "6.3"
    #elseif compiler(>=6.2)
    let swift = "6.2"
    #else
    let swift = "6.1-"
    #endif
    // Built once and kept: the host reads it as a C string.
    return UnsafePointer(strdup("api=5;swift=\(swift)")!)
}

/// Registers this plugin's stage types into the host's registry; returns 0 on success.
@_cdecl("analyticskit_plugin_register")
public func analyticskitPluginRegister(_ registry: UnsafeMutableRawPointer) -> Int32 {
    do {
        try PluginABI.registry(from: registry).register(StageFactory(
            typeName: "word_length",
            summary: "mean word length and the longest word (an example plugin)",
            options: [OptionSpec("min", .int, default: .int(1), doc: "ignore words shorter than this")]
        ) { WordLengthStage(configuration: $0) })
        return 0
    } catch {
        return 1
    }
}
