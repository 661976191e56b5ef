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
    /// `TermHash` of the folded bytes: the key for lexicon and frequency lookups.
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

/// The 64-bit hash that the text layer stores for every token's folded bytes.
///
/// Stages that load word lists hash each entry with the same function so that a token is looked up
/// by its precomputed `Token.hash`, without building a `String` per token. The bytes are taken eight
/// at a time (little-endian, the last group padded with zeros), each group mixed into the state with
/// one multiply, and the length and a final avalanche added at the end: most words fit one group,
/// so hashing a word costs the same few steps whatever its length. (The text layer used FNV-1a, one
/// multiply per byte, until the per-byte loop became a fifth of its time.) Hash a term incrementally
/// with `TermHasher`, which gives the same value.
public enum TermHash {
    /// The state before any byte, and the seed of `combine` for n-grams.
    public static let basis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// An odd 64-bit multiplier used by `combine`.
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// Hashes a sequence of bytes.
    @inlinable public static func of<C: Sequence>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        if let hash = bytes.withContiguousStorageIfAvailable({ of(contiguous: $0) }) { return hash }
        var hasher = TermHasher()
        for b in bytes { hasher.add(b) }
        return hasher.value
    }

    /// `of` for bytes in memory, eight at a time: the same value as `TermHasher` gives, for about a
    /// tenth of the instructions (start-up hashes every word of its word lists).
    @inlinable static func of(contiguous bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = bytes.baseAddress else { return TermHasher().value }
        var state = basis
        var k = 0
        while k + 8 <= bytes.count {
            state = mix(state, UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self)))
            k += 8
        }
        let tail = bytes.count - k
        if tail > 0 {
            // The last group in at most three loads (four bytes, two, one), not a loop over its bytes.
            var group: UInt64 = 0
            var shift: UInt64 = 0
            if tail & 4 != 0 {
                group = UInt64(UInt32(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt32.self)))
                shift = 32
                k += 4
            }
            if tail & 2 != 0 {
                group |= UInt64(UInt16(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt16.self))) << shift
                shift += 16
                k += 2
            }
            if tail & 1 != 0 { group |= UInt64(base[k]) << shift }
            state = mix(state, group)
        }
        return finish(state, length: bytes.count)
    }

    /// Mixes eight bytes (a little-endian group, zero-padded when it is the last and short) into the state.
    @inlinable @inline(__always) public static func mix(_ state: UInt64, _ group: UInt64) -> UInt64 {
        let x = (state ^ group) &* 0x9E37_79B9_7F4A_7C15
        return x ^ (x >> 32)
    }

    /// The hash of a state after `length` bytes: the length mixed in, then every bit spread over all
    /// the others (the MurmurHash3 finaliser's constants), since tables index by the top bits.
    @inlinable @inline(__always) public static func finish(_ state: UInt64, length: Int) -> UInt64 {
        var x = state ^ UInt64(truncatingIfNeeded: length)
        x ^= x >> 33
        x &*= 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x &*= 0xc4ce_b9fe_1a85_ec53
        return x ^ (x >> 33)
    }

    /// Hashes a string's folded form (ASCII lower case, curly apostrophe as straight), as the layer folds words.
    public static func ofTerm(_ term: String) -> UInt64 {
        if term.utf8.allSatisfy({ $0 < 0x80 }) { return ofASCIITerm(term.utf8) }
        return of(CaseFolding.fold(term).utf8)
    }

    /// `ofTerm` for a term given as UTF-8 bytes (a word list's field): hashed from the bytes when they
    /// are ASCII, through a `String` only otherwise.
    @inlinable public static func ofTerm<Bytes: Collection<UInt8>>(utf8 bytes: Bytes) -> UInt64 {
        if bytes.allSatisfy({ $0 < 0x80 }) { return ofASCIITerm(bytes) }
        return ofTerm(String(decoding: bytes, as: UTF8.self))
    }

    /// `ofTerm` for a term's bytes when they are all ASCII (the caller checks), without making a `String`.
    /// Inlinable, so that it is specialised for the caller's collection (unspecialised, it cost
    /// thousands of instructions per word).
    @inlinable public static func ofASCIITerm<C: Sequence>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var hasher = TermHasher()
        for b in bytes { hasher.add(b &- 0x41 < 26 ? b | 0x20 : b) }
        return hasher.value
    }

    /// Combines the hashes of consecutive terms into the key of the n-gram they form.
    @inlinable public static func combine(_ seed: UInt64, _ next: UInt64) -> UInt64 {
        var h = seed ^ 0x9e37_79b9_7f4a_7c15
        h = (h ^ (next &+ 0x632b_e59b_d9b4_e019)) &* prime
        h ^= h >> 29
        return h &* 0xbf58_476d_1ce4_e5b9
    }
}

/// Computes `TermHash.of` a byte at a time, for code that meets a term's bytes one by one (skipping
/// some, say) and should not collect them first.
public struct TermHasher: Sendable {
    @usableFromInline var state = TermHash.basis
    @usableFromInline var group: UInt64 = 0
    @usableFromInline var count = 0

    /// A hasher that has seen no bytes.
    @inlinable public init() {}

    /// Adds the next byte.
    @inlinable @inline(__always) public mutating func add(_ byte: UInt8) {
        group |= UInt64(byte) << UInt64(8 * (count & 7))
        count += 1
        if count & 7 == 0 {
            state = TermHash.mix(state, group)
            group = 0
        }
    }

    /// The hash of the bytes added so far: `TermHash.of` those bytes.
    @inlinable public var value: UInt64 {
        TermHash.finish(count & 7 == 0 ? state : TermHash.mix(state, group), length: count)
    }
}
