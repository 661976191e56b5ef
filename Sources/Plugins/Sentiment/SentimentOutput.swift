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

// The outputs below are written in one piece each, keys as literals: a writer call per key and per
// number cost more than the text, for an output written for every document.

extension SentimentScore: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.rawValue { out in
            out.append(UInt8(ascii: "{"))
            appendFields(to: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends the score's fields (`"compound":…,…,"drivers":[…]`), for objects that hold them beside
    /// fields of their own.
    func appendFields(to out: inout JSONBuffer) {
        // The four scores, their keys and the drivers' opening in room reserved once, and each
        // driver's weight with its key and brace: an append per key and number each checked the
        // buffer's room and uniqueness.
        out.append(atMost: 64 + 4 * JSONValue.mostNumberBytes) { at in
            var n = JSONValue.writeLiteral(#""compound":"#, at: at)
            n &+= JSONValue.writeNumber(compound, at: at + n)
            n &+= JSONValue.writeLiteral(#","positive":"#, at: at + n)
            n &+= JSONValue.writeNumber(positive, at: at + n)
            n &+= JSONValue.writeLiteral(#","negative":"#, at: at + n)
            n &+= JSONValue.writeNumber(negative, at: at + n)
            n &+= JSONValue.writeLiteral(#","neutral":"#, at: at + n)
            n &+= JSONValue.writeNumber(neutral, at: at + n)
            return n &+ JSONValue.writeLiteral(#","drivers":["#, at: at + n)
        }
        for (k, driver) in drivers.enumerated() {
            JSONValue.appendLiteral(k > 0 ? #",{"span":"# : #"{"span":"#, to: &out)
            driver.span.appendJSON(to: &out)
            out.append(atMost: 16 + JSONValue.mostNumberBytes) { at in
                let n = JSONValue.writeLiteral(#","weight":"#, at: at)
                let m = n &+ JSONValue.writeNumber(driver.weight, at: at + n)
                return m &+ JSONValue.writeLiteral("}", at: at + m)
            }
        }
        out.append(UInt8(ascii: "]"))
    }
}

extension SentimentOutput: JSONWritable {
    /// The document's score fields at the top level, then `sentences` or `spans` when present.
    public func writeJSON(to writer: inout JSONWriter) {
        writer.rawValue { out in
            out.append(UInt8(ascii: "{"))
            var first = true
            if let document {
                document.appendFields(to: &out)
                first = false
            }
            func list(_ key: StaticString, _ items: [SpanSentiment]?) {
                guard let items else { return }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONValue.appendLiteral(key, to: &out)
                for (k, item) in items.enumerated() {
                    JSONValue.appendLiteral(k > 0 ? #",{"span":"# : #"{"span":"#, to: &out)
                    item.span.appendJSON(to: &out)
                    out.append(UInt8(ascii: ","))
                    item.score.appendFields(to: &out)
                    out.append(UInt8(ascii: "}"))
                }
                out.append(UInt8(ascii: "]"))
            }
            list(#""sentences":["#, sentences)
            list(#""spans":["#, spans)
            out.append(UInt8(ascii: "}"))
        }
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
