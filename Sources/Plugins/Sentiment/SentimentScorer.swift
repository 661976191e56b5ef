import AnalyticsKit
import Foundation

/// Scores a run of tokens: VADER-style rules over the text layer's tokens, in one pass, linear in length.
struct SentimentScorer: Sendable {
    let lexicon: SentimentLexicon
    // The rule tables, held here so the hot loop reads stored properties, not lazily initialised globals.
    private let roles = WordRole.table
    private let idiomPhrases = SentimentRules.idioms.phrases

    init(lexicon: SentimentLexicon) {
        self.lexicon = lexicon
    }

    /// The score of a run of tokens, with each sentiment-bearing item's final weight.
    struct Score {
        var compound = 0.0
        var positive = 0.0
        var negative = 0.0
        var neutral = 0.0
        /// (token range, final valence) of every item that carried sentiment.
        var contributions: [(tokens: Range<Int>, valence: Float)] = []
    }

    /// One thing that may carry sentiment: a word, an emoticon (several tokens) or an emoji.
    private struct Item {
        let tokens: Range<Int>
        let hash: UInt64
        let valence: Float?
        let isWord: Bool
        let allCaps: Bool
        var roles: WordRole = []
        var booster: Float = 0
        var isNegator: Bool { roles.contains(.negator) }
    }

    /// What `items` notes on the way, for the rules that look at the whole run: VADER's punctuation
    /// emphasis, whether capitals set words apart, and where the first "but" is.
    private struct RunMarks {
        var exclamations = 0
        var questions = 0
        var capitalWords = 0
        var otherWords = 0
        var firstBut: Int?
    }

    /// The score of the tokens of `pieces` (ranges in order) read as one run: the items of each piece,
    /// one after the other, so that the rules (negation, "but") see them as adjacent.
    func score(_ layer: TextLayer, _ pieces: [Range<Int>]) -> Score {
        var marks = RunMarks()
        // At most one item per token, so the pieces' token counts are room enough: the items are
        // written in place rather than appended, which checked the array's capacity and stored its
        // count back for every word.
        let room = pieces.reduce(0) { $0 + $1.count }
        let items = [Item](capacity: room) { buffer in
            guard let start = buffer.baseAddress else { return 0 }
            var count = 0
            for piece in pieces { count = self.items(layer, piece, into: start, count: count, marks: &marks) }
            return count
        }
        let capsDiffer = marks.capitalWords > 0 && marks.otherWords > 0
        // Only the items that carry sentiment, in order: most items are neutral, and a valence per item
        // was filled, counted and summed in a pass each.
        var scored: [(index: Int, valence: Float)] = []
        // Room for an item in four at once: about one in ten carries sentiment, and growing from
        // empty reallocated three or four times a document.
        scored.reserveCapacity(items.count / 4 + 4)
        for i in items.indices where items[i].valence != nil || items[i].roles.contains(.idiomEnd) {
            // An idiom's valence replaces its words' own (already computed for the earlier words).
            if items[i].roles.contains(.idiomEnd), let (length, valence) = idiom(endingAt: i, items) {
                while let last = scored.last, last.index > i - length { scored.removeLast() }
                if valence != 0 { scored.append((i, valence)) }
                continue
            }
            let valence = valence(of: i, items, capsDiffer: capsDiffer)
            if valence != 0 { scored.append((i, valence)) }
        }
        // "but" shifts the weight to what follows it.
        if let butIndex = marks.firstBut {
            for k in scored.indices where scored[k].index != butIndex {
                scored[k].valence *= scored[k].index < butIndex ? SentimentRules.beforeBut : SentimentRules.afterBut
            }
        }
        var result = Score()
        var sum = 0.0
        var positiveSum = 0.0
        var negativeSum = 0.0
        // Every item without a valence is neutral; the sums skip them (adding zeros changes no sum).
        let neutralCount = Double(items.count - scored.count)
        result.contributions.reserveCapacity(scored.count)  // one allocation, not one per doubling
        for (index, v) in scored {
            let value = Double(v)
            sum += value
            if value > 0 { positiveSum += value + 1 } else { negativeSum += value - 1 }
            result.contributions.append((items[index].tokens, v))
        }
        var emphasis = Double(min(marks.exclamations, 4)) * SentimentRules.exclamation
        let questions = marks.questions
        if questions > 1 { emphasis += questions <= 3 ? Double(questions) * SentimentRules.question : 0.96 }
        if sum > 0 { sum += emphasis; positiveSum += emphasis } else if sum < 0 { sum -= emphasis; negativeSum -= emphasis }
        guard sum != 0 || positiveSum != 0 || negativeSum != 0 else {
            result.neutral = items.isEmpty ? 0 : 1
            return result
        }
        result.compound = max(-1, min(1, sum / (sum * sum + SentimentRules.alpha).squareRoot()))
        let total = positiveSum + abs(negativeSum) + neutralCount
        if total > 0 {
            result.positive = positiveSum / total
            result.negative = abs(negativeSum) / total
            result.neutral = neutralCount / total
        }
        return result
    }

    // MARK: Items

    /// Writes the items of a range after the `count` already at `items`, which has room for one more per
    /// token of the range, noting on the way what `RunMarks` holds; returns the new count.
    private func items(_ layer: TextLayer, _ range: Range<Int>, into items: UnsafeMutablePointer<Item>, count start: Int,
                       marks: inout RunMarks) -> Int {
        var count = start
        // The loop visits each token once and writes at most one item for it (an emoticon's one item
        // stands for two tokens or more), so the room holds. Not checked per item: a check here, or
        // even a debug-only one with the room passed in, changed how the compiler inlined the loop
        // and cost it 0.5 to 3%; the array checks its count after the fill.
        func append(_ item: Item) {
            (items + count).initialize(to: item)
            count &+= 1
        }
        var noted = marks  // a local copy, which the loop keeps in registers
        // Wrapping arithmetic on token indices and counts, which stay below the document's token
        // count (under 2^31): the checked forms cost a branch each, several a token.
        layer.tokens.withUnsafeBufferPointer { tokens in
            layer.bytes.withUnsafeBufferPointer { bytes in
                layer.folded.withUnsafeBufferPointer { folded in
                    var k = range.lowerBound
                    while k < range.upperBound {
                        // A chunk is a run of tokens with no space between them: where emoticons live.
                        var end = k &+ 1
                        while end < range.upperBound && !tokens[end].flags.contains(.spaceBefore) { end &+= 1 }
                        if end &- k > 1, Self.mayBeEmoticon(tokens, bytes, k..<end), let emoticon = emoticon(layer, k..<end) {
                            append(emoticon)
                            k = end
                            continue
                        }
                        for t in k..<end {
                            let token = tokens[t]
                            switch token.kind {
                            case .number:
                                // Numbers carry no sentiment and play no role, but count as words between others.
                                append(Item(tokens: t..<(t &+ 1), hash: token.hash, valence: nil, isWord: true, allCaps: false))
                                noted.otherWords &+= 1
                            case .word:
                                let role = roles[token.hash] ?? WordRole.Entry(roles: [], booster: 0)
                                var item = Item(tokens: t..<(t &+ 1), hash: token.hash,
                                                valence: role.booster == 0 ? lexicon.valence(token.hash) : nil,
                                                isWord: true, allCaps: token.flags.contains(.allCaps))
                                item.booster = role.booster
                                item.roles = role.roles
                                // A word of letters only has no apostrophe: only the others can end in "n't".
                                if !token.flags.contains(.lettersOnly) && Self.endsInNT(folded, token.foldedRange) { item.roles.insert(.negator) }
                                if item.allCaps { noted.capitalWords &+= 1 } else { noted.otherWords &+= 1 }
                                if noted.firstBut == nil && item.roles.contains(.but) { noted.firstBut = count }
                                append(item)
                            case .emoji:
                                let text = layer.text(of: token)
                                append(Item(tokens: t..<(t &+ 1), hash: token.hash, valence: lexicon.emojiValence(Substring(text)),
                                                  isWord: false, allCaps: false))
                            case .punctuation:
                                let first = bytes[token.byteRange.lowerBound]
                                if first == 0x21 || first == 0x3F {  // runs of ! and ? are one token: count each mark
                                    for b in bytes[token.byteRange] { if b == 0x21 { noted.exclamations &+= 1 } else { noted.questions &+= 1 } }
                                }
                            default:
                                continue
                            }
                        }
                        k = end
                    }
                }
            }
        }
        marks = noted
        return count
    }

    /// Only a chunk with a symbol, quote or punctuation mark before its trailing sentence punctuation
    /// can be an emoticon: "said." and "don't" are not worth a lookup.
    private static func mayBeEmoticon(_ tokens: UnsafeBufferPointer<Token>, _ bytes: UnsafeBufferPointer<UInt8>, _ chunk: Range<Int>) -> Bool {
        var end = chunk.upperBound
        func isSentencePunctuation(_ b: UInt8) -> Bool { b == 0x2E || b == 0x2C || b == 0x3B || b == 0x21 || b == 0x3F }
        while end > chunk.lowerBound, tokens[end - 1].kind == .punctuation,
              isSentencePunctuation(bytes[tokens[end - 1].byteRange.lowerBound]) { end -= 1 }
        if end < chunk.upperBound && end - chunk.lowerBound <= 1 && tokens[chunk.lowerBound].kind == .word { return false }
        return tokens[chunk.lowerBound..<chunk.upperBound].contains { $0.kind != .word && $0.kind != .number }
    }

    /// A chunk whose text (lower-cased, perhaps without trailing punctuation) is an emoticon.
    private func emoticon(_ layer: TextLayer, _ chunk: Range<Int>) -> Item? {
        let tokens = layer.tokens
        var end = chunk.upperBound
        // Text longer than any entry cannot be one: trailing punctuation goes without a lookup, in one
        // pass. Trying every shorter end in turn, hashing each, was quadratic in the chunk: 5 MB of
        // em dashes ran for minutes.
        let start = tokens[chunk.lowerBound].byteRange.lowerBound
        while end > chunk.lowerBound + 1 && tokens[end - 1].byteRange.upperBound - start > lexicon.longestEntryBytes {
            guard tokens[end - 1].kind == .punctuation else { return nil }
            end -= 1
        }
        // An ASCII chunk's text in lower case is its tokens' folded forms, which lie one after the
        // other in the layer's folded bytes: hashed from there, eight bytes at a time, rather than
        // mapped and hashed a byte at a time.
        let ascii = !tokens[chunk].contains { $0.flags.contains(.nonASCII) }
        while end > chunk.lowerBound + 1 {
            let hash: UInt64
            if ascii {
                let range = tokens[chunk.lowerBound].foldedRange.lowerBound..<tokens[end - 1].foldedRange.upperBound
                hash = layer.folded.withUnsafeBufferPointer { TermHash.of(UnsafeBufferPointer(rebasing: $0[range])) }
            } else {
                let range = tokens[chunk.lowerBound].byteRange.lowerBound..<tokens[end - 1].byteRange.upperBound
                hash = TermHash.of(layer.bytes[range].lazy.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 })
            }
            // Only chunks that are not plain words: "I'm" or "U.S." are words, not emoticons.
            let hasSymbol = tokens[chunk.lowerBound..<end].contains { $0.kind != .word && $0.kind != .number }
            if hasSymbol, let valence = lexicon.valence(hash) {
                return Item(tokens: chunk.lowerBound..<end, hash: hash, valence: valence, isWord: false, allCaps: false)
            }
            let last = tokens[end - 1]
            guard last.kind == .punctuation else { break }
            end -= 1
        }
        return nil
    }

    // MARK: Rules

    private func valence(of i: Int, _ items: [Item], capsDiffer: Bool) -> Float {
        let item = items[i]
        guard var v = item.valence, v != 0 else { return 0 }
        if item.roles.contains(.like), i > 0, !items[i - 1].isNegator,
           !items[i - 1].roles.contains(.likeSubject) { return 0 }  // "looks like", "seems like"
        if item.roles.contains(.pretty), i + 1 < items.count, let next = items[i + 1].valence, next != 0 { return 0 }  // booster
        // "kind of", "sort of" are hedges, not kindness.
        if item.roles.contains(.kindOrSort), i + 1 < items.count, items[i + 1].roles.contains(.of) { return 0 }
        // "no" before a sentiment word is a negator, not a sentiment of its own.
        if item.roles.contains(.no), i + 1 < items.count, items[i + 1].valence != nil { return 0 }
        if capsDiffer && item.allCaps { v += v > 0 ? SentimentRules.capitals : -SentimentRules.capitals }
        var negated = false
        var hedged = false
        for distance in 1...3 where i - distance >= 0 {
            let previous = items[i - distance]
            guard previous.isWord else { break }
            if previous.valence == nil || previous.valence == 0 || previous.roles.contains(.pretty) {
                var scalar: Float = 0
                if previous.booster != 0 {
                    scalar = previous.booster
                } else if previous.roles.contains(.pretty) && distance == 1 {
                    scalar = SentimentRules.boost
                } else if previous.roles.contains(.kindOrSort), i - distance + 1 < items.count,
                          items[i - distance + 1].roles.contains(.of) {
                    scalar = -SentimentRules.boost
                }
                if scalar != 0 {
                    if v < 0 { scalar = -scalar }
                    if capsDiffer && previous.allCaps { scalar += v > 0 ? SentimentRules.capitals : -SentimentRules.capitals }
                    v += scalar * [1, 0.95, 0.9][distance - 1]
                }
            }
            if isNegator(previous) && !negated {
                let intensified = distance >= 2 && previous.roles.contains(.never)
                    && items[(i - distance + 1)..<i].contains { $0.roles.contains(.soOrThis) }
                let withoutDoubt = previous.roles.contains(.without)
                    && items[(i - distance + 1)..<i].contains { $0.roles.contains(.doubt) }
                if intensified { v *= 1.25 } else if !withoutDoubt { v *= SentimentRules.negation }
                negated = true
            }
            if previous.roles.contains(.hedge) { hedged = true }
        }
        if hedged { v *= SentimentRules.hedged }
        // "least" negates, but not in "at least" or "very least".
        if i >= 1, items[i - 1].roles.contains(.least), !(i >= 2 && items[i - 2].roles.contains(.atOrVery)) {
            v *= SentimentRules.negation
        }
        return v
    }

    private func isNegator(_ item: Item) -> Bool { item.isNegator }

    /// Contractions such as "don't", "wouldn't" negate.
    private static func endsInNT(_ folded: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        let e = range.upperBound
        return range.count >= 4 && folded[e - 3] == 0x6E && folded[e - 2] == 0x27 && folded[e - 1] == 0x74
    }

    private func idiom(endingAt i: Int, _ items: [Item]) -> (Int, Float)? {
        for length in stride(from: SentimentRules.longestIdiom, through: 2, by: -1) where i - length + 1 >= 0 {
            let key = SentimentRules.phraseKey(items[(i - length + 1)...i].lazy.map(\.hash))
            if let valence = idiomPhrases[key] { return (length, valence) }
        }
        return nil
    }
}
