import AnalyticsKit

/// How syllables are counted: the CMUdict exception table first, or the rules alone.
public enum SyllableMode: String, Sendable, CaseIterable {
    /// Words whose CMUdict count differs from the rules are looked up; the rest go by the rules.
    case dictionary
    /// `SyllableRules` alone.
    case rules
}

/// Counts syllables of words: by rule, with the CMUdict exceptions in `dictionary` mode.
///
/// The exception table (`CMUdictExceptions`) holds exactly the CMUdict words whose count the rules
/// get wrong, so in `dictionary` mode every CMUdict word gets its CMUdict count and every other
/// word its rule count. Only the letters a-z of a word are read (case folded); a word without
/// letters has 0 syllables.
public struct SyllableCounter: Sendable {
    /// The counting mode.
    public let mode: SyllableMode

    /// Creates a counter.
    public init(mode: SyllableMode = .dictionary) {
        self.mode = mode
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
        if mode == .dictionary, let known = CMUdictExceptions.table[TermHash.of(letters)] {
            return Int(known)
        }
        return SyllableRules.count(letters: letters)
    }
}

/// The CMUdict words whose syllable count the rules get wrong, parsed once from `CMUdictExceptions.data`.
enum CMUdictExceptions {
    static let table: HashedTable<UInt8> = {
        var table = HashedTable<UInt8>(capacity: 8_192, empty: 0)
        for line in data.split(separator: "\n") {
            guard let tab = line.firstIndex(of: "\t"), let count = UInt8(line[line.index(after: tab)...]) else { continue }
            table.update(TermHash.of(line[..<tab].utf8), initial: { count }) { _ in }
        }
        return table
    }()
}
