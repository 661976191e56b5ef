/// Groups tokens into sentences and paragraphs.
///
/// A blank line ends a paragraph and its sentence (so headlines without a final period stand alone).
/// Otherwise a sentence ends after `.`, `!`, `?` or an ellipsis, together with any closing quotes and
/// brackets that follow, when the next token starts a new sentence: it is preceded by a space and is a
/// capitalised word, a number, an opening quote or bracket. So `...now,” Bilash was cited as saying.`
/// stays one sentence, and `“Stop!” she said.` too. An abbreviation ("Inc.", "U.S.") ends a sentence
/// only before a typical sentence opener ("The", "He", ...). A short line of its own without final
/// punctuation (a subheading: at most `headingWords` words, starting where a sentence starts, not
/// ending in a function word) ends at its line break when the next line starts with a capital;
/// other lines are taken as wrapped text. A document with any line break between two lower-case
/// words is hard-wrapped (newswire style), and then no line is taken as a subheading.
enum SentenceSplitter {
    /// The most words a line may have to be taken as a subheading.
    static let headingWords = 8
    /// A line ending in one of these ("on", "the", "and") is running text, not a subheading.
    static let functionWords = HashedTable(containing: EnglishStopwords.words.map(TermHash.ofTerm))

    /// Splits `tokens` of the text `bytes` (their folded forms in `folded`). `marks` are the indices,
    /// in order, of every token after a line break, of sentence punctuation (. ! ? …) and of
    /// abbreviations, as the tokenizer records them: no other token can end or start a sentence or a
    /// paragraph here, so only these are read (a pass over every token was a tenth of the text layer).
    static func split(tokens: UnsafeBufferPointer<Token>, marks: UnsafeBufferPointer<UInt32>, bytes: UnsafeBufferPointer<UInt8>,
                      folded: UnsafeBufferPointer<UInt8>) -> (sentences: [TokenRange], paragraphs: [TokenRange]) {
        // Sentences and paragraphs are closed only while a marked token is read, nearly always once
        // per mark at most (a paragraph exactly), so room for the marks and one is enough in all but
        // freak texts, where the arrays still grow. Guessed from the token count, they were regrown
        // more than twice per news document.
        var sentences: [TokenRange] = []
        sentences.reserveCapacity(marks.count + 1)
        var paragraphs: [TokenRange] = []
        paragraphs.reserveCapacity(marks.count + 1)
        var sentenceStart = 0
        var paragraphStart = 0
        let n = tokens.count
        let hardWrapped = isHardWrapped(tokens, marks)

        func closeSentence(at end: Int) {
            if end > sentenceStart { sentences.append(TokenRange(sentenceStart, end)) }
            sentenceStart = end
        }

        // Tokens before `next` were taken with a sentence's closing marks.
        var next = 0
        for mark in marks {
            let k = Int(mark)
            guard k >= next else { continue }
            if k > paragraphStart && tokens[k].flags.contains(.paragraphStart) {
                closeSentence(at: k)
                paragraphs.append(TokenRange(paragraphStart, k))
                paragraphStart = k
            } else if !hardWrapped && k > sentenceStart && tokens[k].flags.contains(.newlineBefore)
                        && isHeading(tokens, sentenceStart, k, bytes) {
                closeSentence(at: k)
            }
            let token = tokens[k]
            if isTerminal(token, bytes) {
                var end = k + 1
                while end < n && isTerminal(tokens[end], bytes) && !tokens[end].flags.contains(.spaceBefore) { end += 1 }
                while end < n && isClosing(tokens[end], bytes) { end += 1 }
                if end == n || startsSentence(tokens[end], bytes) {
                    closeSentence(at: end)
                }
                next = end
                continue
            }
            if token.flags.contains(.abbreviation) && k + 1 < n && mayEndAfterAbbreviation(token, next: tokens[k + 1], bytes, folded) {
                closeSentence(at: k + 1)
            }
        }
        closeSentence(at: n)
        if n > paragraphStart { paragraphs.append(TokenRange(paragraphStart, n)) }
        return (sentences, paragraphs)
    }

    /// True when a single line break falls between two lower-case words somewhere: the text is wrapped
    /// at a fixed width and a short line says nothing about headings.
    private static func isHardWrapped(_ tokens: UnsafeBufferPointer<Token>, _ marks: UnsafeBufferPointer<UInt32>) -> Bool {
        // Every token after a line break is marked.
        for mark in marks where mark > 0 {
            let k = Int(mark)
            let token = tokens[k]
            guard token.flags.contains(.newlineBefore), !token.flags.contains(.paragraphStart) else { continue }
            let before = tokens[k - 1]
            if token.kind == .word, !token.flags.contains(.capitalized), before.kind == .word, !before.flags.contains(.capitalized) {
                return true
            }
        }
        return false
    }

    /// True when tokens `start..<end` form one short line that starts a sentence, lacks final
    /// punctuation and does not end in a function word, and the token at `end` (on the next line)
    /// starts with a capital, a number or a quote mark.
    private static func isHeading(_ tokens: UnsafeBufferPointer<Token>, _ start: Int, _ end: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard end - start <= headingWords * 2, tokens[start].flags.contains(.newlineBefore) else { return false }
        let next = tokens[end]
        guard (next.kind == .word && next.flags.contains(.capitalized)) || next.kind == .number || next.kind == .quote else { return false }
        var words = 0
        for k in start..<end {
            if k > start && tokens[k].flags.contains(.newlineBefore) { return false }
            if tokens[k].kind == .word || tokens[k].kind == .number { words += 1 }
        }
        guard words > 0, words <= headingWords else { return false }
        let last = tokens[end - 1]
        guard last.kind == .word || last.kind == .number || isClosing(last, bytes) else { return false }
        return !functionWords.contains(last.hash)
    }

    private static func isTerminal(_ t: Token, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard t.kind == .punctuation else { return false }
        let b = bytes[Int(t.startOffset)]
        if b == 0x21 || b == 0x3F { return true }  // ! ?
        if b == 0x2E { return true }  // "." or "..."
        return b == 0xE2 && t.byteCount == 3 && bytes[Int(t.startOffset) + 1] == 0x80 && bytes[Int(t.startOffset) + 2] == 0xA6  // …
    }

    /// A closing quote or bracket that belongs to the sentence before it.
    private static func isClosing(_ t: Token, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(t.startOffset)
        switch t.kind {
        case .quote:
            let b = bytes[start]
            if b == 0x22 || b == 0x27 {
                // A straight quote glued to what precedes it closes; one after a space opens.
                return !t.flags.contains(.spaceBefore)
            }
            // ” ’ » › close; “ ‘ « ‹ „ open.
            guard t.byteCount >= 2 else { return false }
            let last = bytes[start + t.byteCount - 1]
            if t.byteCount == 3 { return last == 0x9D || last == 0x99 || last == 0xBA }
            return last == 0xBB
        case .punctuation:
            let b = bytes[start]
            return b == 0x29 || b == 0x5D || b == 0x7D
        default:
            return false
        }
    }

    private static func startsSentence(_ t: Token, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if t.flags.contains(.paragraphStart) { return true }
        guard t.flags.contains(.spaceBefore) else { return false }
        switch t.kind {
        case .word: return t.flags.contains(.capitalized)
        case .number, .quote, .emoji: return true
        case .punctuation:
            let b = bytes[Int(t.startOffset)]
            return b == 0x28 || b == 0x5B || b == 0x2D || b == 0xE2  // ( [ - and dashes/bullets
        case .symbol: return true
        }
    }

    private static func mayEndAfterAbbreviation(_ t: Token, next: Token, _ bytes: UnsafeBufferPointer<UInt8>, _ folded: UnsafeBufferPointer<UInt8>) -> Bool {
        if next.flags.contains(.paragraphStart) { return false }  // handled as a paragraph break
        guard next.flags.contains(.spaceBefore), next.kind == .word, next.flags.contains(.capitalized) else { return false }
        let wordBytes = folded[t.foldedRange].dropLast()
        let isInitialism = wordBytes.contains(0x2E)  // "."
        // Other abbreviations keep their period only when they have at most seven bytes, which `packed` holds whole.
        guard isInitialism || Abbreviations.mayBeFinalPacked.contains(Abbreviations.packed(wordBytes)) else { return false }
        return Abbreviations.sentenceStarterHashes.contains(next.hash)
    }
}
