import AnalyticsKit
import Foundation

/// Valences (-4 to +4) of words, emoticons and emoji, looked up by the hash of their folded form.
///
/// The built-in lexicon is VADER's (Hutto & Gilbert 2014, MIT license: `LICENSE-vaderSentiment.txt`
/// beside the source): 7,520 words and emoticons, and 3,570 emoji whose valence is the sum of the
/// valences of the words of their description ("face with tears of joy" → joy). Emoji are keyed
/// without variation selectors and skin tones, so ❤️ (U+2764 U+FE0F) and ❤ are the same entry.
/// Inflected forms of the lexicon's words (loves, loved, loving, lovely, happiness) are added with the
/// valence of their base word where the lexicon does not rate them itself, so a lookup never needs
/// to strip suffixes.
public struct SentimentLexicon: Sendable {
    private var words: ValenceTable
    private var emoji: HashedTable<Float>
    /// The UTF-8 length of the longest word or emoticon rated: no longer text can match one, which
    /// bounds the search for emoticons in a run of symbols.
    public private(set) var longestEntryBytes = 0

    /// VADER's lexicon, parsed once.
    public static let builtIn: SentimentLexicon = {
        var lexicon = SentimentLexicon(words: ValenceTable(capacity: 40_000), emoji: HashedTable(capacity: 4_000, empty: 0))
        lexicon.add(tsv: VADERLexicon.words)
        lexicon.addInflections(of: VADERLexicon.words)
        // An emoji's valence is the sum of its description's words' (`face with tears of joy`). Read as
        // bytes: splitting the list into `Character`s took a sixth of the start-up of `analyze run`.
        TabSeparatedLines.forEach(in: VADERLexicon.emoji) { fields in
            guard fields.count == 2 else { return }
            var valence: Float = 0
            for word in fields[1].split(separator: 0x20) {
                let hash = word.allSatisfy({ $0 < 0x80 }) ? TermHash.ofASCIITerm(word)
                    : TermHash.ofTerm(String(decoding: word, as: UTF8.self).lowercased())
                valence += lexicon.words[hash] ?? 0
            }
            if valence != 0 { lexicon.emoji.update(emojiKey(Substring(String(decoding: fields[0], as: UTF8.self))), initial: { valence }) { _ in } }
        }
        return lexicon
    }()

    private init(words: ValenceTable, emoji: HashedTable<Float>) {
        self.words = words
        self.emoji = emoji
    }

    /// The built-in lexicon with a user lexicon (token<TAB>valence, further columns ignored, `#`
    /// comments) merged over it, or replacing its words when `replace` is true (emoji stay).
    public init(userFile path: String, replace: Bool) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw OptionError(option: "lexicon", "cannot read lexicon '\(path)'; give a TSV file of token<TAB>valence lines")
        }
        var lexicon = Self.builtIn
        if replace { lexicon.words = ValenceTable(capacity: 1_024) }
        // A valence that is no number from -4 to 4 is a typo (a shifted column, "nan"), and one read
        // as given would outweigh every other word of a text: refused, naming the word.
        let (added, invalid) = lexicon.add(tsv: text)
        if let (token, valence) = invalid {
            throw OptionError(option: "lexicon", "'\(path)': the valence of '\(token)' is '\(valence)'; give a number from -4 to 4")
        }
        guard added > 0 else { throw OptionError(option: "lexicon", "'\(path)' holds no token<TAB>valence lines") }
        self = lexicon
    }

    /// Adds token<TAB>valence lines, replacing existing entries; returns how many were read, and the
    /// first line whose valence is not a number from -4 to 4 (its token and valence as written),
    /// which is left out.
    @discardableResult
    private mutating func add(tsv: String) -> (added: Int, invalid: (token: String, valence: String)?) {
        var added = 0
        var invalid: (String, String)?
        TabSeparatedLines.forEach(in: tsv) { fields in
            guard fields.count >= 2, let first = fields[0].first, first != UInt8(ascii: "#") else { return }
            let written = TabSeparatedLines.text(fields[1])
            guard let valence = Float(written), valence.isFinite, abs(valence) <= 4 else {
                if invalid == nil { invalid = (String(decoding: fields[0], as: UTF8.self), written) }
                return
            }
            // From the bytes: a `String` per entry was a seventh of reading the lexicon.
            words.set(TermHash.ofTerm(utf8: fields[0]), valence)
            longestEntryBytes = max(longestEntryBytes, fields[0].count)
            added += 1
        }
        return (added, invalid)
    }

    /// Adds the regular inflections of each alphabetic word in `tsv` that the lexicon does not rate.
    private mutating func addInflections(of tsv: String) {
        TabSeparatedLines.forEach(in: tsv) { fields in
            guard fields.count == 2, let valence = Float(String(decoding: fields[1], as: UTF8.self)) else { return }
            let word = fields[0]
            guard word.count >= 3, word.allSatisfy({ $0 &- 0x61 < 26 }) else { return }
            EnglishInflection.forEachInflectedForm(of: word) { form in
                let hash = TermHash.of(form)
                guard words[hash] == nil else { return }  // an existing rating wins
                words.set(hash, valence)
                longestEntryBytes = max(longestEntryBytes, form.count)
            }
        }
    }

    /// The valence of a folded word or emoticon.
    public func valence(_ hash: UInt64) -> Float? { words[hash] }

    /// The valence of an emoji token's text.
    public func emojiValence(_ text: Substring) -> Float? { emoji[Self.emojiKey(text)] }

    /// An emoji's key: its scalars without variation selectors and skin-tone modifiers.
    static func emojiKey(_ text: Substring) -> UInt64 {
        var hasher = TermHasher()
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v == 0xFE0F || v == 0xFE0E || (0x1F3FB...0x1F3FF).contains(v) { continue }
            for b in String(scalar).utf8 { hasher.add(b) }
        }
        return hasher.value
    }
}

/// Word hash → valence in hundredths (within ±327) in a `PackedHashTable` with a 16-bit payload, so
/// the table is half the size of a general one and stays in cache better. Two words are confused only
/// if their hashes agree in 48 bits.
struct ValenceTable: Sendable {
    private var table: PackedHashTable<PayloadBits16>
    /// Two bits per word in 2^20 (128 KB): most words of a text are not in the lexicon, and this
    /// answers for them from memory that stays in cache, where the table (a megabyte, with the inflected
    /// forms) missed it. With its tens of thousands of words the lexicon filled a 32 KB filter enough
    /// to let several in a hundred other words through; at 128 KB the stage alone went 119 → 136 MB/s.
    private var filter = HashFilter<FilterBits20>()

    init(capacity: Int) { table = PackedHashTable(capacity: capacity) }

    /// Sets a valence (rounded to hundredths, within ±327).
    mutating func set(_ hash: UInt64, _ valence: Float) {
        let hundredths = Int16(max(-32_000, min(32_000, (valence * 100).rounded())))
        table.set(hash, payload: UInt64(UInt16(bitPattern: hundredths)))
        filter.insert(hash)
    }

    subscript(hash: UInt64) -> Float? {
        guard filter.mayContain(hash) else { return nil }
        return table[hash].map { Float(Int16(bitPattern: UInt16(truncatingIfNeeded: $0))) / 100 }
    }
}

/// VADER's lexicons as shipped text (generated into VADERLexicon.swift by scripts/make-sentiment-lexicon.sh).
enum VADERLexicon {}
