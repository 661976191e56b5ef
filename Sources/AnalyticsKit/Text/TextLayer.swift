import Foundation

/// The shared reading of one document: tokens, sentences and paragraphs, built once by the engine.
///
/// Every stage reads the same layer; none re-tokenizes. Positions are UTF-8 byte offsets into `bytes`
/// (fast to slice); `span(bytes:)` turns a byte range into the Unicode-scalar offsets used in output.
/// The layer is immutable and safe to share between threads. A final class rather than a struct:
/// it is handed to every stage and held by outputs and finders, and each copy of a struct retained
/// and released its six arrays one by one (measured: the news pipeline and text layer + frequency
/// 1.2-1.3% faster as a class).
public final class TextLayer: Sendable {
    /// The document's text as UTF-8.
    public let bytes: [UInt8]
    /// The folded forms of all tokens, back to back; `Token.foldedRange` indexes into it.
    public let folded: [UInt8]
    /// The tokens in text order.
    public let tokens: [Token]
    /// Sentences as token ranges, in order, covering every token.
    public let sentences: [TokenRange]
    /// Paragraphs (separated by blank lines) as token ranges, in order, covering every token.
    public let paragraphs: [TokenRange]
    /// Scalar count before each 64-byte block; empty when the text is ASCII and offsets coincide.
    private let scalarsBeforeBlock: [Int32]

    /// Builds the layer for `text`.
    public convenience init(text: String) {
        var copy = text
        let bytes = copy.withUTF8 { Array($0) }
        self.init(validUTF8: bytes)
    }

    /// Builds the layer for bytes already known to be valid UTF-8 (for example a `String`'s).
    init(validUTF8 bytes: [UInt8]) {
        self.bytes = bytes
        var layerTokens: [Token] = []
        var layerFolded: [UInt8] = []
        var layerSentences: [TokenRange] = []
        var layerParagraphs: [TokenRange] = []
        var blocks: [Int32] = []
        bytes.withUnsafeBufferPointer { p in
            let isASCII: Bool
            (layerTokens, layerFolded, layerSentences, layerParagraphs, isASCII) = Tokenizer.tokenize(p)
            // The tokenizer has read every byte and knows: a pass of the layer's own over the text to
            // learn it again cost about 460 instructions a document.
            if !isASCII { blocks = Self.scalarIndex(p) }
        }
        tokens = layerTokens
        folded = layerFolded
        sentences = layerSentences
        paragraphs = layerParagraphs
        scalarsBeforeBlock = blocks
    }

    /// The scalar count before each 64-byte block of a text that is not all ASCII.
    private static func scalarIndex(_ p: UnsafeBufferPointer<UInt8>) -> [Int32] {
        let blockCount = (p.count + 63) / 64
        return [Int32](capacity: blockCount) { blocks in
            let base = p.baseAddress!
            var scalars = 0
            var k = 0
            for block in 0..<blockCount {
                blocks[block] = Int32(truncatingIfNeeded: scalars)
                let end = min(k + 64, p.count)
                // Eight bytes at a time: a continuation byte (10xxxxxx) has bit 7 set and bit 6 clear,
                // and every other byte starts a scalar.
                while k + 8 <= end {
                    let word = UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self)
                    let continuations = (word & ~(word << 1) & 0x8080_8080_8080_8080) >> 7
                    scalars += 8 - Int(truncatingIfNeeded: (continuations &* 0x0101_0101_0101_0101) >> 56)
                    k += 8
                }
                while k < end {
                    if base[k] & 0xC0 != 0x80 { scalars += 1 }
                    k += 1
                }
            }
            return blockCount
        }
    }

    // MARK: Reading tokens

    /// The token's text as it appears in the document.
    public func text(of token: Token) -> String {
        string(bytes: token.byteRange)
    }

    /// The token's folded form (lower case, straight apostrophe) as a `String`: build one only for output.
    public func foldedText(of token: Token) -> String {
        String(decoding: folded[token.foldedRange], as: UTF8.self)
    }

    /// True when the token's folded bytes equal `term`'s UTF-8 (which must already be folded).
    public func folded(_ token: Token, equals term: String) -> Bool {
        var term = term
        return term.withUTF8 { t in
            let range = token.foldedRange
            guard t.count == range.count else { return false }
            return folded.withUnsafeBufferPointer { f in memcmp(f.baseAddress! + range.lowerBound, t.baseAddress!, t.count) == 0 }
        }
    }

    /// The text of a byte range (which must fall on scalar boundaries, as token boundaries do).
    public func string(bytes range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// The byte range from the start of one token to the end of another.
    public func byteRange(of tokenRange: TokenRange) -> Range<Int> {
        guard tokenRange.count > 0 else { return 0..<0 }
        return tokens[tokenRange.lowerBound].byteRange.lowerBound..<tokens[tokenRange.upperBound - 1].byteRange.upperBound
    }

    // MARK: Spans for output

    /// The number of Unicode scalars before a byte offset (which must fall on a scalar boundary).
    public func scalarOffset(ofByte offset: Int) -> Int {
        if scalarsBeforeBlock.isEmpty { return offset }
        let block = offset >> 6
        var count = Int(scalarsBeforeBlock[block < scalarsBeforeBlock.count ? block : scalarsBeforeBlock.count - 1])
        var k = min(block, scalarsBeforeBlock.count - 1) << 6
        while k < offset {
            if bytes[k] & 0xC0 != 0x80 { count += 1 }
            k += 1
        }
        return count
    }

    /// The scalar offsets (end exclusive) of a byte range, for output that needs no text.
    public func scalarRange(bytes range: Range<Int>) -> Range<Int> {
        scalarOffset(ofByte: range.lowerBound)..<scalarOffset(ofByte: range.upperBound)
    }

    /// The output form of a byte range: scalar offsets (end exclusive) and the text.
    public func span(bytes range: Range<Int>) -> TextSpan {
        let scalars = scalarRange(bytes: range)
        return TextSpan(start: scalars.lowerBound, end: scalars.upperBound, utf8: bytes[range])
    }

    /// The output form of a run of tokens.
    public func span(of tokenRange: TokenRange) -> TextSpan {
        span(bytes: byteRange(of: tokenRange))
    }
}

/// A piece of the document in output: `start` and `end` count Unicode scalars (what Python's `str` indexes), end exclusive.
///
/// A span the layer makes holds its text as a slice of the document's bytes and makes a `String` only
/// when `text` is read: a `String` per span (a UTF-8 check and, past 15 bytes, an allocation each,
/// freed again once the record was written) cost the four news stages 1.5% of their instructions.
/// Holding a span keeps the document's text alive, not the rest of its layer. Two spans are equal
/// when their offsets and texts are, the texts compared as `String`s.
public struct TextSpan: Codable, Sendable, Hashable {
    /// Scalar offset of the first scalar.
    public let start: Int
    /// Scalar offset one past the last scalar.
    public let end: Int
    /// The text's UTF-8, valid: for a span the layer made, a slice of the document's bytes.
    public let utf8: ArraySlice<UInt8>

    /// The text of the span.
    public var text: String { String(decoding: utf8, as: UTF8.self) }

    /// Creates a span; prefer `TextLayer.span(bytes:)`, which computes the offsets.
    public init(start: Int, end: Int, text: String) {
        self.init(start: start, end: end, utf8: ArraySlice(text.utf8))
    }

    /// A span whose text is `utf8`, which must be valid UTF-8 (a slice of a layer's bytes on scalar boundaries).
    init(start: Int, end: Int, utf8: ArraySlice<UInt8>) {
        self.start = start
        self.end = end
        self.utf8 = utf8
    }

    enum CodingKeys: String, CodingKey {
        case start, end, text
    }

    /// Decodes `{"start", "end", "text"}`, as `encode(to:)` writes it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(start: try container.decode(Int.self, forKey: .start), end: try container.decode(Int.self, forKey: .end),
                  text: try container.decode(String.self, forKey: .text))
    }

    /// Encodes `{"start", "end", "text"}`, the text as a string (what `appendJSON` writes).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encode(text, forKey: .text)
    }

    /// Equal offsets and texts; the bytes are compared first, the `String`s only when they differ.
    public static func == (a: TextSpan, b: TextSpan) -> Bool {
        a.start == b.start && a.end == b.end && (a.utf8.elementsEqual(b.utf8) || a.text == b.text)
    }

    /// Hashes the offsets and the text as a `String`, as `==` compares them.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(start)
        hasher.combine(end)
        hasher.combine(text)
    }
}

/// An output whose main content is text spans (quotes, entities, phrases): what a stage reading it with
/// `over:` takes, one item per span, in this order. An output without it offers every span its JSON
/// holds (`TextSpan.all(in:)`), supporting ones (a quote's speaker and cue) included.
public protocol TextSpanProviding {
    /// The output's spans, in text order, each with the pieces of text it is made of.
    var textSpans: [PiecedSpan] { get }
}

/// A span offered to another stage, with the pieces that make it up: a quote interrupted by its
/// attribution (`“We will,” she warned, “win.”`) is one span whose pieces leave the attribution out,
/// so that a stage scoring the quote reads only the quoted words.
public struct PiecedSpan: Sendable, Hashable {
    /// The whole span, from the first piece to the last: what the reading stage reports.
    public let span: TextSpan
    /// Scalar ranges inside the span, in order; the whole span when it is not interrupted.
    public let pieces: [Range<Int>]

    /// A span made of `pieces` (scalar offsets), or of all of itself when `pieces` is nil.
    public init(_ span: TextSpan, pieces: [Range<Int>]? = nil) {
        self.span = span
        self.pieces = pieces ?? [span.start..<span.end]
    }
}

extension TextSpan {
    /// The spans `output` offers to a stage that reads it with `over:`: its `textSpans` when it
    /// provides them, else every span in its JSON, each whole.
    public static func offered(by output: any Encodable) throws -> [PiecedSpan] {
        if let provider = output as? any TextSpanProviding { return provider.textSpans }
        let json = try (output as? any JSONConvertible)?.jsonValue ?? JSONValueEncoder().encode(output)
        return all(in: json).map { PiecedSpan($0) }
    }

    /// Every `{"start", "end", "text"}` object in a stage's JSON output, in the order the JSON holds
    /// them: how a stage reads the spans another stage produced (`over:`), whatever their nesting. An
    /// object that is a span is not searched further.
    public static func all(in json: JSONValue) -> [TextSpan] {
        var found: [TextSpan] = []
        func visit(_ value: JSONValue) {
            switch value {
            case .object(let fields):
                if case .int(let start)? = value["start"], case .int(let end)? = value["end"], case .string(let text)? = value["text"] {
                    found.append(TextSpan(start: start, end: end, text: text))
                    return
                }
                for field in fields { visit(field.value) }
            case .array(let elements):
                for element in elements { visit(element) }
            default:
                break
            }
        }
        visit(json)
        return found
    }
}

extension TextSpan: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.rawValue { appendJSON(to: &$0) }
    }

    /// Appends the span's JSON text, as `writeJSON` writes it: for outputs that write the objects
    /// holding spans in one piece themselves (`JSONWriter.rawValue`).
    public func appendJSON(to out: inout JSONBuffer) {
        Self.appendOffsets(start: start, end: end, opening: true, to: &out)
        utf8.withUnsafeBufferPointer { JSONValue.writeString(utf8: $0, to: &out) }
        out.append(UInt8(ascii: "}"))
    }

    /// Appends the span's fields, `"start":…,"end":…,"text":…`, without the braces: for output types
    /// that are a span with more fields (a quote with its pieces).
    public func appendFields(to out: inout JSONBuffer) {
        Self.appendOffsets(start: start, end: end, opening: false, to: &out)
        utf8.withUnsafeBufferPointer { JSONValue.writeString(utf8: $0, to: &out) }
    }

    /// Appends a span's fields, `"start":…,"end":…,"text":…`, without the braces: for output types
    /// that are a span with more fields (a quote with its pieces).
    public static func appendFields(start: Int, end: Int, text: String, to out: inout JSONBuffer) {
        appendOffsets(start: start, end: end, opening: false, to: &out)
        JSONValue.writeString(text, to: &out)
    }

    /// A span's fields up to the text's value, after the object's opening brace when `opening`.
    private static func appendOffsets(start: Int, end: Int, opening: Bool, to out: inout JSONBuffer) {
        // The keys and offsets in room reserved once: an append each checked the buffer's room and
        // uniqueness, and a span is written for every quote, speaker, cue and sentiment driver.
        out.append(atMost: 25 + 2 * 20) { at in
            var n = opening ? JSONValue.writeLiteral(#"{"start":"#, at: at) : JSONValue.writeLiteral(#""start":"#, at: at)
            n &+= JSONValue.writeInt(start, at: at + n)
            n &+= JSONValue.writeLiteral(#","end":"#, at: at + n)
            n &+= JSONValue.writeInt(end, at: at + n)
            return n &+ JSONValue.writeLiteral(#","text":"#, at: at + n)
        }
    }
}
