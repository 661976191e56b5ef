import AnalyticsKit

/// Gives each speaker mention the fullest name the document gives that entity: "she" → the last
/// person named before, "Bilash" → "Serikzhan Bilash", "the ministry" → "Foreign Ministry".
struct SpeakerResolver {
    /// A run of two or more capitalised words, as token indices.
    private struct Name {
        let start: Int
        let end: Int
        let isOrganisation: Bool
    }

    /// One word of one name, for the sorted word indexes: a handful of arrays per document instead of a
    /// dictionary of arrays, which made the resolver a fifth of the stage's time in allocations.
    private struct Entry: Comparable {
        let word: UInt64
        let name: Int
        static func < (a: Entry, b: Entry) -> Bool { (a.word, a.name) < (b.word, b.name) }
    }

    /// A name's text, made only for the names returned.
    private func text(_ name: Name) -> String {
        layer.string(bytes: layer.byteRange(of: TokenRange(name.start, name.end)))
    }

    private let layer: TextLayer
    /// The word lists, held here so that each read is a load, not a lazily made global's check.
    private let lexicon = QuoteLexicon.shared
    /// In text order. The indexes below hold positions in `names`, ascending, so that each lookup in a
    /// long document is a binary search: a document with thousands of quotes and names stays linear.
    private let names: [Name]
    /// Every word of every name, sorted by word, then by name (in text order when short: see
    /// `sortedIndexMinimum`).
    private let byWord: [Entry]
    /// The last word of every name, kept the same way.
    private let byLastWord: [Entry]
    private let people: [Int]
    private let outlets: [Int]

    /// Words that make a name an organisation, not a person.
    private static let organisationWords = [
        "ministry", "agency", "press", "party", "department", "committee", "house", "council", "court", "university",
        "association", "group", "news", "post", "times", "company", "inc", "corp", "bank", "union", "office",
        "service", "republic", "commission", "institute", "foundation", "reuters", "network", "journal", "campaign", "partners",
        "senate", "congress", "administration", "government", "police", "army", "organization", "organisation",
        "courier", "herald", "tribune", "gazette", "chronicle", "telegraph", "radio", "television",
    ]
    /// Words that make a name a news outlet (`the paper` resolves to the last one).
    private static let newsWords = ["agency", "press", "news", "reuters", "post", "times", "journal", "network",
                                    "courier", "herald", "tribune", "gazette", "chronicle", "telegraph", "radio", "television"]
    /// Words that make a name a place, a day or a thing rather than a person ("Election Day", "Easter
    /// Island", "Main Street"): never the one a pronoun stands for.
    private static let placeWords = [
        "day", "island", "islands", "county", "city", "state", "states", "street", "avenue", "road", "river", "lake", "mountain",
        "park", "square", "bridge", "airport", "station", "hall", "center", "centre", "church", "school", "college", "hospital",
        "beach", "bay", "valley", "coast", "north", "south", "east", "west", "america", "monday", "tuesday", "wednesday",
        "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "june", "july", "august",
        "september", "october", "november", "december", "act", "law", "bill", "amendment",
    ]
    /// Words that open a sentence before a name without being part of it.
    private static let openerWords = ["and", "but", "as", "when", "while", "after", "before", "if", "so", "yet",
                                      "although", "though", "because", "since", "in", "on", "at", "for", "with",
                                      "following", "despite", "during", "amid", "unlike", "like", "without", "by"]

    /// What a capitalised word says about the name it is in, as bits, for one lookup per word.
    private static let organisation: UInt64 = 1, news: UInt64 = 2, place: UInt64 = 4, opener: UInt64 = 8
    private static let nameWordRoles: PackedHashTable<PayloadBits4> = {
        var table = PackedHashTable<PayloadBits4>(capacity: 256)
        for (words, role) in [(organisationWords, organisation), (newsWords, news), (placeWords, place), (openerWords, opener)] {
            for word in words {
                let hash = TermHash.ofTerm(word)
                table.set(hash, payload: (table[hash] ?? 0) | role)
            }
        }
        return table
    }()

    init(layer: TextLayer) {
        self.layer = layer
        var names: [Name] = []
        var byWord: [Entry] = [], byLastWord: [Entry] = [], people: [Int] = [], outlets: [Int] = []
        // Room for a typical article's names at once: grown one doubling at a time, these arrays made a
        // dozen allocations per document.
        names.reserveCapacity(32)
        byWord.reserveCapacity(96)
        byLastWord.reserveCapacity(32)
        people.reserveCapacity(32)
        let roles = Self.nameWordRoles
        let determiners = QuoteLexicon.shared.determiners
        // Through a pointer: this looks at every token of the document, most of them not names.
        layer.tokens.withUnsafeBufferPointer { tokens in
            for sentence in layer.sentences {
                var k = sentence.lowerBound
                while k < sentence.upperBound {
                    guard tokens[k].flags.contains(.capitalized), tokens[k].kind == .word else { k += 1; continue }
                    var end = k + 1
                    while end < sentence.upperBound && tokens[end].kind == .word && tokens[end].flags.contains(.capitalized)
                            && !tokens[end].flags.contains(.newlineBefore) { end += 1 }
                    // "The" opening a sentence is not part of a name unless more capitals follow; "And",
                    // "But", "As", "When" and the like opening it never are ("As Lena Ruiz put it").
                    var start = k
                    if start == sentence.lowerBound && determiners.contains(tokens[start].hash) && end - start < 3 { start += 1 }
                    if start == sentence.lowerBound && (roles[tokens[start].hash] ?? 0) & Self.opener != 0 { start += 1 }
                    if end - start >= 2 {
                        let n = names.count
                        let words = start..<end
                        var bits: UInt64 = 0
                        for w in words { bits |= roles[tokens[w].hash] ?? 0 }
                        let isOrganisation = bits & Self.organisation != 0
                        names.append(Name(start: start, end: end, isOrganisation: isOrganisation))
                        for w in words { byWord.append(Entry(word: tokens[w].hash, name: n)) }
                        byLastWord.append(Entry(word: tokens[end - 1].hash, name: n))
                        if bits & (Self.organisation | Self.place) == 0 { people.append(n) }
                        if bits & Self.news != 0 { outlets.append(n) }
                    }
                    k = end
                }
            }
        }
        self.names = names
        if byWord.count > Self.sortedIndexMinimum { byWord.sort() }
        if byLastWord.count > Self.sortedIndexMinimum { byLastWord.sort() }
        (self.byWord, self.byLastWord, self.people, self.outlets) = (byWord, byLastWord, people, outlets)
    }

    /// An index of at most this many entries is left in text order and read from end to end: an
    /// article's are a few dozen, and sorting them cost more than the few lookups made in them (about
    /// 3,000 instructions for each document with a speaker). A longer one is sorted, so that a
    /// document with thousands of names stays linear.
    private static let sortedIndexMinimum = 64

    /// The names (ascending) holding `word`, from one of the indexes. Left in text order, an index
    /// lists a name's entries after those of the names before it, so the names come out ascending, as
    /// from a sorted one.
    private func names(with word: UInt64, in index: [Entry]) -> [Int] {
        guard index.count > Self.sortedIndexMinimum else { return index.compactMap { $0.word == word ? $0.name : nil } }
        let low = index.partitionPoint { $0.word < word }
        var high = low
        while high < index.count && index[high].word == word { high += 1 }
        return index[low..<high].map(\.name)
    }

    /// How many names start before token `k`.
    private func namesBefore(_ k: Int) -> Int { names.partitionPoint { $0.start < k } }

    /// The last name in `list` (ascending positions in `names`) among the first `count` names.
    private func last(in list: [Int], before count: Int) -> Name? {
        let end = list.partitionPoint { $0 < count }
        return end > 0 ? names[list[end - 1]] : nil
    }

    /// The last person named among the first `count` names whom `pronoun` can stand for: "she" not a
    /// man, "he" not a woman, as far as `GivenNames` can tell (looking back over at most 32 people,
    /// so that a long document stays linear); "who" anyone.
    private func lastPerson(before count: Int, for pronoun: UInt64) -> Name? {
        let unwanted: GivenNames.Sex = pronoun == Self.she ? .male : pronoun == Self.he ? .female : .unknown
        guard unwanted != .unknown else { return last(in: people, before: count) }
        let end = people.partitionPoint { $0 < count }
        var p = end
        while p > 0 && end - p < 32 {
            p -= 1
            let name = names[people[p]]
            if GivenNames.sex(ofNameAt: name.start, end: name.end, tokens: layer.tokens) != unwanted { return name }
        }
        return last(in: people, before: count)
    }

    private static let she = TermHash.ofTerm("she")
    private static let he = TermHash.ofTerm("he")

    /// True when the name's words are the tokens of `range`, or end with them.
    private func name(_ name: Name, endsWith range: Range<Int>) -> Bool {
        let tokens = layer.tokens
        guard name.end - name.start >= range.count else { return false }
        return zip(range, (name.end - range.count)..<name.end).allSatisfy { tokens[$0].hash == tokens[$1].hash }
    }

    private func isComma(_ k: Int) -> Bool {
        layer.tokens[k].kind == .punctuation && layer.bytes[layer.tokens[k].byteRange.lowerBound] == 0x2C
    }

    /// `business leaders who say …`, `experts, who warned …`: the words in lower case right before a
    /// relative "who" (and its comma), at most three, when "who" stands for them rather than for the
    /// last person named; nil when a name or anything else comes before it.
    private func commonNounBefore(_ who: Int) -> Range<Int>? {
        let tokens = layer.tokens
        var end = who
        if end > 0 && isComma(end - 1) { end -= 1 }
        func isCommonWord(_ k: Int) -> Bool {
            tokens[k].kind == .word && !tokens[k].flags.contains(.capitalized) && !lexicon.stops.contains(tokens[k].hash)
                && !lexicon.prepositions.contains(tokens[k].hash) && !lexicon.determiners.contains(tokens[k].hash)
        }
        guard end > 0, isCommonWord(end - 1) else { return nil }
        var start = end - 1
        while start > 0 && end - start < 3 && isCommonWord(start - 1) { start -= 1 }
        return start..<end
    }

    /// The name right before a relative "who" and its comma when it is one word, a surname (`Beck,
    /// who …`), or a place after "of" (`Gov. Larry Hogan of Maryland, who …`: the name before "of").
    /// A longer name is left to `lastPerson`, which knows a firm's name from a person's.
    private func nameBefore(_ who: Int) -> Range<Int>? {
        let tokens = layer.tokens
        guard who >= 2, isComma(who - 1) else { return nil }
        func isNameWord(_ k: Int) -> Bool { tokens[k].kind == .word && tokens[k].flags.contains(.capitalized) }
        func run(endingAt end: Int) -> Range<Int>? {
            var start = end
            while start > 0 && end - start < 4 && isNameWord(start - 1) { start -= 1 }
            while start < end && lexicon.speakerOpeners.contains(tokens[start].hash) { start += 1 }
            return start < end ? start..<end : nil
        }
        guard let name = run(endingAt: who - 1) else { return nil }
        if name.lowerBound >= 2 && tokens[name.lowerBound - 1].hash == QuoteLexicon.of, let person = run(endingAt: name.lowerBound - 1) {
            return person
        }
        return name.count == 1 ? name : nil
    }

    /// The fullest name for the speaker at `range`, or the mention itself when nothing better is known.
    func resolve(_ range: Range<Int>) -> String {
        let tokens = layer.tokens
        // Made only when it is the answer: a speaker resolved to another name (a pronoun, a surname, a
        // description) needs no string of its own, and each string is an allocation.
        func mention() -> String { layer.string(bytes: layer.byteRange(of: TokenRange(range.lowerBound, range.upperBound))) }
        // "Serikzhan Bilash, the head of …": the name before the appositive; but "the union's leader,
        // Mara Voss": a description, then the name after it.
        if let comma = range.first(where: { isComma($0) }),
           comma > range.lowerBound {
            var after = (comma + 1)..<range.upperBound
            while let last = after.last, tokens[last].kind == .punctuation { after = after.lowerBound..<last }
            let describes = range.lowerBound + 1 < comma && lexicon.determiners.contains(tokens[range.lowerBound].hash)
                && !tokens[range.lowerBound + 1].flags.contains(.capitalized)
            if describes && !after.isEmpty && after.allSatisfy({ tokens[$0].kind == .word && tokens[$0].flags.contains(.capitalized) }) {
                return resolve(after)
            }
            return resolve(range.lowerBound..<comma)
        }
        let first = tokens[range.lowerBound].hash
        let before = namesBefore(range.lowerBound)
        if range.count == 1 && first == QuoteLexicon.who, let antecedent = commonNounBefore(range.lowerBound) {
            return layer.string(bytes: layer.byteRange(of: TokenRange(antecedent.lowerBound, antecedent.upperBound)))
        }
        // `Beck, who has in the past described …`: a surname right before "who" is the one it stands for,
        // not the last name of two words or more (which that one-word name is not).
        if range.count == 1 && first == QuoteLexicon.who, let name = nameBefore(range.lowerBound) { return resolve(name) }
        if range.count == 1 && lexicon.personPronouns.contains(first) {
            // Closures, not `.map(text)`: a method passed as a function copies the resolver and its arrays.
            return lastPerson(before: before, for: first).map { text($0) } ?? mention()
        }
        if range.count == 1 && tokens[range.lowerBound].flags.contains(.capitalized) {
            // A surname: the latest full name ending with it, before or (rarely) after.
            let matching = names(with: first, in: byLastWord)
            return (last(in: matching, before: before) ?? matching.first.map { names[$0] }).map { text($0) } ?? mention()
        }
        if lexicon.determiners.contains(first) && range.count >= 2 && !tokens[range.lowerBound + 1].flags.contains(.capitalized) {
            let head = tokens[range.upperBound - 1].hash
            if let named = last(in: names(with: head, in: byWord), before: before) { return text(named) }
            if (Self.nameWordRoles[head] ?? 0) & Self.news != 0, let outlet = last(in: outlets, before: before) { return text(outlet) }
            return mention()
        }
        // A name written out in full: itself, or the latest earlier name that ends with it.
        if before < names.count, names[before].start == range.lowerBound, names[before].end - names[before].start == range.count,
           name(names[before], endsWith: range) {
            return mention()
        }
        // Looking back over at most 64 names with the same last word keeps a long document linear.
        let candidates = names(with: tokens[range.upperBound - 1].hash, in: byLastWord)
        let end = candidates.partitionPoint { $0 < before }
        var c = end
        while c > 0 && end - c < 64 {
            c -= 1
            let candidate = names[candidates[c]]
            if candidate.end - candidate.start > range.count && name(candidate, endsWith: range) { return text(candidate) }
        }
        return mention()
    }
}
