import AnalyticsKit

/// Gives each speaker mention the fullest name the document gives that entity: "she" → the last
/// person named before, "Bilash" → "Serikzhan Bilash", "the ministry" → "Foreign Ministry".
struct SpeakerResolver {
    private struct Name {
        let start: Int
        let end: Int
        let words: [UInt64]
        let isOrganisation: Bool
    }

    /// A name's text, made only for the names returned.
    private func text(_ name: Name) -> String {
        layer.string(bytes: layer.byteRange(of: TokenRange(name.start, name.end)))
    }

    private let layer: TextLayer
    /// In text order. The indexes below hold positions in `names`, ascending, so that each lookup is a
    /// binary search: a document with thousands of quotes and names stays linear.
    private let names: [Name]
    private let byWord: [UInt64: [Int]]
    private let byLastWord: [UInt64: [Int]]
    private let people: [Int]
    private let outlets: [Int]
    private let starts: [Int: Int]

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
                    names.append(Name(start: start, end: end, words: words, isOrganisation: words.contains { Self.organisationWords.contains($0) }))
                }
                k = end
            }
        }
        self.names = names
        var byWord: [UInt64: [Int]] = [:], byLastWord: [UInt64: [Int]] = [:], people: [Int] = [], outlets: [Int] = []
        var starts: [Int: Int] = [:]
        for (n, name) in names.enumerated() {
            for word in name.words where byWord[word]?.last != n { byWord[word, default: []].append(n) }
            byLastWord[name.words[name.words.count - 1], default: []].append(n)  // every name has two words or more
            if !name.isOrganisation { people.append(n) }
            if name.words.contains(where: { Self.newsWords.contains($0) }) { outlets.append(n) }
            starts[name.start] = starts[name.start] ?? n
        }
        (self.byWord, self.byLastWord, self.people, self.outlets, self.starts) = (byWord, byLastWord, people, outlets, starts)
    }

    /// How many names start before token `k`.
    private func namesBefore(_ k: Int) -> Int { names.partitionPoint { $0.start < k } }

    /// The last name in `list` (ascending positions in `names`) among the first `count` names.
    private func last(in list: [Int]?, before count: Int) -> Name? {
        guard let list else { return nil }
        let end = list.partitionPoint { $0 < count }
        return end > 0 ? names[list[end - 1]] : nil
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
        let before = namesBefore(range.lowerBound)
        if range.count == 1 && QuoteLexicon.personPronouns.contains(first) {
            return last(in: people, before: before).map(text) ?? mention
        }
        if range.count == 1 && tokens[range.lowerBound].flags.contains(.capitalized) {
            // A surname: the latest full name ending with it, before or (rarely) after.
            let matching = byLastWord[first] ?? []
            return (last(in: matching, before: before) ?? matching.first.map { names[$0] }).map(text) ?? mention
        }
        if QuoteLexicon.determiners.contains(first) && range.count >= 2 && !tokens[range.lowerBound + 1].flags.contains(.capitalized) {
            let head = tokens[range.upperBound - 1].hash
            if let named = last(in: byWord[head], before: before) { return text(named) }
            if Self.newsWords.contains(head), let outlet = last(in: outlets, before: before) { return text(outlet) }
            return mention
        }
        // A name written out in full: itself, or the latest earlier name that ends with it.
        let words = range.map { tokens[$0].hash }
        if let own = starts[range.lowerBound], names[own].words == words { return mention }
        // Looking back over at most 64 names with the same last word keeps a long document linear.
        let candidates = byLastWord[words[words.count - 1]] ?? []
        let end = candidates.partitionPoint { $0 < before }
        var c = end
        while c > 0 && end - c < 64 {
            c -= 1
            let name = names[candidates[c]]
            if name.words.count > words.count && name.words.suffix(words.count) == words[...] { return text(name) }
        }
        return mention
    }
}
