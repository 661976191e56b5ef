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
///
/// In JSON the document's score fields stand at the top level (`compound`, `positive`, `negative`,
/// `neutral`, `drivers`), followed by `sentences` or `spans`, each element a span with its score fields.
public struct SentimentOutput: Sendable, Equatable {
    /// The whole document's score (nil with `over`).
    public let document: SentimentScore?
    /// Each sentence's score, with `level: sentence`.
    public let sentences: [SpanSentiment]?
    /// Each span's score, with `over`.
    public let spans: [SpanSentiment]?
}

extension SentimentScore: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writeFields(to: &writer)
        writer.endObject()
    }

    /// The score's fields, for objects that hold them beside fields of their own.
    func writeFields(to writer: inout JSONWriter) {
        writer.fixedKey("compound"); writer.double(compound)
        writer.fixedKey("positive"); writer.double(positive)
        writer.fixedKey("negative"); writer.double(negative)
        writer.fixedKey("neutral"); writer.double(neutral)
        writer.fixedKey("drivers"); writer.beginArray()
        for driver in drivers {
            writer.beginObject()
            writer.fixedKey("span"); writer.value(driver.span)
            writer.fixedKey("weight"); writer.double(driver.weight)
            writer.endObject()
        }
        writer.endArray()
    }
}

extension SentimentOutput: JSONWritable {
    /// The document's score fields at the top level, then `sentences` or `spans` when present.
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        document?.writeFields(to: &writer)
        if let sentences { writer.fixedKey("sentences"); Self.write(sentences, to: &writer) }
        if let spans { writer.fixedKey("spans"); Self.write(spans, to: &writer) }
        writer.endObject()
    }

    private static func write(_ items: [SpanSentiment], to writer: inout JSONWriter) {
        writer.beginArray()
        for item in items {
            writer.beginObject()
            writer.fixedKey("span"); writer.value(item.span)
            item.score.writeFields(to: &writer)
            writer.endObject()
        }
        writer.endArray()
    }
}

extension SentimentOutput: Codable {
    public func encode(to encoder: any Encoder) throws {
        try jsonValue.encode(to: encoder)
    }

    public init(from decoder: any Decoder) throws {
        let json = try JSONValue(from: decoder)
        func score(_ object: JSONValue) throws -> SentimentScore {
            func number(_ key: String) throws -> Double {
                guard let value = object[key]?.doubleValue else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "missing '\(key)'"))
                }
                return value
            }
            let drivers = try (object["drivers"]?.arrayValue ?? []).map { driver -> Driver in
                guard let span = driver["span"].flatMap(Self.span), let weight = driver["weight"]?.doubleValue else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad driver"))
                }
                return Driver(span: span, weight: weight)
            }
            return SentimentScore(compound: try number("compound"), positive: try number("positive"),
                                  negative: try number("negative"), neutral: try number("neutral"), drivers: drivers)
        }
        func items(_ key: String) throws -> [SpanSentiment]? {
            try json[key]?.arrayValue?.map { item in
                guard let span = item["span"].flatMap(Self.span) else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "missing span"))
                }
                return SpanSentiment(span: span, score: try score(item))
            }
        }
        self.init(document: json["compound"] == nil ? nil : try score(json), sentences: try items("sentences"), spans: try items("spans"))
    }

    private static func span(_ value: JSONValue) -> TextSpan? {
        guard case .int(let start)? = value["start"], case .int(let end)? = value["end"], let text = value["text"]?.stringValue else { return nil }
        return TextSpan(start: start, end: end, text: text)
    }
}
