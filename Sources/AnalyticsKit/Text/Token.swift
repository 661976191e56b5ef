/// What a token is, as far as every stage needs to know.
public enum TokenKind: UInt8, Sendable, Codable, CaseIterable {
    /// Letters, possibly with inner apostrophes, hyphens or the periods of an abbreviation ("don't", "re-education", "U.S.").
    case word
    /// Starts with a digit: "2,000", "2.5", "18mn", "1980s", "10:30".
    case number
    /// Sentence and clause punctuation, dashes and ellipses.
    case punctuation
    /// Currency, percent, math and other symbols.
    case symbol
    /// A quotation mark, straight or curly, single or double, or a guillemet.
    case quote
    /// One emoji, including its variation selector, skin tone and ZWJ sequence.
    case emoji
}

/// One token of a document: a byte range into the document's UTF-8 text, its kind, and its folded form.
///
/// Offsets are UTF-8 byte offsets into `TextLayer.bytes`; use `TextLayer.span(bytes:)` to turn them into
/// the scalar offsets that appear in output. Tokens never contain whitespace.
public struct Token: Sendable, Hashable {
    /// Facts about a token that stages ask for often enough to compute once.
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Whitespace (or the start of the text) comes right before the token.
        @inlinable public static var spaceBefore: Flags { Flags(rawValue: 1 << 0) }
        /// A line break comes before the token.
        @inlinable public static var newlineBefore: Flags { Flags(rawValue: 1 << 1) }
        /// A blank line (or the start of the text) comes before the token: it opens a paragraph.
        @inlinable public static var paragraphStart: Flags { Flags(rawValue: 1 << 2) }
        /// The first letter is upper case.
        @inlinable public static var capitalized: Flags { Flags(rawValue: 1 << 3) }
        /// At least two letters and none of them lower case ("NASA", "GREAT").
        @inlinable public static var allCaps: Flags { Flags(rawValue: 1 << 4) }
        /// The token contains bytes outside ASCII.
        @inlinable public static var nonASCII: Flags { Flags(rawValue: 1 << 5) }
        /// A word whose trailing period belongs to it ("Mr.", "U.S.", "Jan.").
        @inlinable public static var abbreviation: Flags { Flags(rawValue: 1 << 6) }
        /// A word made of ASCII letters only (no digits, apostrophes, hyphens or periods): its folded
        /// bytes are its lower-cased letters.
        @inlinable public static var lettersOnly: Flags { Flags(rawValue: 1 << 7) }
    }

    @usableFromInline let startOffset: UInt32
    @usableFromInline let endOffset: UInt32
    @usableFromInline let foldStart: UInt32
    @usableFromInline let foldEnd: UInt32
    /// FNV-1a hash of the folded bytes (see `TermHash`): the key for lexicon and frequency lookups.
    public let hash: UInt64
    /// The token's kind.
    public let kind: TokenKind
    /// Facts about the token's surroundings and case.
    public let flags: Flags

    /// The token's UTF-8 byte range in `TextLayer.bytes`.
    @inlinable public var byteRange: Range<Int> { Int(startOffset)..<Int(endOffset) }
    /// The byte range of the folded form in `TextLayer.folded`.
    @inlinable public var foldedRange: Range<Int> { Int(foldStart)..<Int(foldEnd) }
    /// Number of UTF-8 bytes in the token.
    @inlinable public var byteCount: Int { Int(endOffset - startOffset) }

    /// True for words and numbers, the tokens that count as words in most statistics.
    @inlinable public var isWordLike: Bool { kind == .word || kind == .number }
}

/// A run of tokens: a sentence or a paragraph, as indices into `TextLayer.tokens`.
public struct TokenRange: Sendable, Hashable, Codable {
    /// Index of the first token.
    public let lowerBound: Int
    /// Index one past the last token.
    public let upperBound: Int
    /// Creates a range of token indices; `lowerBound <= upperBound`.
    public init(_ lowerBound: Int, _ upperBound: Int) {
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }
    /// The indices, for iteration.
    public var indices: Range<Int> { lowerBound..<upperBound }
    /// Number of tokens.
    public var count: Int { upperBound - lowerBound }
}

/// The 64-bit FNV-1a hash that the text layer stores for every token's folded bytes.
///
/// Stages that load word lists hash each entry with the same function so that a token is looked up
/// by its precomputed `Token.hash`, without building a `String` per token.
public enum TermHash {
    /// The offset basis of 64-bit FNV-1a.
    public static let basis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The prime of 64-bit FNV-1a.
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// Hashes a sequence of bytes.
    @inlinable public static func of<C: Sequence>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h = basis
        for b in bytes { h = (h ^ UInt64(b)) &* prime }
        return h
    }

    /// Hashes a string's folded form (ASCII lower case, curly apostrophe as straight), as the layer folds words.
    public static func ofTerm(_ term: String) -> UInt64 {
        if term.utf8.allSatisfy({ $0 < 0x80 }) {
            var h = basis
            for b in term.utf8 { h = (h ^ UInt64(b &- 0x41 < 26 ? b | 0x20 : b)) &* prime }
            return h
        }
        return of(CaseFolding.fold(term).utf8)
    }

    /// Combines the hashes of consecutive terms into the key of the n-gram they form.
    @inlinable public static func combine(_ seed: UInt64, _ next: UInt64) -> UInt64 {
        var h = seed ^ 0x9e37_79b9_7f4a_7c15
        h = (h ^ (next &+ 0x632b_e59b_d9b4_e019)) &* prime
        h ^= h >> 29
        return h &* 0xbf58_476d_1ce4_e5b9
    }
}
