import AnalyticsKit
import Foundation

extension ReadabilityCounts {
    /// Counts a document's text layer.
    ///
    /// Words are word and number tokens. A hyphenated word is one word whose syllables are those of its
    /// parts. Numbers and abbreviations are counted as spoken (see `SpokenForms`). Letters are alphabetic
    /// characters of words; characters are letters and digits. Proper nouns (capitalised words that do
    /// not start a sentence) are never complex, difficult or unfamiliar.
    ///
    /// A static function, not an initialiser: an initialiser takes its arguments owned, and the stage
    /// copied the layer and the counter to call it, a retain and a release for each of their arrays
    /// per document.
    static func counting(_ layer: TextLayer, counter: SyllableCounter, daleChall: FamiliarWords?, spache: FamiliarWords?) -> ReadabilityCounts {
        var counts = ReadabilityCounts()
        counts.count(layer, counter: counter, daleChall: daleChall, spache: spache)
        return counts
    }

    private mutating func count(_ layer: TextLayer, counter: SyllableCounter, daleChall: FamiliarWords?, spache: FamiliarWords?) {
        var tally = Tally()
        RuleCountMemo.scratch.withValue { memo in
            memo.withTable(for: counter.mode) { ruleCounts in
                layer.bytes.withUnsafeBufferPointer { bytes in
                    layer.folded.withUnsafeBufferPointer { folded in
                        layer.tokens.withUnsafeBufferPointer { tokens in
                            tally.count(layer.sentences, tokens: tokens, bytes: bytes, folded: folded, counter: counter,
                                        daleChall: daleChall, spache: spache, ruleCounts: &ruleCounts)
                        }
                    }
                }
            }
        }
        (sentences, words, syllables, letters, characters) = (tally.sentences, tally.words, tally.syllables, tally.letters, tally.characters)
        (polysyllabicWords, complexWords, longWords) = (tally.polysyllabicWords, tally.complexWords, tally.longWords)
        (linsearWords, linsearHardWords, linsearSentences) = (tally.linsearWords, tally.linsearHardWords, tally.linsearSentences)
        if daleChall != nil { difficultWords = tally.difficultWords }
        if spache != nil { unfamiliarWords = tally.unfamiliar.count }
    }
}

/// Syllable counts that depend only on their key, kept by each thread from document to document: the
/// rule counts of words CMUdict lacks (mostly names), and the spoken syllables of numbers and
/// abbreviations, by the hash of their letters or of the token's folded bytes. The names and numbers
/// of news repeat from article to article, and a table made for each document counted them again in
/// each (the rules cost about 860 instructions a word).
///
/// Every value is a function of its key alone, so which thread, and so which table, counts a document
/// never changes its counts. Numbers and abbreviations are counted with the counter's mode, so each
/// mode has its own table.
private struct RuleCountMemo {
    private var dictionaryMode = Self.emptyTable()
    private var rulesMode = Self.emptyTable()

    /// A table is emptied before a document once it holds more counts than this: on a corpus of
    /// endless new names, what a thread keeps between documents stays within 2^17 slots of 16 bytes
    /// (2 MB) a table.
    private static let mostCounts = 1 << 15

    static let scratch = ThreadScratch { RuleCountMemo() }

    private static func emptyTable() -> HashedTable<UInt8> { HashedTable(capacity: 256, empty: 0) }

    /// Calls `body` with the table for counts made in `mode`.
    mutating func withTable<Result>(for mode: SyllableMode, _ body: (inout HashedTable<UInt8>) -> Result) -> Result {
        switch mode {
        case .dictionary:
            if dictionaryMode.count > Self.mostCounts { dictionaryMode = Self.emptyTable() }
            return body(&dictionaryMode)
        case .rules:
            if rulesMode.count > Self.mostCounts { rulesMode = Self.emptyTable() }
            return body(&rulesMode)
        }
    }
}

/// The running counts of one document, as plain stored integers that the counting loop keeps in
/// registers (counting straight into `ReadabilityCounts`' optional fields kept them in memory).
private struct Tally {
    var sentences = 0, words = 0, syllables = 0, letters = 0, characters = 0
    var polysyllabicWords = 0, complexWords = 0, longWords = 0, difficultWords = 0
    var linsearWords = 0, linsearHardWords = 0, linsearSentences = 0
    var unfamiliar = Set<UInt64>()

    mutating func count(_ sentenceRanges: [TokenRange], tokens: UnsafeBufferPointer<Token>, bytes: UnsafeBufferPointer<UInt8>,
                        folded: UnsafeBufferPointer<UInt8>, counter: SyllableCounter, daleChall: FamiliarWords?, spache: FamiliarWords?,
                        ruleCounts: inout HashedTable<UInt8>) {
        let checkLists = daleChall != nil || spache != nil
        for sentence in sentenceRanges {
            var wordsInSentence = 0
            for k in sentence.indices {
                let token = tokens[k]
                guard token.kind == .word || token.kind == .number else { continue }
                let word: WordCount
                if token.flags.contains(.lettersOnly) && !token.flags.contains(.abbreviation), let entry = counter.dictionaryEntry(token.hash) {
                    word = WordCount(plain: UnsafeBufferPointer(rebasing: folded[token.foldedRange]), entry: entry)
                } else {
                    word = WordCount(token, bytes: bytes, folded: folded, counter: counter, ruleCounts: &ruleCounts)
                }
                // Wrapping sums, which cannot overflow: each adds a word's few counts, and a document
                // has fewer than 2^31 words. The checked sums cost a branch each, six a word.
                wordsInSentence &+= 1
                words &+= 1
                syllables &+= word.syllables
                letters &+= word.letters
                characters &+= word.letters &+ word.digits
                // Added as 0 or 1, not under an `if`: whether a word is long or has three syllables is
                // a coin toss, and the branches on them were mispredicted about 55 times a document
                // (29 fewer in all by callgrind's model: the complex-word test below still branches).
                let polysyllabic = word.syllables >= 3 ? 1 : 0
                polysyllabicWords &+= polysyllabic
                longWords &+= word.letters > 6 ? 1 : 0
                if linsearWords < 100 {
                    linsearWords &+= 1
                    linsearHardWords &+= polysyllabic
                    linsearSentences &+= wordsInSentence == 1 ? 1 : 0
                }
                guard token.kind == .word, !token.flags.contains(.abbreviation) else { continue }
                let properNoun = wordsInSentence > 1 && token.flags.contains(.capitalized)
                if word.syllables >= 3 && !properNoun && !word.hyphenated
                    && !word.inflectionMakesThird(counter, ruleCounts: &ruleCounts) {
                    complexWords &+= 1
                }
                guard !properNoun, checkLists else { continue }
                let parts = word.parts
                if let daleChall, !parts.allSatisfy(daleChall.contains(letters:)) { difficultWords &+= 1 }
                if let spache, !parts.allSatisfy(spache.contains(letters:)) { unfamiliar.insert(TermHash.of(parts.joined())) }
            }
            if wordsInSentence > 0 { sentences &+= 1 }
        }
    }
}

/// What one word token contributes. Plain words (letters only, the common case) are counted from the
/// token's folded bytes and hash without building anything; other words are split into their parts.
private struct WordCount {
    var syllables = 0
    var letters = 0
    var digits = 0
    var hyphenated = false
    /// The folded letters of a plain word, or nil when the parts must be split from `raw`.
    private var plain: UnsafeBufferPointer<UInt8>?
    /// The token's bytes; only pointers are kept, so copying a `WordCount` costs no reference counting.
    private var raw = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var nonASCII = false
    /// Gunning's inflection flag from the dictionary, when the word is in it.
    private var knownInflection: Bool?

    /// A plain word (letters only) that CMUdict has: the common case, built without any lookup of its own.
    init(plain word: UnsafeBufferPointer<UInt8>, entry: SyllableDictionary.Entry) {
        syllables = entry.syllables
        letters = word.count
        plain = word
        knownInflection = entry.inflectionMakesThird
    }

    init(_ token: Token, bytes: UnsafeBufferPointer<UInt8>, folded: UnsafeBufferPointer<UInt8>, counter: borrowing SyllableCounter,
         ruleCounts: inout HashedTable<UInt8>) {
        if token.flags.contains(.lettersOnly) && !token.flags.contains(.abbreviation) {
            // The common case: letters only, so the folded bytes are the word and its hash is the key.
            let word = UnsafeBufferPointer(rebasing: folded[token.foldedRange])
            letters = token.byteCount
            plain = word
            syllables = counter.count(hash: token.hash, letters: word, ruleCounts: &ruleCounts)
            return
        }
        let range = token.byteRange
        let tokenBytes = UnsafeBufferPointer(rebasing: bytes[range])
        let foldedBytes = UnsafeBufferPointer(rebasing: folded[token.foldedRange])
        // Folding makes most non-ASCII words ASCII ("Mayor’s" is "mayor's"); those are counted from the
        // folded bytes, which hold the same letters a-z, without decoding scalars.
        let asciiFolded = !token.flags.contains(.nonASCII) || !foldedBytes.contains { $0 >= 0x80 }
        if asciiFolded {
            for b in foldedBytes {
                if b &- 0x61 < 26 || b &- 0x41 < 26 { letters += 1 } else if b &- 0x30 < 10 { digits += 1 }
            }
        } else {
            for scalar in String(decoding: tokenBytes, as: UTF8.self).unicodeScalars {
                if scalar.properties.isAlphabetic { letters += 1 } else if scalar.properties.numericType != nil { digits += 1 }
            }
        }
        if token.kind == .number {
            // Numbers repeat ("2016", "$1 million"); short ones are counted once (see `RuleCountMemo`).
            syllables = token.byteCount <= 12
                ? Self.memo(token.hash, &ruleCounts) { SpokenForms.numberSyllables(tokenBytes, counter: counter) }
                : SpokenForms.numberSyllables(tokenBytes, counter: counter)
            return
        }
        raw = tokenBytes
        nonASCII = token.flags.contains(.nonASCII)
        hyphenated = tokenBytes.contains(0x2D)
        if token.flags.contains(.abbreviation) {
            // "Mr.", "U.S.", "Jan.": the same few in every article, counted once (see `RuleCountMemo`).
            let isInitialism = tokenBytes.dropLast().contains(0x2E)
            let nonASCII = nonASCII
            syllables = Self.memo(token.hash, &ruleCounts) {
                // The letters of all parts: for ASCII, the token's letters lower-cased.
                let letters = nonASCII ? Array(Self.split(tokenBytes, nonASCII: true).joined()) : SpokenForms.lowercaseLetters(tokenBytes)
                return SpokenForms.abbreviationSyllables(letters, isInitialism: isInitialism, counter: counter)
            }
        } else if asciiFolded {
            syllables = counter.count(foldedWord: foldedBytes, ruleCounts: &ruleCounts)
        } else {
            syllables = Self.accentsFolded(foldedBytes).withUnsafeBufferPointer { counter.count(foldedWord: $0, ruleCounts: &ruleCounts) }
        }
    }

    /// A count kept in the thread's table under `key` (`RuleCountMemo`), computed the first time.
    private static func memo(_ key: UInt64, _ ruleCounts: inout HashedTable<UInt8>, _ compute: () -> Int) -> Int {
        var count = 0
        ruleCounts.update(key, initial: { UInt8(min(255, compute())) }) { count = Int($0) }
        return count
    }

    /// The word's hyphen-separated parts as lower-case letters.
    var parts: [[UInt8]] { plain.map { [Array($0)] } ?? Self.split(raw, nonASCII: nonASCII) }

    /// Splits a word's bytes at hyphens into lower-case ASCII letters (accents removed).
    private static func split(_ bytes: UnsafeBufferPointer<UInt8>, nonASCII: Bool) -> [[UInt8]] {
        let text = nonASCII ? accentsFolded(bytes) : Array(bytes)
        var current: [UInt8] = []
        var parts: [[UInt8]] = []
        for b in text {
            if b == 0x2D {
                if !current.isEmpty { parts.append(current) }
                current = []
            } else if b &- 0x61 < 26 {
                current.append(b)
            } else if b &- 0x41 < 26 {
                current.append(b | 0x20)
            }
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    /// The bytes of a word with its accents and case folded (`é` is `e`), for words whose letters
    /// the text layer's folding left outside ASCII.
    private static func accentsFolded(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        Array(String(decoding: bytes, as: UTF8.self).folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).utf8)
    }

    /// Gunning does not count a word as complex when -es, -ed or -ing makes its third syllable.
    func inflectionMakesThird(_ counter: SyllableCounter, ruleCounts: inout HashedTable<UInt8>) -> Bool {
        guard !hyphenated else { return false }
        if let knownInflection { return knownInflection }
        guard let word = plain else {
            let word = parts.first ?? []
            return word.withUnsafeBufferPointer { Self.inflectionMakesThird($0, counter, &ruleCounts) }
        }
        return Self.inflectionMakesThird(word, counter, &ruleCounts)
    }

    /// The stem's syllables come from the dictionary by hash, or from the rules once (`RuleCountMemo`):
    /// this runs for every word of three syllables or more, so it must not allocate.
    private static func inflectionMakesThird(_ word: UnsafeBufferPointer<UInt8>, _ counter: SyllableCounter,
                                             _ ruleCounts: inout HashedTable<UInt8>) -> Bool {
        guard let ending = InflectionEnding.stem(of: word) else { return false }
        let stem = UnsafeBufferPointer(rebasing: ending)
        let hash = TermHash.of(stem)
        if let known = counter.dictionaryCount(hash) { return known < 3 }
        var count = 0
        ruleCounts.update(hash, initial: { UInt8(min(255, SyllableRules.count(letters: Array(stem)))) }) { count = Int($0) }
        return count < 3
    }
}
