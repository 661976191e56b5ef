import AnalyticsKit

/// Gives each speaker mention the fullest name the document gives that entity: "she" → the last
/// person named before, "Bilash" → "Serikzhan Bilash", "the ministry" → "Foreign Ministry".
struct SpeakerResolver {
    private struct Name {
        let start: Int
        let text: String
        let words: [UInt64]
        let isOrganisation: Bool
    }

    private let layer: TextLayer
    private let names: [Name]

    private static let organisationWords = QuoteLexicon.set([
        "ministry", "agency", "press", "party", "department", "committee", "house", "council", "court", "university",
        "association", "group", "news", "post", "times", "company", "inc", "corp", "bank", "union", "office",
        "service", "republic", "commission", "institute", "foundation", "reuters", "network", "journal", "campaign",
        "senate", "congress", "administration", "government", "police", "army", "organization", "organisation",
    ])
    private static let newsWords = QuoteLexicon.set(["agency", "press", "news", "reuters", "post", "times", "journal", "network"])

    init(layer: TextLayer) {
        self.layer = layer
        var names: [Name] = []
        let tokens = layer.tokens
        for sentence in layer.sentences {
            var k = sentence.lowerBound
            while k < sentence.upperBound {
                guard tokens[k].kind == .word, tokens[k].flags.contains(.capitalized) else { k += 1; continue }
                var end = k + 1
                while end < sentence.upperBound && tokens[end].kind == .word && tokens[end].flags.contains(.capitalized)
                        && !tokens[end].flags.contains(.newlineBefore) { end += 1 }
                // "The" opening a sentence is not part of a name unless more capitals follow.
                var start = k
                if start == sentence.lowerBound && QuoteLexicon.determiners.contains(tokens[start].hash) && end - start < 3 { start += 1 }
                if end - start >= 2 {
                    let words = (start..<end).map { tokens[$0].hash }
                    names.append(Name(start: start, text: layer.string(bytes: layer.byteRange(of: TokenRange(start, end))),
                                      words: words, isOrganisation: words.contains { Self.organisationWords.contains($0) }))
                }
                k = end
            }
        }
        self.names = names
    }

    /// The fullest name for the speaker at `range`, or the mention itself when nothing better is known.
    func resolve(_ range: Range<Int>) -> String {
        let tokens = layer.tokens
        let mention = layer.string(bytes: layer.byteRange(of: TokenRange(range.lowerBound, range.upperBound)))
        // "Serikzhan Bilash, the head of …": the name before the appositive.
        if let comma = range.first(where: { tokens[$0].kind == .punctuation && layer.bytes[tokens[$0].byteRange.lowerBound] == 0x2C }),
           comma > range.lowerBound {
            return resolve(range.lowerBound..<comma)
        }
        let first = tokens[range.lowerBound].hash
        let before = names.filter { $0.start < range.lowerBound }
        if range.count == 1 && QuoteLexicon.personPronouns.contains(first) {
            return before.last { !$0.isOrganisation }?.text ?? mention
        }
        if range.count == 1 && tokens[range.lowerBound].flags.contains(.capitalized) {
            // A surname: the latest full name ending with it, before or (rarely) after.
            let matching = names.filter { $0.words.count >= 2 && $0.words.last == first }
            return (matching.last { $0.start < range.lowerBound } ?? matching.first)?.text ?? mention
        }
        if QuoteLexicon.determiners.contains(first) && range.count >= 2 && !tokens[range.lowerBound + 1].flags.contains(.capitalized) {
            let head = tokens[range.upperBound - 1].hash
            if let named = before.last(where: { $0.words.contains(head) }) { return named.text }
            if Self.newsWords.contains(head) || head == TermHash.ofTerm("agency") {
                if let outlet = before.last(where: { $0.words.contains { Self.newsWords.contains($0) } }) { return outlet.text }
            }
            return mention
        }
        // A name written out in full: itself, or the longest earlier name that ends with it.
        let words = range.map { tokens[$0].hash }
        if let own = names.first(where: { $0.start == range.lowerBound && $0.words == words }) { _ = own; return mention }
        if let longer = before.filter({ $0.words.count > words.count && $0.words.suffix(words.count) == words[...] }).last { return longer.text }
        return mention
    }
}
