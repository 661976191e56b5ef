import AnalyticsKit
import Foundation

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
/// 64-bit `TermHash` of the word's letters, which is the text layer's `Token.hash` for a plain word,
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

    /// The syllables of `word`, counted as the readability stage counts a word: case and accents folded,
    /// the sum of its hyphen-separated parts, a clitic's syllable added (`couldn't` = could + 1, see
    /// `EnglishClitic`); characters other than letters, hyphens and apostrophes are skipped.
    public func count(_ word: String) -> Int {
        let folded = word.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .replacingOccurrences(of: "\u{2019}", with: "'")
        var ruleCounts = HashedTable<UInt8>(capacity: 4, empty: 0)
        return Array(folded.utf8).withUnsafeBufferPointer { count(foldedWord: $0, ruleCounts: &ruleCounts) }
    }

    /// The syllables of a word given as folded bytes (lower case, `'` for its apostrophes), of which only
    /// the letters a-z, hyphens and apostrophes are read: the sum of its hyphen-separated parts, each
    /// with its clitic's syllable (`EnglishClitic`). Rule counts of parts CMUdict lacks are kept in
    /// `ruleCounts` by the hash of their letters, since names repeat.
    func count(foldedWord word: UnsafeBufferPointer<UInt8>, ruleCounts: inout HashedTable<UInt8>) -> Int {
        var total = 0
        var partStart = 0
        for k in 0...word.count where k == word.count || word[k] == 0x2D {
            let part = UnsafeBufferPointer(rebasing: word[partStart..<k])
            partStart = k + 1
            if let clitic = EnglishClitic(part: part) {
                total += count(lettersOf: UnsafeBufferPointer(rebasing: part[..<clitic.stemEnd]), ruleCounts: &ruleCounts)
                    + clitic.syllables
            } else {
                total += count(lettersOf: part, ruleCounts: &ruleCounts)
            }
        }
        return total
    }

    /// The syllables of the letters a-z in `part`, looked up by their hash without copying them.
    private func count(lettersOf part: UnsafeBufferPointer<UInt8>, ruleCounts: inout HashedTable<UInt8>) -> Int {
        var hasher = TermHasher()
        var hasLetters = false
        for b in part where b &- 0x61 < 26 {
            hasher.add(b)
            hasLetters = true
        }
        guard hasLetters else { return 0 }
        return count(hash: hasher.value, letters: part, ruleCounts: &ruleCounts)
    }

    /// The syllables of a word known by the hash of its letters a-z (`letters` is folded and may hold
    /// other bytes, which are skipped): the dictionary's count, else the rules', kept in `ruleCounts` the first time.
    func count(hash: UInt64, letters: UnsafeBufferPointer<UInt8>, ruleCounts: inout HashedTable<UInt8>) -> Int {
        if let known = dictionary[hash] { return known }
        var count = 0
        // `letters` is folded (no capitals), so this keeps exactly its bytes a-z, in an array made at
        // their size: `filter` grew one from empty, two or three reallocations a document.
        ruleCounts.update(hash, initial: { UInt8(min(255, SyllableRules.count(letters: SpokenForms.lowercaseLetters(letters)))) }) {
            count = Int($0)
        }
        return count
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

    /// CMUdict's count for a word, and whether an -es, -ed or -ing ending makes its third syllable
    /// (Gunning's exception to complex words), worked out once when the dictionary loads.
    func dictionaryEntry(_ hash: UInt64) -> SyllableDictionary.Entry? {
        dictionary.entry(hash)
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
        var text = data
        text.withUTF8 { text in
            // The words of three syllables or more, kept for a second pass: the stems' counts need the
            // whole table, so their flags go in afterwards.
            var long: [(letters: UnsafeBufferPointer<UInt8>, syllables: Int)] = []
            long.reserveCapacity(60_000)
            TabSeparatedLines.forEach(in: text) { fields in
                guard fields.count == 2, !fields[0].isEmpty, let count = TabSeparatedLines.count(fields[1]) else { return }
                table.insert(TermHash.of(fields[0]), syllables: count, inflectionMakesThird: false)
                if count >= 3 { long.append((fields[0], count)) }
            }
            for (letters, count) in long {
                guard let stem = InflectionEnding.stem(of: letters).map(UnsafeBufferPointer.init(rebasing:)) else { continue }
                let stemCount = table[TermHash.of(stem)] ?? SyllableRules.count(letters: Array(stem))
                if stemCount < 3 { table.insert(TermHash.of(letters), syllables: count, inflectionMakesThird: true) }
            }
        }
        return table
    }()
}

/// Word hash → syllables (0-255) and the Gunning flag in a `PackedHashTable` with a 16-bit payload:
/// one 64-bit word per word, so more of the dictionary stays in cache. Two words are confused only if
/// their hashes agree in 48 bits.
struct SyllableDictionary: Sendable {
    /// What the dictionary knows of a word.
    struct Entry {
        let syllables: Int
        /// An -es, -ed or -ing ending makes the word's third syllable: the stem has fewer than three.
        let inflectionMakesThird: Bool
    }

    private var table: PackedHashTable<PayloadBits16>

    init(capacity: Int) { table = PackedHashTable(capacity: capacity) }

    var count: Int { table.count }

    mutating func insert(_ hash: UInt64, syllables: Int, inflectionMakesThird: Bool) {
        table.set(hash, payload: UInt64(min(syllables, 255)) | (inflectionMakesThird ? 0x100 : 0))
    }

    subscript(hash: UInt64) -> Int? { table[hash].map { Int($0 & 0xFF) } }

    func entry(_ hash: UInt64) -> Entry? {
        table[hash].map { Entry(syllables: Int($0 & 0xFF), inflectionMakesThird: $0 & 0x100 != 0) }
    }
}

/// The endings of Gunning's exception: -es, -ed and -ing on a word long enough to have a stem of
/// three letters or more.
enum InflectionEnding {
    /// The word without its ending, or nil when it has none of them.
    static func stem<C: RandomAccessCollection>(of word: C) -> C.SubSequence? where C.Element == UInt8, C.Index == Int {
        let n = word.count
        guard n > 4 else { return nil }
        let last = word.index(word.startIndex, offsetBy: n - 1)
        if word[last - 1] == 0x65 && (word[last] == 0x73 || word[last] == 0x64) {  // -es, -ed
            return word[word.startIndex..<(last - 1)]
        }
        if n > 5 && word[last - 2] == 0x69 && word[last - 1] == 0x6E && word[last] == 0x67 {  // -ing
            return word[word.startIndex..<(last - 2)]
        }
        return nil
    }
}
