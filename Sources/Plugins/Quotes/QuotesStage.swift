import AnalyticsKit

/// Who said what: direct, reported and mixed quotes with speaker, cue and the speaker's fullest name.
///
/// Rules and word lists written by the team (see `QuoteFinder`, `QuoteLexicon`, `SpeakerResolver`);
/// no model. The corpus summary counts the speakers quoted most.
public struct QuotesStage: Stage {
    public let configuration: StageConfiguration
    let kinds: Set<String>
    let top: Int

    /// The factory registered as `quotes`.
    public static let factory = StageFactory(
        typeName: "quotes",
        summary: "direct, reported and mixed quotes with speaker, cue and resolved speaker name",
        options: [
            OptionSpec("kinds", .strings, default: .strings(["direct", "indirect", "mixed"]), doc: "which kinds of quote to report"),
            OptionSpec("corpus_top", .int, default: .int(25), doc: "how many speakers the corpus summary lists"),
        ],
        make: { try QuotesStage(configuration: $0) }
    )

    /// Builds the stage from validated options.
    public init(configuration: StageConfiguration) throws {
        self.configuration = configuration
        let kinds = configuration.options.strings("kinds") ?? ["direct", "indirect", "mixed"]
        if let bad = kinds.first(where: { !["direct", "indirect", "mixed"].contains($0) }) {
            throw OptionError(option: "kinds", "unknown kind '\(bad)'; kinds: direct, indirect, mixed")
        }
        self.kinds = Set(kinds)
        top = configuration.options.int("corpus_top") ?? 25
        guard top >= 0 else { throw OptionError(option: "corpus_top", "must be 0 or more, not \(top)") }
    }

    public func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> QuotesOutput {
        var finder = QuoteFinder(layer: layer)
        var found = finder.find()
        if kinds.count < 3 { found.removeAll { !kinds.contains($0.kind.rawValue) } }  // all three kinds are the default
        // The resolver indexes every name in the document; most documents have no speaker to resolve.
        let resolver = found.contains { $0.speaker != nil } ? SpeakerResolver(layer: layer) : nil
        let quotes = found.map { found -> Quote in
            let hull = layer.span(bytes: layer.tokens[found.fragments.first!.lowerBound].byteRange.lowerBound
                                  ..< layer.tokens[found.fragments.last!.upperBound - 1].byteRange.upperBound)
            // The pieces' offsets only when there are several (most quotes are one piece).
            let fragments = found.fragments.count > 1 ? found.fragments.map { fragment -> [Int] in
                let scalars = layer.scalarRange(bytes: layer.byteRange(of: TokenRange(fragment.lowerBound, fragment.upperBound)))
                return [scalars.lowerBound, scalars.upperBound]
            } : nil
            return Quote(
                kind: found.kind.rawValue,
                quote: QuoteText(span: hull, fragments: fragments),
                speaker: found.speaker.map { layer.span(of: TokenRange($0.lowerBound, $0.upperBound)) },
                cue: found.cue.map { layer.span(of: TokenRange($0.lowerBound, $0.upperBound)) },
                speakerResolved: found.speaker.flatMap { resolver?.resolve($0) })
        }
        return QuotesOutput(quotes: quotes)
    }

    public func makeAggregate() -> SpeakerTally? { SpeakerTally(top: top) }
}

/// The quotes of one document.
public struct QuotesOutput: Codable, Sendable, Equatable {
    /// In text order.
    public let quotes: [Quote]
}

/// One quote.
public struct Quote: Codable, Sendable, Equatable {
    /// "direct" (between quotation marks), "indirect" (reported speech) or "mixed".
    public let kind: String
    /// The words quoted: the span from the first to the last piece, and the pieces when interrupted.
    public let quote: QuoteText
    /// Who is quoted, as written ("she", "the news agency"), if found.
    public let speaker: TextSpan?
    /// The reporting words ("said", "was cited as saying", "according to"), if found.
    public let cue: TextSpan?
    /// The fullest name the document gives the speaker ("Serikzhan Bilash" for "Bilash").
    public let speakerResolved: String?

    enum CodingKeys: String, CodingKey {
        case kind, quote, speaker, cue
        case speakerResolved = "speaker_resolved"
    }
}

/// A quote's text span, with its pieces (`[start, end]` in Unicode scalars) when it has several.
public struct QuoteText: Codable, Sendable, Equatable {
    /// The span from the first piece to the last (its text a slice of the document, see `TextSpan`).
    public let span: TextSpan
    /// Each piece as `[start, end]` (Unicode scalars, end exclusive), only when there are several.
    public let fragments: [[Int]]?

    /// Scalar offset of the quote's first scalar.
    public var start: Int { span.start }
    /// Scalar offset one past its last scalar.
    public var end: Int { span.end }
    /// The quoted text from the first piece to the last.
    public var text: String { span.text }

    init(span: TextSpan, fragments: [[Int]]?) {
        self.span = span
        self.fragments = fragments
    }

    init(start: Int, end: Int, text: String, fragments: [[Int]]?) {
        self.init(span: TextSpan(start: start, end: end, text: text), fragments: fragments)
    }

    enum CodingKeys: String, CodingKey {
        case start, end, text, fragments
    }

    /// Decodes the keys `encode(to:)` writes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(start: try container.decode(Int.self, forKey: .start), end: try container.decode(Int.self, forKey: .end),
                  text: try container.decode(String.self, forKey: .text), fragments: try container.decodeIfPresent([[Int]].self, forKey: .fragments))
    }

    /// The keys a synthesized encoding of the fields would write, `fragments` left out when nil.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encode(text, forKey: .text)
        try container.encodeIfPresent(fragments, forKey: .fragments)
    }
}

extension QuotesOutput: TextSpanProviding {
    /// The quotes, one span per quote (from its first piece to its last) made of its fragments: what
    /// `over: quotes` scores, without the speakers and cues, and without an attribution that
    /// interrupts a quote.
    public var textSpans: [PiecedSpan] {
        quotes.map { quote in
            let text = quote.quote
            let pieces = text.fragments?.compactMap { $0.count == 2 && $0[0] <= $0[1] ? $0[0]..<$0[1] : nil }
            return PiecedSpan(text.span, pieces: pieces?.isEmpty == false ? pieces : nil)
        }
    }
}

/// The speakers quoted most in the corpus, by resolved name.
public struct SpeakerTally: CorpusAggregate {
    let top: Int
    var counts: [String: Int] = [:]

    public mutating func add(_ output: QuotesOutput, document: Document, sequence: Int) {
        for quote in output.quotes { if let name = quote.speakerResolved { counts[name, default: 0] += 1 } }
    }

    public mutating func merge(_ other: SpeakerTally) {
        counts.merge(other.counts, uniquingKeysWith: +)
    }

    public func finalize() -> [SpeakerCount] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(top).map { SpeakerCount(speaker: $0.key, quotes: $0.value) }
    }
}

/// A speaker and how many quotes are attributed to them.
public struct SpeakerCount: Codable, Sendable, Equatable {
    public let speaker: String
    public let quotes: Int
}

/// Registers the quotes stage: `QuotesPlugin.register(into: registry)`.
public enum QuotesPlugin {
    /// Adds the `quotes` stage type to `registry`.
    public static func register(into registry: PluginRegistry) throws {
        try registry.register(QuotesStage.factory)
    }
}

// Hand-written JSON for the types written for every document (see `JSONConvertible`): the Codable
// path cost more than finding the quotes. Keys and omissions match the synthesized `Encodable`,
// which a test checks.
extension QuotesOutput: JSONWritable {
    /// Written in one piece, keys as literals: a writer call per key and per number cost more than
    /// the text (the quotes output was a tenth of the news pipeline's time in writing records).
    public func writeJSON(to writer: inout JSONWriter) {
        writer.rawValue { out in
            JSONValue.appendLiteral(#"{"quotes":["#, to: &out)
            for (k, quote) in quotes.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                quote.appendJSON(to: &out)
            }
            JSONValue.appendLiteral("]}", to: &out)
        }
    }
}

extension Quote: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.rawValue { appendJSON(to: &$0) }
    }

    /// Appends the quote's JSON text, as the synthesized `Encodable` lays it out.
    func appendJSON(to out: inout JSONBuffer) {
        JSONValue.appendLiteral(#"{"kind":"#, to: &out)
        JSONValue.writeString(kind, to: &out)
        JSONValue.appendLiteral(#","quote":"#, to: &out)
        quote.appendJSON(to: &out)
        if let speaker {
            JSONValue.appendLiteral(#","speaker":"#, to: &out)
            speaker.appendJSON(to: &out)
        }
        if let cue {
            JSONValue.appendLiteral(#","cue":"#, to: &out)
            cue.appendJSON(to: &out)
        }
        if let speakerResolved {
            JSONValue.appendLiteral(#","speaker_resolved":"#, to: &out)
            JSONValue.writeString(speakerResolved, to: &out)
        }
        JSONValue.appendLiteral("}", to: &out)
    }
}

extension QuoteText: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.rawValue { appendJSON(to: &$0) }
    }

    /// Appends the quote text's JSON text, as the synthesized `Encodable` lays it out.
    func appendJSON(to out: inout JSONBuffer) {
        out.append(UInt8(ascii: "{"))
        span.appendFields(to: &out)
        if let fragments {
            JSONValue.appendLiteral(#","fragments":["#, to: &out)
            for (k, fragment) in fragments.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "["))
                for (j, offset) in fragment.enumerated() {
                    if j > 0 { out.append(UInt8(ascii: ",")) }
                    JSONValue.writeInt(offset, to: &out)
                }
                out.append(UInt8(ascii: "]"))
            }
            out.append(UInt8(ascii: "]"))
        }
        JSONValue.appendLiteral("}", to: &out)
    }
}
