import AnalyticsKit
import Foundation

/// A familiar-word list (Dale–Chall, Spache) read from a file, with the inflections the lists allow.
///
/// The lists are not shipped: their publishers' terms do not let us state a license for them, so the
/// user names a file (one word per line, `#` starts a comment). A word is familiar when it, or its base
/// form, is on the list: plurals and -s forms, -ed, -ing, -er, -est, -ly, -ies/-ied to -y, doubled
/// consonants (stopped, running) and dropped e (making, used). A hyphenated word is familiar when
/// every part is. Only the letters a-z are compared.
public struct FamiliarWords: Sendable {
    private let words: HashedTable<Bool>
    /// Entries in the list.
    public let count: Int

    /// Reads a list from `path`.
    public init(path: String, option: String) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw OptionError(option: option, "cannot read word list '\(path)'")
        }
        self.init(words: text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }

    /// A list of the given words.
    public init(words list: [String]) {
        var table = HashedTable<Bool>(capacity: list.count, empty: false)
        for word in list {
            let letters = SpokenForms.lowercaseLetters(word.utf8)
            if !letters.isEmpty { table.update(TermHash.of(letters), initial: { true }) { _ in } }
        }
        words = table
        count = table.count
    }

    /// True when a word (lower-case letters) or its base form is on the list.
    public func contains(letters w: [UInt8]) -> Bool {
        if words.contains(TermHash.of(w)) { return true }
        for base in EnglishInflection.baseForms(w) where words.contains(TermHash.of(base)) { return true }
        return false
    }
}
