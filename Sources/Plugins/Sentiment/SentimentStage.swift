import AnalyticsKit
import Foundation

/// Sentiment of a document (or each sentence, or each span another stage found), with the words that drove it.
///
/// Lexicon and rules in VADER's family (see `SentimentRules`): the compound score is the sum of the
/// items' valences after negation, boosters, capitals, "but", idioms and punctuation emphasis,
/// normalised to (-1, 1); positive, negative and neutral are the shares of the text's sentiment
/// mass, as VADER reports them. `drivers` lists the words (or emoticons, emoji) that weighed most,
/// with their span and final signed weight. Cost is linear in the number of tokens.
public struct SentimentStage: Stage {
    public let configuration: StageConfiguration
    let scorer: SentimentScorer
    let level: String
    let driverCount: Int
    let over: String?

    /// The factory registered as `sentiment`.
    public static let factory = StageFactory(
        typeName: "sentiment",
        summary: "lexicon-and-rules sentiment (VADER family) per document, sentence or span, with the words that drove it",
        options: [
            OptionSpec("level", .choice(["document", "sentence"]), default: .string("document"),
                       doc: "document: one score; sentence: also a score per sentence"),
            OptionSpec("drivers", .int, default: .int(5), doc: "how many of the strongest words to list per score"),
            OptionSpec("lexicon", .path, doc: "a TSV of token<TAB>valence (-4..4) to add to the built-in VADER lexicon"),
            OptionSpec("lexicon_mode", .choice(["merge", "replace"]), default: .string("merge"),
                       doc: "merge the user lexicon over the built-in one, or replace its words"),
            OptionSpec("over", .string, doc: "score each text span in the output of this stage (it must be in needs)"),
        ],
        make: { try SentimentStage(configuration: $0) }
    )

    /// Builds the stage from validated options.
    public init(configuration: StageConfiguration) throws {
        self.configuration = configuration
        let options = configuration.options
        let lexicon: SentimentLexicon
        if let path = options.path("lexicon") {
            lexicon = try SentimentLexicon(userFile: path, replace: options.string("lexicon_mode") == "replace")
        } else {
            lexicon = SentimentLexicon.builtIn
        }
        scorer = SentimentScorer(lexicon: lexicon)
        level = options.string("level") ?? "document"
        driverCount = options.int("drivers") ?? 5
        guard driverCount >= 0 else { throw OptionError(option: "drivers", "must be 0 or more") }
        over = options.string("over")
        if let over, !configuration.needs.contains(over) {
            throw OptionError(option: "over", "stage '\(over)' must also be listed in needs: add `needs: [\(over)]`")
        }
    }

    public func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> SentimentOutput {
        if let over {
            guard let output = upstream.output(of: over, as: (any Encodable).self) else {
                throw SentimentError("stage '\(over)' has no output for this document")
            }
            let spans = try TextSpan.offered(by: output)
            let scalarStarts = TokenScalarOffsets(layer)
            let scored = spans.map { offered in
                SpanSentiment(span: offered.span, score: result(layer, offered.pieces.map { scalarStarts.tokens(in: $0) }))
            }
            return SentimentOutput(document: nil, sentences: nil, spans: scored)
        }
        let document = result(layer, [0..<layer.tokens.count])
        let sentences = level == "sentence" ? layer.sentences.map { sentence in
            SpanSentiment(span: layer.span(of: sentence), score: result(layer, [sentence.indices]))
        } : nil
        return SentimentOutput(document: document, sentences: sentences, spans: nil)
    }

    /// The score of the tokens of `pieces`, read as one run (an interrupted quote's fragments).
    private func result(_ layer: TextLayer, _ pieces: [Range<Int>]) -> SentimentScore {
        let score = scorer.score(layer, pieces)
        let contributions = score.contributions
        // The strongest first, ties in text order.
        let strongest = contributions.indices.best(driverCount) { a, b in
            let (x, y) = (abs(contributions[a].valence), abs(contributions[b].valence))
            return x != y ? x > y : a < b
        }.map { k in
            Driver(span: layer.span(of: TokenRange(contributions[k].tokens.lowerBound, contributions[k].tokens.upperBound)),
                   weight: (Double(contributions[k].valence) * 1000).rounded() / 1000)
        }
        func round(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
        return SentimentScore(compound: round(score.compound), positive: round(score.positive), negative: round(score.negative),
                              neutral: round(score.neutral), drivers: strongest)
    }

}

/// The tokens that lie inside a span given in scalar offsets.
private struct TokenScalarOffsets {
    let starts: [Int]
    let ends: [Int]

    init(_ layer: TextLayer) {
        starts = layer.tokens.map { layer.scalarOffset(ofByte: $0.byteRange.lowerBound) }
        ends = layer.tokens.map { layer.scalarOffset(ofByte: $0.byteRange.upperBound) }
    }

    func tokens(in scalars: Range<Int>) -> Range<Int> {
        let first = starts.partitionPoint { $0 < scalars.lowerBound }
        var last = first
        while last < ends.count && ends[last] <= scalars.upperBound { last += 1 }
        return first..<max(first, last)
    }
}

/// A stage failure on one document.
struct SentimentError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Registers the sentiment stage: `SentimentPlugin.register(into: registry)`.
public enum SentimentPlugin {
    /// Adds the `sentiment` stage type to `registry`.
    public static func register(into registry: PluginRegistry) throws {
        try registry.register(SentimentStage.factory)
    }
}
