import AnalyticsKit

/// How syllables are counted: CMUdict first, or the rules alone.
public enum SyllableMode: String, Sendable, CaseIterable {
    /// Words in the CMU Pronouncing Dictionary get its count; the others go by the rules.
    case dictionary
    /// `SyllableRules` alone.
    case rules
}

/// Counts syllables of words: CMUdict's count where it has the word (in `dictionary` mode), else the rules.
///
/// The dictionary (`CMUdictSyllables`, 117,493 words, shipped in the binary) is looked up by the
/// 64-bit FNV-1a hash of the word's letters, which is the text layer's `Token.hash` for a plain word,
/// so most words cost one table lookup. Only the letters a-z of a word are read (case folded); a word
/// without letters has 0 syllables.
public struct SyllableCounter: Sendable {
    /// The counting mode.
    public let mode: SyllableMode
    /// The dictionary (empty in `rules` mode), held here so that a lookup does not go through the
    /// global's lazy initialiser; not optional, because unwrapping would copy it on every lookup.
    private let dictionary: SyllableDictionary

    /// Creates a counter; the first one in `dictionary` mode loads the dictionary (about 20 ms).
    public init(mode: SyllableMode = .dictionary) {
        self.mode = mode
        dictionary = mode == .dictionary ? CMUdictSyllables.table : SyllableDictionary(capacity: 0)
    }

    /// The syllables of `word`.
    public func count(_ word: String) -> Int {
        var letters: [UInt8] = []
        for b in word.utf8 {
            if b &- 0x61 < 26 { letters.append(b) } else if b &- 0x41 < 26 { letters.append(b | 0x20) }
        }
        return count(letters: letters)
    }

    /// The syllables of a word given as lower-case ASCII letters.
    public func count(letters: [UInt8]) -> Int {
        guard !letters.isEmpty else { return 0 }
        return count(hash: TermHash.of(letters)) { letters }
    }

    /// CMUdict's count for a word known by the hash of its lower-case letters, in `dictionary` mode.
    public func dictionaryCount(_ hash: UInt64) -> Int? {
        dictionary[hash]
    }

    /// The syllables of a word known by the hash of its lower-case letters; `letters` is called only
    /// when the rules are needed.
    public func count(hash: UInt64, letters: () -> [UInt8]) -> Int {
        if let known = dictionary[hash] { return known }
        return SyllableRules.count(letters: letters())
    }
}

/// CMUdict's syllable counts, parsed once from `CMUdictSyllables.data`.
enum CMUdictSyllables {
    static let table: SyllableDictionary = {
        var table = SyllableDictionary(capacity: 120_000)
        for line in data.split(separator: "\n") {
            guard let tab = line.firstIndex(of: "\t"), let count = Int(line[line.index(after: tab)...]) else { continue }
            table.insert(TermHash.of(line[..<tab].utf8), syllables: count)
        }
        return table
    }()
}

/// Word hash → syllables in one 64-bit word per slot: the hash's top 60 bits and the count (0-15) in
/// the low 4. Half the size of a general table, so more of the dictionary stays in cache. Two words
/// are confused only if their hashes agree in 60 bits.
struct SyllableDictionary: Sendable {
    private var slots: [UInt64]
    private let shift: UInt64
    private(set) var count = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inline(__always) private static func tag(_ hash: UInt64) -> UInt64 {
        let high = hash & ~0xF
        return high == 0 ? 0x9E37_79B9_7F4A_7C10 : high
    }

    @inline(__always) private func home(_ tag: UInt64) -> Int { Int(truncatingIfNeeded: (tag &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    mutating func insert(_ hash: UInt64, syllables: Int) {
        let t = Self.tag(hash)
        let mask = slots.count - 1
        var i = home(t)
        while slots[i] != 0 && slots[i] & ~0xF != t { i = (i + 1) & mask }
        if slots[i] == 0 { count += 1 }
        slots[i] = t | UInt64(min(syllables, 15))
    }

    subscript(hash: UInt64) -> Int? {
        let t = Self.tag(hash)
        let mask = slots.count - 1
        var i = home(t)
        while true {
            let slot = slots[i]
            if slot == 0 { return nil }
            if slot & ~0xF == t { return Int(slot & 0xF) }
            i = (i + 1) & mask
        }
    }
}
