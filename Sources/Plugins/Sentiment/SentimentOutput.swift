import AnalyticsKit

/// One sentiment score with the words that drove it.
public struct SentimentScore: Codable, Sendable, Equatable {
    /// The normalised sum of valences, in [-1, 1]; about ±0.05 and beyond is clearly positive or negative.
    public let compound: Double
    /// The share of the text's sentiment mass that is positive (positive + negative + neutral = 1).
    public let positive: Double
    /// The share that is negative.
    public let negative: Double
    /// The share that is neutral.
    public let neutral: Double
    /// The strongest items, strongest first, with their final signed weight.
    public let drivers: [Driver]
}

/// A word, emoticon or emoji that contributed to a score.
public struct Driver: Codable, Sendable, Equatable {
    /// Where it is.
    public let span: TextSpan
    /// Its valence after negation, boosters, capitals and "but" (−4.x to +4.x).
    public let weight: Double
}

/// The score of one sentence or span.
public struct SpanSentiment: Codable, Sendable, Equatable {
    /// The sentence or span.
    public let span: TextSpan
    /// Its score.
    public let score: SentimentScore
}

/// What the sentiment stage reports for one document.
public struct SentimentOutput: Codable, Sendable, Equatable {
    /// The whole document's score (nil with `over`).
    public let document: SentimentScore?
    /// Each sentence's score, with `level: sentence`.
    public let sentences: [SpanSentiment]?
    /// Each span's score, with `over`.
    public let spans: [SpanSentiment]?
}

extension SentimentScore: JSONConvertible {
    public var jsonValue: JSONValue {
        .object([
            JSONField("compound", .double(compound)), JSONField("positive", .double(positive)),
            JSONField("negative", .double(negative)), JSONField("neutral", .double(neutral)),
            JSONField("drivers", .array(drivers.map { .object([JSONField("span", $0.span.jsonValue), JSONField("weight", .double($0.weight))]) })),
        ])
    }
}

extension SentimentOutput: JSONConvertible {
    /// The document's score fields at the top level, then `sentences` or `spans` when present.
    public var jsonValue: JSONValue {
        var fields: [JSONField] = []
        if let document, case .object(let scoreFields) = document.jsonValue { fields += scoreFields }
        if let sentences { fields.append(JSONField("sentences", .array(sentences.map(Self.json)))) }
        if let spans { fields.append(JSONField("spans", .array(spans.map(Self.json)))) }
        return .object(fields)
    }

    private static func json(_ item: SpanSentiment) -> JSONValue {
        guard case .object(let scoreFields) = item.score.jsonValue else { return .null }
        return .object([JSONField("span", item.span.jsonValue)] + scoreFields)
    }
}
