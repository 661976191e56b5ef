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
        let tokens = layer.tokens
        for sentence in layer.sentences {
            var wordsInSentence = 0
            for k in sentence.indices {
                let token = tokens[k]
                guard token.kind == .word || token.kind == .number else { continue }
                let word = WordCount(token, in: layer, counter: counter)
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
                guard !properNoun else { continue }
                if let daleChall, !word.parts.allSatisfy(daleChall.contains(letters:)) { difficultWords! += 1 }
                if let spache, !word.parts.allSatisfy(spache.contains(letters:)) { unfamiliar.insert(TermHash.of(word.parts.joined())) }
            }
            if wordsInSentence > 0 { sentences += 1 }
        }
        if spache != nil { unfamiliarWords = unfamiliar.count }
    }
}

/// What one word token contributes.
private struct WordCount {
    var syllables = 0
    var letters = 0
    var digits = 0
    var hyphenated = false
    /// The word's hyphen-separated parts as lower-case letters.
    var parts: [[UInt8]] = []

    init(_ token: Token, in layer: TextLayer, counter: SyllableCounter) {
        let bytes = layer.bytes[token.byteRange]
        if token.flags.contains(.nonASCII) {
            countNonASCII(token, layer)
        } else {
            for b in bytes {
                if b &- 0x61 < 26 || b &- 0x41 < 26 { letters += 1 } else if b &- 0x30 < 10 { digits += 1 }
            }
        }
        if token.kind == .number {
            syllables = SpokenForms.numberSyllables(bytes, counter: counter)
            return
        }
        let folded = token.flags.contains(.nonASCII) ? Self.asciiFolded(layer.text(of: token)) : Array(bytes)
        var current: [UInt8] = []
        for b in folded {
            if b == 0x2D {
                hyphenated = true
                if !current.isEmpty { parts.append(current) }
                current = []
            } else if b &- 0x61 < 26 {
                current.append(b)
            } else if b &- 0x41 < 26 {
                current.append(b | 0x20)
            }
        }
        if !current.isEmpty { parts.append(current) }
        if token.flags.contains(.abbreviation) {
            let isInitialism = bytes.dropLast().contains(0x2E)
            syllables = SpokenForms.abbreviationSyllables(parts.joined().map { $0 }, isInitialism: isInitialism, counter: counter)
        } else {
            syllables = parts.reduce(0) { $0 + counter.count(letters: $1) }
        }
    }

    /// Letters are alphabetic scalars; the syllable rules read the word with its accents removed.
    private mutating func countNonASCII(_ token: Token, _ layer: TextLayer) {
        for scalar in layer.text(of: token).unicodeScalars {
            if scalar.properties.isAlphabetic { letters += 1 } else if scalar.properties.numericType != nil { digits += 1 }
        }
    }

    private static func asciiFolded(_ text: String) -> [UInt8] {
        Array(text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).utf8)
    }

    /// Gunning does not count a word as complex when -es, -ed or -ing makes its third syllable.
    func inflectionMakesThird(_ counter: SyllableCounter) -> Bool {
        guard parts.count == 1, let word = parts.first else { return false }
        for suffix in ["es", "ed", "ing"] where Word.hasSuffix(word, suffix) && word.count > suffix.utf8.count + 2 {
            return counter.count(letters: Array(word.dropLast(suffix.utf8.count))) < 3
        }
        return false
    }
}
