import AnalyticsKit
import Foundation

extension ReadabilityCounts {
    /// Counts a document's text layer.
    ///
    /// Words are word and number tokens. A hyphenated word is one word whose syllables are those of its
    /// parts. Numbers and abbreviations are counted as spoken (see `SpokenForms`). Letters are alphabetic
    /// characters of words; characters are letters and digits. Proper nouns (capitalised words that do
    /// not start a sentence) are never complex, difficult or unfamiliar.
    init(layer: TextLayer, counter: SyllableCounter, daleChall: FamiliarWords?, spache: FamiliarWords?) {
        self.init()
        if daleChall != nil { difficultWords = 0 }
        var unfamiliar = Set<UInt64>()
        let checkLists = daleChall != nil || spache != nil
        let sentenceRanges = layer.sentences
        // Words CMUdict lacks (mostly names) repeat within a document; their rule counts are kept here.
        var ruleCounts = HashedTable<UInt8>(capacity: 8, empty: 0)
        layer.bytes.withUnsafeBufferPointer { bytes in
            layer.folded.withUnsafeBufferPointer { folded in
                layer.tokens.withUnsafeBufferPointer { tokens in
                    for sentence in sentenceRanges {
                        var wordsInSentence = 0
                        for k in sentence.indices {
                            let token = tokens[k]
                            guard token.kind == .word || token.kind == .number else { continue }
                            let word = WordCount(token, bytes: bytes, folded: folded, counter: counter, ruleCounts: &ruleCounts)
                            wordsInSentence += 1
                            words += 1
                            syllables += word.syllables
                            letters += word.letters
                            characters += word.letters + word.digits
                            if word.syllables >= 3 { polysyllabicWords += 1 }
                            if word.letters > 6 { longWords += 1 }
                            if linsearWords < 100 {
                                linsearWords += 1
                                if word.syllables >= 3 { linsearHardWords += 1 }
                                if wordsInSentence == 1 { linsearSentences += 1 }
                            }
                            guard token.kind == .word, !token.flags.contains(.abbreviation) else { continue }
                            let properNoun = wordsInSentence > 1 && token.flags.contains(.capitalized)
                            if word.syllables >= 3 && !properNoun && !word.hyphenated && !word.inflectionMakesThird(counter) {
                                complexWords += 1
                            }
                            guard !properNoun, checkLists else { continue }
                            let parts = word.parts
                            if let daleChall, !parts.allSatisfy(daleChall.contains(letters:)) { difficultWords! += 1 }
                            if let spache, !parts.allSatisfy(spache.contains(letters:)) { unfamiliar.insert(TermHash.of(parts.joined())) }
                        }
                        if wordsInSentence > 0 { sentences += 1 }
                    }
                }
            }
        }
        if spache != nil { unfamiliarWords = unfamiliar.count }
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

    init(_ token: Token, bytes: UnsafeBufferPointer<UInt8>, folded: UnsafeBufferPointer<UInt8>, counter: borrowing SyllableCounter,
         ruleCounts: inout HashedTable<UInt8>) {
        if token.flags.contains(.lettersOnly) && !token.flags.contains(.abbreviation) {
            // The common case: letters only, so the folded bytes are the word and its hash is the key.
            let word = UnsafeBufferPointer(rebasing: folded[token.foldedRange])
            letters = token.byteCount
            plain = word
            if let known = counter.dictionaryCount(token.hash) {
                syllables = known
            } else {
                var count = 0
                ruleCounts.update(token.hash, initial: { UInt8(min(255, SyllableRules.count(letters: Array(word)))) }) { count = Int($0) }
                syllables = count
            }
            return
        }
        let range = token.byteRange
        let tokenBytes = UnsafeBufferPointer(rebasing: bytes[range])
        if token.flags.contains(.nonASCII) {
            for scalar in String(decoding: tokenBytes, as: UTF8.self).unicodeScalars {
                if scalar.properties.isAlphabetic { letters += 1 } else if scalar.properties.numericType != nil { digits += 1 }
            }
        } else {
            for k in range {
                let b = bytes[k]
                if b &- 0x61 < 26 || b &- 0x41 < 26 { letters += 1 } else if b &- 0x30 < 10 { digits += 1 }
            }
        }
        if token.kind == .number {
            syllables = SpokenForms.numberSyllables(ArraySlice(tokenBytes), counter: counter)
            return
        }
        if letters == token.byteCount && !token.flags.contains(.abbreviation) && !token.flags.contains(.nonASCII) {
            let word = UnsafeBufferPointer(rebasing: folded[token.foldedRange])
            plain = word
            syllables = counter.count(hash: token.hash) { Array(word) }
            return
        }
        raw = tokenBytes
        nonASCII = token.flags.contains(.nonASCII)
        hyphenated = tokenBytes.contains(0x2D)
        let split = Self.split(tokenBytes, nonASCII: nonASCII)
        if token.flags.contains(.abbreviation) {
            let isInitialism = tokenBytes.dropLast().contains(0x2E)
            syllables = SpokenForms.abbreviationSyllables(Array(split.joined()), isInitialism: isInitialism, counter: counter)
        } else {
            syllables = split.reduce(0) { $0 + counter.count(letters: $1) }
        }
    }

    /// The word's hyphen-separated parts as lower-case letters.
    var parts: [[UInt8]] { plain.map { [Array($0)] } ?? Self.split(raw, nonASCII: nonASCII) }

    /// Splits a word's bytes at hyphens into lower-case ASCII letters (accents removed).
    private static func split(_ bytes: UnsafeBufferPointer<UInt8>, nonASCII: Bool) -> [[UInt8]] {
        let text = nonASCII
            ? Array(String(decoding: bytes, as: UTF8.self).folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).utf8)
            : Array(bytes)
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

    /// Gunning does not count a word as complex when -es, -ed or -ing makes its third syllable.
    func inflectionMakesThird(_ counter: SyllableCounter) -> Bool {
        guard !hyphenated else { return false }
        let word = parts.first ?? []
        for suffix: StaticString in ["es", "ed", "ing"] where Word.hasSuffix(word, suffix) && word.count > suffix.utf8CodeUnitCount + 2 {
            return counter.count(letters: Array(word.dropLast(suffix.utf8CodeUnitCount))) < 3
        }
        return false
    }
}
