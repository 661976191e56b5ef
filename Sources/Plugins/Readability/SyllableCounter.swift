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

/// Word hash → syllables (0-15) in a `PackedHashTable` with a 4-bit payload: one 64-bit word per
/// word, so more of the dictionary stays in cache. Two words are confused only if their hashes agree
/// in 60 bits.
struct SyllableDictionary: Sendable {
    private var table: PackedHashTable<PayloadBits4>

    init(capacity: Int) { table = PackedHashTable(capacity: capacity) }

    var count: Int { table.count }

    mutating func insert(_ hash: UInt64, syllables: Int) { table.set(hash, payload: UInt64(min(syllables, 15))) }

    subscript(hash: UInt64) -> Int? { table[hash].map { Int($0) } }
}
