import AnalyticsKit

/// Finds quotes in a document's text layer: direct quotes between double quotation marks, reported
/// speech ("X said that ...", "..., X said.", "according to X"), and mixed quotes (reported speech
/// holding a quoted fragment), each with its speaker, cue and the speaker's fullest name.
///
/// One pass over the tokens for the marks, one over the sentences for the attributions: linear in the
/// length of the text.
struct QuoteFinder {
    let layer: TextLayer
    /// The word lists, held here so that each read is a load, not a lazily made global's check.
    private let lexicon = QuoteLexicon.shared
    private let tokens: [Token]
    /// The sentence each token belongs to.
    private let sentenceOf: [Int]

    init(layer: TextLayer) {
        self.layer = layer
        tokens = layer.tokens
        let count = layer.tokens.count
        // Both arrays written in place: they are filled for every token of every document.
        sentenceOf = [Int](capacity: count) { slots in
            slots.initialize(repeating: 0)  // the sentences cover every token; zeros keep it defined regardless
            for (s, sentence) in layer.sentences.enumerated() { for k in sentence.indices { slots[k] = s } }
            return count
        }
        // One lookup per word, here, rather than one per rule that asks; the table read once, not per token.
        let roleTable = lexicon.cueRoles
        let filter = lexicon.cueFilter
        // The words the loop compares with, in locals the loop keeps at hand.
        let pollNounWords = lexicon.pollNouns
        let (according, asked, when, who) = (QuoteLexicon.according, QuoteLexicon.asked, QuoteLexicon.when, QuoteLexicon.who)
        var askedCues: [Int] = [], relativeCues: [Int] = [], pollNouns: [Int] = [], accordings: [Int] = []
        // Where the words with a role are, so that the two passes below that may drop roles visit those
        // alone: each read every token of the document, 2,000 to 2,700 instructions a document.
        var cues: [Int] = [], capitalizedCues: [Int] = []
        // About one word in ten has a role: room for them at once, not in four or five regrowths.
        cues.reserveCapacity(count / 8)
        var cueRoles = layer.tokens.withUnsafeBufferPointer { tokens in
            [UInt8](capacity: count) { roles in
                for k in 0..<count {
                    let token = tokens[k]
                    // Every token is filtered (a branch on its kind was mispredicted); only words keep a role.
                    var role: UInt8 = 0
                    if filter.mayContain(token.hash) {
                        // The particles pass the filter too: `shot back` gives "back" the pair's role.
                        role = roleTable[token.hash].map { UInt8(truncatingIfNeeded: $0) }
                            ?? (k > 0 ? Self.particleRole(verb: tokens[k - 1].hash, particle: token.hash) ?? 0 : 0)
                        if role == 0 && pollNounWords.contains(token.hash) { pollNouns.append(k) }
                        if token.hash == according { accordings.append(k) }
                    }
                    roles[k] = token.kind == .word ? role : 0
                    if role != 0 && token.kind == .word {
                        cues.append(k)
                        if token.flags.contains(.capitalized) { capitalizedCues.append(k) }
                    }
                    // The few cues two rules start from, so that they need not look through every sentence.
                    if role != 0 && k > 0 {
                        if token.hash == asked && tokens[k - 1].hash == when { askedCues.append(k) }
                        if tokens[k - 1].hash == who { relativeCues.append(k) }
                    }
                }
                return count
            }
        }
        Self.dropCapitalizedCues(&cueRoles, layer: layer, sentenceOf: sentenceOf, capitalizedCues: capitalizedCues)
        Self.dropOtherUses(&cueRoles, layer: layer, cues: cues)
        self.cueRoles = cueRoles
        self.askedCues = askedCues
        self.relativeCues = relativeCues
        self.pollNouns = pollNouns
        self.accordings = accordings
        self.cues = cues
    }

    /// Where `when asked` has its "asked" (`whenAsked`), and where a cue follows "who" (`…, who says …`),
    /// in text order.
    private let askedCues: [Int], relativeCues: [Int]
    /// Where the words for a poll are (`pollFinding`), in text order.
    private let pollNouns: [Int]
    /// Where "according" is (`accordingTo`), in text order: looking through every sentence for it cost
    /// about 400 instructions a sentence.
    private let accordings: [Int]
    /// Where the words with a role were when the finder was made, in text order. Roles are only ever
    /// cleared after that, so a word with a role now is one of these (`hasCue`).
    private let cues: [Int]

    /// The last word from `high` down to `low` that has a role and satisfies `matches`, as
    /// `stride(from: high, through: low, by: -1).first(where:)` finds it, for a `matches` that only a
    /// word with a role can satisfy: found from `cues` rather than by reading every token's role.
    private func lastCue(from high: Int, through low: Int, where matches: (Int) -> Bool) -> Int? {
        guard low <= high else { return nil }
        return Self.last(of: cues, in: low..<(high + 1)) { cueRoles[$0] != 0 && matches($0) }
    }

    /// Whether a word in `range` has a role: found from `cues` rather than by reading every token's
    /// role, which cost about 200 instructions a sentence.
    private func hasCue(in range: Range<Int>) -> Bool {
        Self.first(of: cues, in: range) { cueRoles[$0] != 0 } != nil
    }

    /// The first of `positions` (in text order) inside `range` that satisfies `matches`.
    private static func first(of positions: [Int], in range: Range<Int>, where matches: (Int) -> Bool = { _ in true }) -> Int? {
        var i = positions.partitionPoint { $0 < range.lowerBound }
        while i < positions.count && positions[i] < range.upperBound {
            if matches(positions[i]) { return positions[i] }
            i += 1
        }
        return nil
    }

    /// The last of `positions` (in text order) inside `range` that satisfies `matches`.
    private static func last(of positions: [Int], in range: Range<Int>, where matches: (Int) -> Bool) -> Int? {
        var i = positions.partitionPoint { $0 < range.upperBound }
        while i > 0 && positions[i - 1] >= range.lowerBound {
            i -= 1
            if matches(positions[i]) { return positions[i] }
        }
        return nil
    }

    /// The role of a verb-and-particle cue (`shot back`, `pointed out`), which its particle carries.
    private static func particleRole(verb: UInt64, particle: UInt64) -> UInt8? {
        QuoteLexicon.particleCues.first { $0.verb == verb && $0.particle == particle }?.role
    }

    /// Drops the role of cue words used otherwise: a word in -s after a determiner, a number or a
    /// preposition is a plural noun ("his attacks", "the 12 states", "in the polls"), not a verb; one in
    /// -ed after a determiner, a preposition or a possessive is an adjective ("from noted scholars",
    /// "Rubio's proposed credit"); one who "showed up" showed nothing, and a "talk show host" is a noun.
    /// `cues` lists, ascending, every token with a role.
    private static func dropOtherUses(_ roles: inout [UInt8], layer: TextLayer, cues: [Int]) {
        let tokens = layer.tokens
        let lexicon = QuoteLexicon.shared
        for k in cues where k > 0 && roles[k] != 0 {
            if lexicon.showVerbs.contains(tokens[k].hash), (k + 1 < tokens.count && tokens[k + 1].hash == QuoteLexicon.up)
                || lexicon.showNounsBefore.contains(tokens[k - 1].hash) || (k + 1 < tokens.count && lexicon.showNounsAfter.contains(tokens[k + 1].hash)) {
                roles[k] = 0
                continue
            }
            let end = tokens[k].byteRange.upperBound
            let before = tokens[k - 1]
            switch layer.bytes[end - 1] {
            case 0x73:  // s
                if before.kind == .number || lexicon.nounMarkers.contains(before.hash) || lexicon.prepositions.contains(before.hash) {
                    roles[k] = 0
                }
            case 0x64 where layer.bytes[end - 2] == 0x65:  // ed
                if lexicon.adjectiveMarkers.contains(before.hash) || lexicon.prepositions.contains(before.hash)
                    || isPossessive(before, in: layer.folded) {
                    roles[k] = 0
                }
            default:
                break
            }
        }
    }

    /// Whether a word ends in 's or ’s (`Rubio’s`: the folded form has the straight apostrophe) and is
    /// no pronoun's contraction (`who’s called`).
    private static func isPossessive(_ token: Token, in folded: [UInt8]) -> Bool {
        let word = token.foldedRange
        return token.kind == .word && word.count >= 3 && folded[word.upperBound - 1] == 0x73 && folded[word.upperBound - 2] == 0x27
            && !QuoteLexicon.shared.contractedPronouns.contains(token.hash)
    }

    /// Inside running text a capitalised cue word is part of a name ("the United States", "Morning
    /// Reports"), not a verb; in a title-case headline ("Mayor Says Bridge Will Reopen") it stays a cue, and in
    /// capitals ("MAYOR SAYS") only when capitals go on after it. `capitalizedCues` lists, ascending,
    /// the capitalised words with a role: only their sentences are read.
    private static func dropCapitalizedCues(_ roles: inout [UInt8], layer: TextLayer, sentenceOf: [Int], capitalizedCues: [Int]) {
        let tokens = layer.tokens
        var lastSentence = -1
        for cue in capitalizedCues where sentenceOf[cue] != lastSentence && sentenceOf[cue] < layer.sentences.count {
            lastSentence = sentenceOf[cue]
            let indices = layer.sentences[lastSentence].indices
            guard let first = indices.first(where: { tokens[$0].kind == .word }),
                  indices.contains(where: { $0 > first && roles[$0] != 0 && tokens[$0].flags.contains(.capitalized) }) else { continue }
            // The words after the first, counted rather than listed: two arrays per such sentence.
            var words = 0, capitalized = 0
            for k in indices where k > first && tokens[k].kind == .word {
                words += 1
                if tokens[k].flags.contains(.capitalized) { capitalized += 1 }
            }
            let titleCase = words >= 3 && capitalized * 10 >= words * 6
            for k in indices where k > first && tokens[k].kind == .word && roles[k] != 0 && tokens[k].flags.contains(.capitalized) {
                if k > 0 && tokens[k - 1].kind == .quote { continue }  // the first word of a quote
                let next = (k + 1..<indices.upperBound).first { tokens[$0].kind == .word }
                let keep = tokens[k].flags.contains(.allCaps) ? next.map { tokens[$0].flags.contains(.allCaps) } ?? false : titleCase
                if !keep { roles[k] = 0 }
            }
        }
    }

    /// For each token, what it can cue (`QuoteLexicon.speech`, `.view`, `.participle` bits).
    private var cueRoles: [UInt8]

    /// A quote in token indices before it becomes output.
    struct Found {
        /// What the output calls "direct", "indirect" or "mixed": an enumeration, not the string
        /// itself, so that copying a quote as the rules refine it retains one array, not two.
        enum Kind: String {
            case direct, indirect, mixed
        }

        var kind: Kind
        var fragments: Fragments
        var speaker: Range<Int>?
        var cue: Range<Int>?
        /// Found between quotation marks (as opposed to reported speech found from its cue).
        var marked = true
    }

    /// The document's quotes. Mutating only while it looks for reported speech, which must not see
    /// the cues inside direct quotes: their roles are cleared for that search and put back after it.
    mutating func find() -> [Found] {
        var direct = directQuotes().map { Found(kind: .direct, fragments: Fragments($0), speaker: nil, cue: nil) }
        attribute(&direct)
        direct = mergeSplitQuotes(direct)
        direct = mergeContinuations(direct)
        // A short quoted phrase nobody is said to have said is a mention ("so-called"), not a quote.
        direct.removeAll { quote in
            quote.speaker == nil && quote.fragments.reduce(0) { $0 + $1.count { tokens[$0].kind != .quote } } < 4
        }
        attributeToSubjects(&direct)
        // Everything below looks quotes up by position (binary search, a cue index) so that a document
        // with tens of thousands of quotes stays linear.
        let covered = direct.flatMap { $0.fragments }.sorted { $0.lowerBound < $1.lowerBound }
        let starts = direct.map { $0.fragments[0].lowerBound }
        var quoteWithCueAt: [Int: Int] = [:]
        for (q, quote) in direct.enumerated() { for k in quote.cue ?? 0..<0 { quoteWithCueAt[k] = q } }
        var absorbed = [Bool](repeating: false, count: direct.count)
        var reported: [Found] = []
        // A cue inside a direct quote is the quoted speaker's word ("“The mayor says the bridge is safe,” Ruiz said"),
        // not the narrator's: reported speech is looked for outside the quotes.
        // Cleared here and put back below, rather than in a copy of the finder: the copy retained and
        // released each of its arrays and copied the roles (about 30 reference counts a document).
        var cleared: [(token: Int, role: UInt8)] = []
        for fragment in covered {
            for k in fragment where cueRoles[k] != 0 && mark(k) == nil {
                cleared.append((k, cueRoles[k]))
                cueRoles[k] = 0
            }
        }
        let indirects = reportedSpeech(avoiding: covered)
        for (k, role) in cleared { cueRoles[k] = role }
        reported.reserveCapacity(indirects.count)
        for indirect in indirects {
            let content = indirect.fragments[0]
            func holds(_ quote: Found) -> Bool { quote.fragments.allSatisfy { content.contains($0.lowerBound) && $0.upperBound <= content.upperBound } }
            // Reported speech whose cue already attributes a direct quote is that quote, not another one,
            // unless it holds the quote and more: `… against Beijing's “re-education camps”, the ministry said`.
            // Qualifiers set off before the quote are no more: `announced on her page, in capital letters, “…”`.
            let sharesACue = (indirect.cue ?? 0..<0).contains { k in
                guard let q = quoteWithCueAt[k] else { return false }
                let opening = direct[q].fragments[0].lowerBound
                // `“…,” the spokeswoman told POLITICO that Gore plans …`: what follows the cue's "that",
                // apart from the quote, is reported speech of its own.
                if content.lowerBound > k && tokens[content.lowerBound - 1].hash == QuoteLexicon.that
                    && direct[q].fragments.allSatisfy({ $0.upperBound <= content.lowerBound }) { return false }
                let onlyQualifiers = (isComma(opening - 1) || isColon(opening - 1)) && content.upperBound <= direct[q].fragments.last!.upperBound
                return onlyQualifiers || !(content.lowerBound < opening && holds(direct[q]))
            }
            if sharesACue { continue }
            // Reported speech that holds a quoted fragment is one mixed quote, not two.
            var found = indirect
            var q = starts.partitionPoint { $0 < content.lowerBound }
            while q < direct.count && starts[q] < content.upperBound {
                if !absorbed[q] && holds(direct[q]) { absorbed[q] = true; found.kind = .mixed }
                q += 1
            }
            if content.contains(where: { mark($0) != nil }) { found.kind = .mixed }
            reported.append(withThat(aroundParenthesis(found)))
        }
        // The direct quotes not absorbed, then the reported ones, sorted: in one array, where a filter,
        // a map, a concatenation and a sorted copy made four.
        var all: [Found] = []
        all.reserveCapacity(direct.count + reported.count)
        for q in direct.indices where !absorbed[q] { all.append(direct[q]) }
        all.append(contentsOf: reported)
        all.sort { $0.fragments[0].lowerBound < $1.fragments[0].lowerBound }
        attributeToPreviousSentence(&all)
        // `if let`, not `.flatMap(cleaned)`: a method passed as a function copies the finder, a retain and
        // a release for each of its arrays, per quote (about 700 instructions each).
        for q in all.indices { if let speaker = all[q].speaker { all[q].speaker = cleaned(speaker) } }
        return all
    }

    /// Reported speech split by its attribution, set off by commas inside the sentence (`The plan, Vik
    /// said, would cost more`, `The contrast, said Vik, would be clear`): the rules find one side of it,
    /// and the other side, from the sentence's start or to its end, is added as a second piece. Only a
    /// side without a quotation mark or a cue, which no other quote can hold, and without a clause of
    /// its own (`Few go undefeated, but at that point, …`); a side after the attribution only when it
    /// opens with a finite verb, as the rest of a clause does (not `…, said Vik, a professor of …`,
    /// `…, he said, on condition of anonymity`).
    private func aroundParenthesis(_ quote: Found) -> Found {
        guard quote.fragments.count == 1, let speaker = quote.speaker, let cue = quote.cue else { return quote }
        let content = quote.fragments[0]
        let attribution = min(speaker.lowerBound, cue.lowerBound)..<max(speaker.upperBound, cue.upperBound)
        guard attribution.lowerBound > 0, attribution.upperBound < tokens.count,
              isComma(attribution.lowerBound - 1), isComma(attribution.upperBound) else { return quote }
        // The commas and the attribution in one sentence (a paragraph may end at a comma).
        let sentence = layer.sentences[sentenceOf[attribution.lowerBound]]
        guard sentence.lowerBound < attribution.lowerBound, attribution.upperBound < sentence.upperBound else { return quote }
        func isFree(_ piece: Range<Int>) -> Bool {
            piece.count >= 2 && !piece.contains { k in
                mark(k) != nil || cueRoles[k] != 0 || tokens[k].kind == .quote
                    || isComma(k) && k + 1 < piece.upperBound && (lexicon.stops.contains(tokens[k + 1].hash))
            }
        }
        var widened = quote
        if content.lowerBound == attribution.upperBound + 1 {
            let before = trimmed(sentence.lowerBound..<(attribution.lowerBound - 1))
            guard isFree(before) else { return quote }
            widened.fragments = Fragments(before)
            widened.fragments.append(content)
        } else if content.upperBound <= attribution.lowerBound - 1 && trimmed(content.upperBound..<(attribution.lowerBound - 1)).isEmpty {
            let after = trimmed((attribution.upperBound + 1)..<sentence.upperBound)
            guard isFree(after), lexicon.finiteVerbs.contains(tokens[after.lowerBound].hash) else { return quote }
            widened.fragments.append(after)
        }
        return widened
    }

    /// Reported speech with the "that" that opens it after its cue (`said that the pier would close`,
    /// `told the court on Monday that …`): the rules step past it to find where the content starts, but
    /// the clause it opens is what was said, as PolNeAR marks it (1,815 of its train quotes open with it,
    /// 24 start right after it).
    private func withThat(_ quote: Found) -> Found {
        guard let cue = quote.cue, let first = quote.fragments.first, first.lowerBound - 1 >= cue.upperBound,
              tokens[first.lowerBound - 1].hash == QuoteLexicon.that else { return quote }
        var widened = quote
        widened.fragments = Fragments((first.lowerBound - 1)..<first.upperBound)
        widened.fragments.append(contentsOf: quote.fragments.dropFirst())
        return widened
    }

    /// A speaker phrase without the words a rule's walk may have taken in front of it: `When Trump`
    /// is Trump, `If the council` is the council. A phrase that is no speaker at all once those are
    /// gone (`seeking to`, `has long`, `of economic ills`, a lone quotation mark) is dropped.
    private func cleaned(_ speaker: Range<Int>) -> Range<Int>? {
        var start = speaker.lowerBound
        // A closing quotation mark a walk took in (`…not,” Clinton responded`) is no part of a name.
        while start < speaker.upperBound && tokens[start].kind == .quote { start += 1 }
        while start < speaker.upperBound && tokens[start].kind == .word && lexicon.speakerOpeners.contains(tokens[start].hash) { start += 1 }
        guard start < speaker.upperBound else { return nil }
        guard (start..<speaker.upperBound).contains(where: { tokens[$0].isWordLike }) else { return nil }
        return start..<speaker.upperBound
    }

    /// `Sand said that the ferry would keep running. / “It is the only road …”`: a quote that opens its sentence
    /// with no attribution of its own goes on from the sentence before, when that sentence reports
    /// someone's words or views: it gets that attribution's speaker, or that sentence's subject.
    private func attributeToPreviousSentence(_ quotes: inout [Found]) {
        for q in quotes.indices where quotes[q].speaker == nil && quotes[q].marked {
            let opening = quotes[q].fragments[0].lowerBound
            let sentence = sentenceOf[opening]
            guard sentence > 0, opening == layer.sentences[sentence].lowerBound else { continue }
            let previous = layer.sentences[sentence - 1]
            guard paragraphIndex(opening) - paragraphIndex(previous.lowerBound) <= 1 else { continue }
            if q > 0, let speaker = quotes[q - 1].speaker, let last = quotes[q - 1].fragments.last,
               sentenceOf[max(last.lowerBound, last.upperBound - 1)] == sentence - 1 {
                quotes[q].speaker = speaker
            } else if hasCue(in: previous.indices), let subject = subject(of: previous.indices) {
                quotes[q].speaker = subject
            }
        }
    }

    /// The fragments in sorted, disjoint `covered` that overlap `range`.
    private func fragments(_ covered: [Range<Int>], overlapping range: Range<Int>) -> ArraySlice<Range<Int>> {
        // Disjoint and sorted by start, so sorted by end too: find the first that ends after the range starts.
        let low = covered.partitionPoint { $0.upperBound <= range.lowerBound }
        var end = low
        while end < covered.count && covered[end].lowerBound < range.upperBound { end += 1 }
        return covered[low..<end]
    }

    // MARK: Direct quotes

    private enum Mark { case open, close, either }

    /// The quotation mark token `k` is, if any. Asked of nearly every token, most of them words: the
    /// kind is tested where it is asked, and only quote tokens pay for a call.
    @inline(__always) private func mark(_ k: Int) -> Mark? {
        tokens[k].kind == .quote ? quoteMark(k) : nil
    }

    private func quoteMark(_ k: Int) -> Mark? {
        let token = tokens[k]
        let b = layer.bytes[token.byteRange]
        if b.count == 1 {
            if b.first == 0x22 { return .either }  // '"'
            // Two apostrophes stand for a double mark in some newswire text (''Yes,'' he said); the pair
            // counts at its first apostrophe. A single one is an apostrophe or a nested quote.
            return b.first == 0x27 && isApostrophePair(k) ? .either : nil
        }
        if b.count == 3 && b[b.startIndex] == 0xE2 && b[b.startIndex + 1] == 0x80 {
            switch b[b.startIndex + 2] {
            case 0x9C, 0x9E: return .open  // “ „
            case 0x9D: return .close  // ”
            default: return nil
            }
        }
        if b.count == 2 && b[b.startIndex] == 0xC2 { return b[b.startIndex + 1] == 0xAB ? .open : (b[b.startIndex + 1] == 0xBB ? .close : nil) }
        return nil
    }

    /// Token ranges from an opening to its closing mark (both included). A quote may run over several
    /// paragraphs when each continuing paragraph opens with a mark; a mark that is never closed is dropped
    /// at the end of its paragraph, so a stray mark cannot swallow the rest of the text.
    private func directQuotes() -> [Range<Int>] {
        var quotes: [Range<Int>] = []
        var open: Int?
        for paragraph in layer.paragraphs {
            if let start = open {
                // Continue only if this paragraph opens with a mark (a quote running over paragraphs).
                if let first = paragraph.indices.first, mark(first) == .open || mark(first) == .either {
                    _ = start
                } else {
                    open = nil
                }
            }
            for k in paragraph.indices {
                guard let m = mark(k) else { continue }
                let opens = m == .open || (m == .either && (tokens[k].flags.contains(.spaceBefore) || k == paragraph.lowerBound || open == nil && !isWordBefore(k)))
                if let start = open {
                    let next = afterMark(k)
                    // Typed the wrong way round: an opening mark glued to the words before it closes
                    // (`late again,“ said Whit`), and so does a straight mark standing alone between spaces
                    // after a nested quote (`'Why now?' " Benn said`).
                    let standsAlone = tokens[k].flags.contains(.spaceBefore) && k > start + 1 && tokens[k - 1].kind == .quote
                        && (next >= tokens.count || tokens[next].flags.contains(.spaceBefore))
                    let gluedOpen = m == .open && !tokens[k].flags.contains(.spaceBefore) && k > start + 1
                        && (next >= tokens.count || tokens[next].flags.contains(.spaceBefore))
                    if m == .close || gluedOpen || (m == .either && (!opens || standsAlone))
                        || (m == .either && next < tokens.count && !tokens[next].flags.contains(.spaceBefore) && tokens[next].kind == .punctuation) {
                        quotes.append(start..<next)
                        open = nil
                    } else if k == paragraph.lowerBound {
                        continue  // the continuation mark of a quote running over paragraphs
                    }
                } else if opens || m == .open {
                    open = k
                }
            }
            if let start = open, let last = paragraph.indices.last, start > last { open = nil }
        }
        // `<tweet author="@vik">`: marks glued after "=" hold a markup attribute's value, not words.
        func isAttributeValue(_ quote: Range<Int>) -> Bool {
            let opening = quote.lowerBound
            return opening > 0 && !tokens[opening].flags.contains(.spaceBefore) && tokens[opening - 1].byteRange.count == 1
                && layer.bytes[tokens[opening - 1].byteRange.lowerBound] == 0x3D
        }
        return quotes.filter { $0.count > 2 && !isAttributeValue($0) }
    }

    private func isApostrophePair(_ k: Int) -> Bool {
        func isApostrophe(_ j: Int) -> Bool {
            tokens[j].kind == .quote && tokens[j].byteRange.count == 1 && layer.bytes[tokens[j].byteRange.lowerBound] == 0x27
        }
        func isGluedApostrophe(_ j: Int) -> Bool { isApostrophe(j) && !tokens[j].flags.contains(.spaceBefore) }
        // The second of a pair is not a mark itself: the pair before it already counted.
        return k + 1 < tokens.count && isGluedApostrophe(k + 1) && !(k > 0 && isApostrophe(k - 1) && isGluedApostrophe(k))
    }

    /// The token after a mark: two for an apostrophe pair.
    private func afterMark(_ k: Int) -> Int {
        layer.bytes[tokens[k].byteRange.lowerBound] == 0x27 ? k + 2 : k + 1
    }

    private func isWordBefore(_ k: Int) -> Bool {
        k > 0 && tokens[k - 1].isWordLike && !tokens[k].flags.contains(.spaceBefore)
    }

    // MARK: Attribution

    // The predicates here are passed as closures (`first(where: { isComma($0) })`), not by name
    // (`first(where: isComma)`): a method reference copies the whole finder, a retain per array, per call.
    private func isCue(_ k: Int) -> Bool { cueRoles[k] & QuoteLexicon.speech != 0 }
    /// A cue of a quote right beside it: the speech verbs and those that only attribute direct quotes.
    private func isDirectCue(_ k: Int) -> Bool { cueRoles[k] & (QuoteLexicon.speech | QuoteLexicon.direct) != 0 }

    /// Finds cue and speaker beside each direct quote: after it in the same sentence ("…,” X said /
    /// said X), else before it ("X said: “…”").
    private func attribute(_ quotes: inout [Found]) {
        for q in quotes.indices {
            let range = quotes[q].fragments[0]
            if let (speaker, cue) = dashAttribution(after: range.upperBound) ?? attributionAfter(range.upperBound) ?? attributionBefore(range.lowerBound) {
                quotes[q].speaker = speaker
                quotes[q].cue = cue
            }
        }
    }

    /// `“…” ― Maren Solberg` / `“…”\n\n- Petra Lind.`: a dash and a name standing alone after the
    /// quote, the way collected quotes and embedded posts are signed.
    private func dashAttribution(after end: Int) -> (Range<Int>, Range<Int>)? {
        var dash = end
        while dash < tokens.count && isPunctuation(dash, 0x2E) { dash += 1 }
        guard dash < tokens.count, isDash(dash), let name = nounPhrase(from: dash + 1),
              tokens[name.lowerBound].flags.contains(.capitalized) else { return nil }
        let after = name.upperBound
        let standsAlone = after >= tokens.count || tokens[after].flags.contains(.newlineBefore) || isComma(after)
            || isPunctuation(after, 0x2E) || isPunctuation(after, 0x28)
        return standsAlone ? (name, dash..<(dash + 1)) : nil
    }

    /// `…,” Bilash said` / `…,” said Bilash` / `…,” Bilash was cited as saying`.
    private func attributionAfter(_ start: Int) -> (Range<Int>, Range<Int>)? {
        var k = start
        // `…bomb them,''' said McCain`: a nested quote's closing mark glued after the quote's own.
        while k < tokens.count && k < start + 2 && tokens[k].kind == .quote && !tokens[k].flags.contains(.spaceBefore) { k += 1 }
        while isComma(k) { k += 1 }
        // The attribution belongs to the sentence the quote ends in; after "?”" or "!”" the splitter has
        // started a new sentence, but a name and a cue that follow still attribute the quote.
        guard k < tokens.count, start > 1 else { return nil }
        // `…“let the Tories in”, while the Tories say …`: a clause of its own follows, with its own words.
        if lexicon.clauseConjunctions.contains(tokens[k].hash) { return nil }
        // A nested quote closing with it (`?’”`): a few marks at most. Unbounded, the walk went back over
        // every mark of a text made of marks, once per quote: quadratic.
        var last = start - 2
        while last > 0 && last > start - 6 && tokens[last].kind == .quote { last -= 1 }
        let endsInEmphasis = tokens[last].kind == .punctuation && [0x21, 0x3F].contains(layer.bytes[tokens[last].byteRange.lowerBound])
        let endsInPeriod = tokens[last].kind == .punctuation && layer.bytes[tokens[last].byteRange.lowerBound] == 0x2E
        let nextSentence = sentenceOf[k] == sentenceOf[start - 1] + 1 && paragraphIndex(k) == paragraphIndex(start - 1)
        guard sentenceOf[k] == sentenceOf[start - 1] || (nextSentence && (endsInEmphasis || endsInPeriod)) else { return nil }
        // An appositive may stand between the name and the cue: `…,” Terry Rowe, who has fished the
        // banks for thirty years, said`; then the speaker is the name before the first comma.
        let limit = min(tokens.count, k + 30)
        var c = k
        var firstComma: Int?
        while c < limit && !isDirectCue(c) {
            // A possessive’s apostrophe ("the Joneses’ lawyer") is not a quote mark.
            if mark(c) != nil || isSentenceEnd(c) { return nil }
            if isComma(c) && firstComma == nil { firstComma = c }
            c += 1
        }
        guard c < limit else { return nil }
        if c - k > 12 {
            // `…,” the economist Jared Bern, a former adviser to the board, wrote`: a name or a
            // description, then its appositive up to the comma before the cue.
            guard let comma = firstComma, comma > k, isComma(c - 1),
                  tokens[k].flags.contains(.capitalized) || lexicon.determiners.contains(tokens[k].hash) else { return nil }
        }
        // After a sentence that ended inside the quote, only a bare attribution follows: `…in May.” Halvorsen said.`
        if sentenceOf[k] != sentenceOf[start - 1] && endsInPeriod && !endsInEmphasis {
            let end = layer.sentences[sentenceOf[k]].upperBound
            guard end - c <= 3 else { return nil }
        }
        if c == k || cueStart(of: c, notBefore: k) == k {  // cue first: "said Bilash", "fired back Bilash", "also said Bilash"
            // Not `…,” said in an interview`: a preposition opens a qualifier, not a speaker.
            guard let speaker = nounPhrase(from: c + 1), !lexicon.prepositions.contains(tokens[speaker.lowerBound].hash) else { return nil }
            return (speaker, k..<(c + 1))
        }
        // `“…” for the town, said Ostby.`: words that go on from the quote, then the cue and the speaker after it.
        if isComma(c - 1), !tokens[k].flags.contains(.capitalized), !lexicon.pronouns.contains(tokens[k].hash),
           let speaker = nounPhrase(from: c + 1), tokens[speaker.lowerBound].flags.contains(.capitalized),
           !lexicon.calendarWords.contains(tokens[speaker.lowerBound].hash) {
            return (speaker, c..<(c + 1))
        }
        // Speaker, then maybe auxiliaries ("was quoted as"), then the cue.
        let cueStart = cueStart(of: c, notBefore: k)
        // `…ever “attacked” Clinton, and said …`: a verb after "and" is the sentence subject's second
        // verb, and the words before it are no speaker.
        guard cueStart > k, !lexicon.verbConjunctions.contains(tokens[cueStart - 1].hash) else { return nil }
        var speaker = trimmed(k..<cueStart)
        if speaker.count > 12, let comma = firstComma { speaker = trimmed(k..<comma) }
        guard !speaker.isEmpty, speaker.count <= 12 else { return nil }
        return (speaker, cueStart..<(c + 1))
    }

    /// `Bilash said: “…”` / `Bilash told reporters, “…”`.
    private func attributionBefore(_ end: Int) -> (Range<Int>, Range<Int>)? {
        if let putIt = putIt(end) { return putIt }
        var c = end - 1
        let limit = max(0, end - 16)
        while c >= limit {
            if isDirectCue(c) { break }
            if mark(c) != nil || (c < end - 1 && isSentenceEnd(c)) { return nil }
            c -= 1
        }
        guard c >= limit, isDirectCue(c) else { return namedBeforeColon(end) }
        // Only ":", ",", "that" or the hearer ("told reporters") may stand between cue and quote; with
        // more words the quoted words are a fragment inside reported speech (a mixed quote).
        let between = (c + 1)..<end
        var short = between.count <= 2 && between.allSatisfy({ tokens[$0].kind == .punctuation || tokens[$0].hash == QuoteLexicon.that
            || lexicon.hearers.contains(tokens[$0].hash) })
        // `As one employee told Palo Alto Weekly, “…”`: the one told, then a comma or colon.
        if !short, lexicon.tellVerbs.contains(tokens[c].hash), let hearer = hearer(from: c + 1, in: (c + 1)..<end),
           hearer.upperBound == end - 1, isComma(end - 1) || isColon(end - 1) {
            short = true
        }
        // Or qualifiers, each set off by a comma, the last by a comma or colon: `said on Monday in Bergen,
        // “…”`, `wrote of the council, “…”`, `announced on her page, in capital letters, “…”`.
        func opensQualifier(_ k: Int) -> Bool {
            lexicon.qualifiers.contains(tokens[k].hash) || lexicon.openingPrepositions.contains(tokens[k].hash)
                || tokens[k].hash == QuoteLexicon.of
        }
        let qualified = between.count >= 2 && (isComma(end - 1) || isColon(end - 1)) && opensQualifier(c + 1)
            && !between.dropLast().contains(where: { isColon($0) || isComma($0) && ($0 + 1 >= end - 1 || !opensQualifier($0 + 1)) })
        // `Added Dora Finch, who runs the bakery, “…”` / `Continued Hale: “…”`: the cue opens the sentence.
        if !short && !qualified && c == layer.sentences[sentenceOf[c]].lowerBound && (isComma(end - 1) || isColon(end - 1)),
           let speaker = nounPhrase(from: c + 1), speaker.upperBound <= end - 1, tokens[speaker.lowerBound].flags.contains(.capitalized) {
            return (speaker, c..<(c + 1))
        }
        guard short || qualified else { return nil }
        let cueStart = cueStart(of: c, notBefore: 0)
        // `Berg said she believes “…”`: the belief is the reported speaker's, who is the one quoted.
        if cueStart == c, c >= 2, lexicon.pronouns.contains(tokens[c - 1].hash), isCue(c - 2), cueRoles[c] & QuoteLexicon.direct == 0 {
            let outerStart = self.cueStart(of: c - 2, notBefore: 0)
            if let outer = nounPhrase(endingAt: outerStart), !lexicon.pronouns.contains(tokens[outer.lowerBound].hash) {
                return (outer, outerStart..<(c - 1))
            }
        }
        // `Paul interjected, calling the credit “a welfare payment.”`: the participle speaks for the subject.
        // `The coach ended the meeting by saying “Enough.”`: so does any participle without an auxiliary.
        let participle = isParticiple(cueStart) && (isComma(cueStart - 1) || cueStart == c)
        guard let speaker = participle ? subject(of: layer.sentences[sentenceOf[cueStart]].indices) : nounPhrase(endingAt: cueStart)
        else { return nil }
        return (speaker, cueStart..<(c + 1))
    }

    /// `As Ann Lie put it: “…”`, `as the prosecutor put it, “…”`: the idiom is the cue, the words before it the speaker.
    private func putIt(_ end: Int) -> (Range<Int>, Range<Int>)? {
        guard end >= 4, isColon(end - 1) || isComma(end - 1), tokens[end - 2].hash == QuoteLexicon.it,
              tokens[end - 3].hash == QuoteLexicon.put || tokens[end - 3].hash == QuoteLexicon.puts
        else { return nil }
        let cueStart = cueStart(of: end - 3, notBefore: layer.sentences[sentenceOf[end - 3]].lowerBound)  // "as Vik recently put it"
        guard let speaker = nounPhrase(endingAt: cueStart) else { return nil }
        return (speaker, cueStart..<(end - 1))
    }

    /// `… says harbour master Ann Lie: “…”`: a name right before a colon that opens the quote.
    private func namedBeforeColon(_ end: Int) -> (Range<Int>, Range<Int>)? {
        let colon = end - 1
        guard colon > 0, isColon(colon) else { return nil }
        var start = colon
        while start > 0 && colon - start < 4 && tokens[start - 1].kind == .word && tokens[start - 1].flags.contains(.capitalized)
                && sentenceOf[start - 1] == sentenceOf[colon] { start -= 1 }
        guard start < colon, !lexicon.headlineLabels.contains(tokens[start].hash) else { return nil }
        return (start..<colon, colon..<(colon + 1))
    }

    /// `“We will,” she said, “win.”`: a quote right after another's attribution in the same sentence is
    /// the same quote's second piece.
    private func mergeSplitQuotes(_ quotes: [Found]) -> [Found] {
        var merged: [Found] = []
        merged.reserveCapacity(quotes.count)  // one allocation, not one per doubling
        for quote in quotes {
            if var last = merged.last, let cue = last.cue, let lastFragment = last.fragments.last,
               cue.lowerBound > lastFragment.upperBound, quote.fragments[0].lowerBound > cue.upperBound,
               quote.fragments[0].lowerBound - max(cue.upperBound, last.speaker?.upperBound ?? 0) <= 2,
               sentenceOf[lastFragment.upperBound - 1] == sentenceOf[quote.fragments[0].lowerBound] || quote.speaker == nil
                || quote.cue == cue {  // `“…,” X said. “…”`: both pieces found the same attribution
                last.fragments.append(quote.fragments[0])
                merged[merged.count - 1] = last
                continue
            }
            merged.append(quote)
        }
        return merged
    }

    /// A quote with no attribution of its own right after a quote by someone (in the same or the next
    /// paragraph) continues that person's words, a common convention in news: it becomes one more
    /// fragment of that quote, or, quoted inside the narrator's sentence, gets that speaker.
    private func mergeContinuations(_ quotes: [Found]) -> [Found] {
        var merged: [Found] = []
        merged.reserveCapacity(quotes.count)
        for quote in quotes {
            let opening = quote.fragments[0].lowerBound
            guard quote.speaker == nil, var previous = merged.last, let speaker = previous.speaker, let last = previous.fragments.last,
                  paragraphIndex(opening) - paragraphIndex(last.upperBound - 1) <= 1 else {
                merged.append(quote)
                continue
            }
            // A quote that opens its sentence continues the quote before; a phrase quoted inside the
            // narrator's sentence stays a quote of its own, most likely by the same speaker.
            if opening == layer.sentences[sentenceOf[opening]].indices.lowerBound {
                previous.fragments.append(contentsOf: quote.fragments)
                merged[merged.count - 1] = previous
            } else {
                merged.append(Found(kind: quote.kind, fragments: quote.fragments, speaker: speaker, cue: nil))
            }
        }
        return merged
    }

    /// `The mayor mocked the plan as “a bridge to nowhere”`: words quoted inside a narrator's sentence with no
    /// cue of their own are the sentence subject's words, reported with a quoted fragment (mixed).
    private func attributeToSubjects(_ quotes: inout [Found]) {
        for q in quotes.indices where quotes[q].cue == nil {
            let opening = quotes[q].fragments[0].lowerBound
            var sentence = layer.sentences[sentenceOf[opening]].indices
            // `X released the following statement:` and the quote in the next paragraph.
            if opening == sentence.lowerBound && opening > 0 && isColon(opening - 1) {
                sentence = layer.sentences[sentenceOf[opening - 1]].indices
            }
            guard opening > sentence.lowerBound else { continue }
            // `…, Marisa Kwan, who said that building a factory was “the hardest thing …”`: the relative
            // clause's speaker (resolved to the person named before it), not the sentence's subject.
            if let who = stride(from: opening - 2, through: max(sentence.lowerBound, opening - 16), by: -1).first(where: {
                tokens[$0].hash == QuoteLexicon.who && cueRoles[$0 + 1] & QuoteLexicon.speech != 0 && !isParticiple($0 + 1)
            }) {
                quotes[q].speaker = who..<(who + 1)
                quotes[q].cue = (who + 1)..<(who + 2)
                quotes[q].kind = .mixed
                continue
            }
            guard let subject = subject(of: sentence), subject.upperBound < opening else { continue }
            quotes[q].speaker = subject
            quotes[q].kind = .mixed
        }
    }

    /// The sentence's subject when it opens with a pronoun or a capitalized name (after "And", "But", or
    /// after an opening phrase and its comma: "On Twitter, Jeb Bush called …").
    private func subject(of sentence: Range<Int>) -> Range<Int>? {
        let first = mainClauseStart(of: sentence)
        // `The veteran skipper told …`: a description is the subject when a speech verb follows it.
        if first < sentence.upperBound, tokens[first].flags.contains(.capitalized), lexicon.determiners.contains(tokens[first].hash),
           let phrase = nounPhrase(from: first), phrase.count >= 2, phrase.upperBound < sentence.upperBound, isCue(phrase.upperBound) {
            return phrase
        }
        guard first < sentence.upperBound, tokens[first].kind == .word, !isParticiple(first),
              !lexicon.notSubjects.contains(tokens[first].hash),
              tokens[first].flags.contains(.capitalized) || lexicon.pronouns.contains(tokens[first].hash),
              // "The Port Authority", not "The council": a determiner only before a name.
              !lexicon.determiners.contains(tokens[first].hash)
                || (first + 1 < sentence.upperBound && tokens[first + 1].flags.contains(.capitalized)),
              !lexicon.stops.contains(tokens[first].hash),
              var phrase = lexicon.determiners.contains(tokens[first].hash) ? capitalizedRun(after: first) : nounPhrase(from: first),
              phrase.upperBound < sentence.upperBound else { return nil }
        // `Florida Gov. Rick Scott (R) blasted …`: a parenthesis after the name belongs to it.
        if isPunctuation(phrase.upperBound, 0x28),
           let close = (phrase.upperBound..<min(sentence.upperBound, phrase.upperBound + 14)).first(where: { isPunctuation($0, 0x29) }),
           close + 1 < sentence.upperBound {
            phrase = phrase.lowerBound..<(close + 1)
        }
        guard tokens[phrase.upperBound].kind == .word || isComma(phrase.upperBound) else { return nil }
        return phrase
    }

    /// `Some senators vented about … and said …`: a determiner and a noun opening the main clause (or
    /// two words when a verb in -ed follows them, `The local council voted`), a word after them.
    /// Only for a speech verb after "and", which needs a subject where `subject(of:)` wants a name.
    private func describedSubject(of sentence: Range<Int>, startingAt first: Int) -> Range<Int>? {
        guard first + 2 < sentence.upperBound, lexicon.determiners.contains(tokens[first].hash),
              tokens[first + 1].kind == .word, tokens[first + 2].kind == .word,
              !lexicon.prepositions.contains(tokens[first + 1].hash), !lexicon.stops.contains(tokens[first + 1].hash) else { return nil }
        if first + 3 < sentence.upperBound && tokens[first + 3].kind == .word && isPastParticiple(first + 3) && !isPastParticiple(first + 2) {
            return first..<(first + 3)
        }
        return first..<(first + 2)
    }

    /// Where the sentence's main clause starts: after a dateline, an opening conjunction, and opening
    /// phrases up to their comma.
    private func mainClauseStart(of sentence: Range<Int>) -> Int {
        var first = sentence.lowerBound
        // A dateline: `OSLO, May 3 (Wire) — The authority …`.
        if first < sentence.upperBound, tokens[first].flags.contains(.allCaps),
           let dash = (first..<min(sentence.upperBound, first + 12)).first(where: { isDash($0) }) {
            first = dash + 1
        }
        // One or two: `And then Trump went on the attack`, `But still, …`.
        let afterDateline = first
        while first < sentence.upperBound && first < afterDateline + 2 && lexicon.openingConjunctions.contains(tokens[first].hash) { first += 1 }
        // Opening phrases up to their comma: `On Twitter,`, `Hours later,`, `Tuesday at the rally,`, and a
        // place set off by commas after them (`Speaking in Tromsø, Norway, the minister …`).
        var skipped = 0
        while skipped < 3, first < sentence.upperBound, opensAdverbial(first, skipped: skipped > 0, in: sentence),
              let comma = (first..<min(sentence.upperBound, first + 20)).first(where: { isComma($0) }) {
            first = comma + 1
            skipped += 1
        }
        return first
    }

    /// True when the words from `k` open an adverbial phrase rather than the subject: a preposition or
    /// participle, a day or month, an adverb in -ly, a time phrase ("Hours later"), or, after a phrase
    /// already skipped, a place of at most three capitalised words closed by a comma.
    private func opensAdverbial(_ k: Int, skipped: Bool, in sentence: Range<Int>) -> Bool {
        let hash = tokens[k].hash
        if lexicon.openingPrepositions.contains(hash) || isParticiple(k) || lexicon.calendarWords.contains(hash) { return true }
        if isAdverb(k) { return isComma(k + 1) }  // "Specifically," "Domestically,"
        if (k..<min(sentence.upperBound, k + 3)).contains(where: { lexicon.timeAdverbs.contains(tokens[$0].hash) }) { return true }
        if skipped, let comma = (k..<min(sentence.upperBound, k + 4)).first(where: { isComma($0) }), comma > k,
           (k..<comma).allSatisfy({ tokens[$0].kind == .word && tokens[$0].flags.contains(.capitalized) }) {
            return comma + 1 < sentence.upperBound && tokens[comma + 1].kind == .word
        }
        return false
    }

    /// Where the cue at `c` starts, back over a particle's verb (`shot back`), auxiliaries, modals and adverbs ("was quoted as saying",
    /// "has repeatedly said", "did not say") and a verb or adjective that takes "to" ("declined to say",
    /// "wants to know", "were more likely to say"), not before `low`.
    private func cueStart(of c: Int, notBefore low: Int) -> Int {
        let leads = lexicon.cueLeads
        func role(_ k: Int) -> UInt8 {
            guard var bits = leads[tokens[k].hash].map({ UInt8(truncatingIfNeeded: $0) }) else { return 0 }
            // A capitalised modal is a name (`Theresa May said`), except other modals opening a sentence (`Don't`).
            if bits & QuoteLexicon.modal != 0 && tokens[k].flags.contains(.capitalized)
                && (tokens[k].hash == QuoteLexicon.may || k != layer.sentences[sentenceOf[k]].lowerBound) { bits &= ~QuoteLexicon.modal }
            return bits
        }
        // `shot back`, `pointed out`: the cue found is the particle, and starts at its verb.
        var start = c > low && cueRoles[c] != 0 && QuoteLexicon.isParticle(tokens[c].hash)
            && Self.particleRole(verb: tokens[c - 1].hash, particle: tokens[c].hash) != nil ? c - 1 : c
        func skipAuxiliaries() {
            while start > low && (role(start - 1) & (QuoteLexicon.auxiliary | QuoteLexicon.modal) != 0 || isAdverb(start - 1)) { start -= 1 }
        }
        skipAuxiliaries()
        if start - 2 >= low && tokens[start - 1].hash == QuoteLexicon.to {
            var verb = start - 2
            if verb > low && role(verb) & QuoteLexicon.modal != 0 { verb -= 1 }  // "threatened not to"
            if role(verb) & QuoteLexicon.control != 0 {
                start = verb
                // "were slightly more likely to say", "should be able to expect"
                while start > low && role(start - 1) & QuoteLexicon.degree != 0 { start -= 1 }
                skipAuxiliaries()
            }
        }
        return start
    }

    /// A verb in the past tense, which no noun is: in -ed, or `said`, `told` and the like.
    private func isPastTense(_ k: Int) -> Bool {
        isPastParticiple(k) || lexicon.irregularPasts.contains(tokens[k].hash)
    }

    /// A word in -ly of more than five letters ("clearly", "Specifically"): an adverb, not part of a name.
    private func isAdverb(_ k: Int) -> Bool {
        let range = tokens[k].byteRange
        return tokens[k].kind == .word && range.count > 5 && layer.bytes[range.upperBound - 2] == 0x6C && layer.bytes[range.upperBound - 1] == 0x79
    }

    private func isDash(_ k: Int) -> Bool {
        guard tokens[k].kind == .punctuation else { return false }
        let start = tokens[k].byteRange.lowerBound
        return layer.bytes[start] == 0x2D || (layer.bytes[start] == 0xE2 && tokens[k].byteCount == 3 && layer.bytes[start + 1] == 0x80
            && (0x93...0x95).contains(layer.bytes[start + 2]))
    }

    private func paragraphIndex(_ k: Int) -> Int {
        var low = 0
        var high = layer.paragraphs.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if layer.paragraphs[mid].lowerBound <= k { low = mid } else { high = mid - 1 }
        }
        return low
    }

    // MARK: Reported speech

    /// `X said (that) …`, `…, X said.`, `according to X, …` and `…, according to X.`: the first pattern
    /// that matches a sentence, then one more quote for each coordinated reporting clause in its content.
    private func reportedSpeech(avoiding covered: [Range<Int>]) -> [Found] {
        var found: [Found] = []
        // Mostly one per sentence or none; bounded, so that a long document's list grows only with what it finds.
        found.reserveCapacity(min(layer.sentences.count, 32))
        for sentence in layer.sentences {
            var words = sentence.indices
            if words.isEmpty || fragments(covered, overlapping: words).contains(where: { $0.lowerBound <= words.lowerBound && $0.upperBound >= words.upperBound }) { continue }
            // `Asked whether …, the mayor said …`: the question is a quote of its own, then the rest.
            if let (question, rest) = askedOpening(words) {
                if fragments(covered, overlapping: question.fragments[0]).isEmpty { found.append(question) }
                words = rest
            }
            // The last four patterns start from a cue word, which most sentences lack.
            let hasCue = hasCue(in: words)
            let sentenceFirst = found.count
            // `…, Nunberg said when asked how …`: the question, added after the sentence's other quotes
            // unless one of them holds it.
            let question = whenAsked(words)
            func addQuestion() {
                guard let question, fragments(covered, overlapping: question.fragments[0]).isEmpty else { return }
                // A cue before it may have taken "when asked how …" as what was said (`…, Nunberg said when
                // asked how …`, where that cue is the direct quote's and the reading is dropped later): that
                // reading does not hold the question.
                let when = question.cue!.lowerBound - 1
                guard !found[sentenceFirst...].contains(where: {
                    $0.fragments[0].lowerBound != when && $0.fragments[0].overlaps(question.fragments[0])
                }) else { return }
                found.append(question)
            }
            // `Graham, who says allies should send troops, tweeted that …`: the relative clause's speech,
            // set off by commas before the main clause's cue (which took the sentence's quote).
            func addRelativeClause() {
                guard words.count > 4, let cue = Self.first(of: relativeCues, in: (words.lowerBound + 2)..<min(words.upperBound, words.lowerBound + 21)),
                      cueRoles[cue] & QuoteLexicon.speech != 0, isComma(cue - 2) else { return }
                let who = cue - 1
                guard who + 3 < words.upperBound,
                      tokens[who + 2].hash != QuoteLexicon.to, tokens[who + 3].hash != QuoteLexicon.to,  // `who asked (not) to be named`
                      let close = ((who + 3)..<min(words.upperBound, who + 40)).first(where: { isComma($0) || mark($0) != nil }),
                      isComma(close), close + 1 < words.upperBound, (close + 1..<min(words.upperBound, close + 4)).contains(where: { isCue($0) }),
                      let quote = reported(by: who..<(who + 1), cue: (who + 1)..<(who + 2), from: contentStart(afterCue: who + 1, in: words), to: close),
                      !found[sentenceFirst...].contains(where: { $0.fragments[0].overlaps(quote.fragments[0]) }),
                      fragments(covered, overlapping: quote.fragments[0]).isEmpty else { return }
                found.append(quote)
            }
            // `While one company says there are 2,400, another says …`: the opening clause's own speech,
            // when the sentence's quote came from the main clause.
            func addOpeningClause() {
                guard let first = words.first, lexicon.subordinators.contains(tokens[first].hash) || tokens[first].hash == QuoteLexicon.while,
                      let comma = words.prefix(25).first(where: { isComma($0) }), comma - first >= 4,
                      !found[sentenceFirst...].contains(where: { $0.fragments[0].lowerBound < comma }),
                      let opening = speakerCueContent(first..<comma), let cue = opening.cue, cue.lowerBound > first,
                      fragments(covered, overlapping: opening.fragments[0]).isEmpty else { return }
                found.append(opening)
            }
            guard var quote = accordingTo(words) ?? headlineSpeakerColon(words)
                ?? (hasCue ? asSpeakerCue(words) ?? contentSpeakerCue(words) ?? speakerCueContent(words) ?? subjectParticipleContent(words) : nil)
            else {
                if let finding = pollFinding(words), fragments(covered, overlapping: finding.fragments[0]).isEmpty { found.append(finding) }
                addQuestion()
                continue
            }
            // `The mayor said A, but the council said B`: each clause with a speaker and a cue of its
            // own is a quote of its own.
            while true {
                let clause = quote.cue.flatMap { nextReportingClause(after: $0.upperBound, in: quote.fragments[0]) }
                if let clause { quote.fragments = Fragments(trimmed(quote.fragments[0].lowerBound..<clause.boundary)) }
                let content = quote.fragments[0]
                let overlapping = fragments(covered, overlapping: content)
                if !content.isEmpty && (overlapping.isEmpty || overlapping.contains(where: { $0.lowerBound >= content.lowerBound && $0.upperBound <= content.upperBound })) {
                    found.append(quote)
                }
                // `…, Spicer said, adding that …`: content before the cue, then a participle of the same speaker.
                if clause == nil, let cue = quote.cue, let speaker = quote.speaker, content.upperBound <= cue.lowerBound,
                   cue.upperBound + 1 < words.upperBound, isComma(cue.upperBound), isParticiple(cue.upperBound + 1),
                   cueRoles[cue.upperBound + 1] & QuoteLexicon.participle != 0,
                   let next = reported(by: speaker, cue: (cue.upperBound + 1)..<(cue.upperBound + 2),
                                       from: contentStart(afterCue: cue.upperBound + 1, in: words), to: words.upperBound) {
                    quote = next
                    continue
                }
                guard let clause else { break }
                if isCue(clause.start), let speaker = quote.speaker {
                    // The same speaker's second cue.
                    guard let next = reported(by: speaker, cue: clause.start..<(clause.start + 1),
                                              from: contentStart(afterCue: clause.start, in: words), to: words.upperBound) else { break }
                    quote = next
                    continue
                }
                guard let next = speakerCueContent(clause.start..<words.upperBound) else { break }
                quote = next
            }
            addOpeningClause()
            addRelativeClause()
            addQuestion()
        }
        return found
    }

    /// `Vik leads Ruiz by nine points in the latest Courier poll.` / `In a Courier poll last month, Vik
    /// led …`: a poll's finding, the poll its speaker and "in" its cue, as PolNeAR reads it. The poll's
    /// phrase is "in", at most eight words without a comma, and the word for a poll, which ends it.
    private func pollFinding(_ r: Range<Int>) -> Found? {
        guard let noun = Self.first(of: pollNouns, in: r), noun + 1 < r.upperBound,
              tokens[noun + 1].kind != .word || lexicon.pollPhraseGoesOn.contains(tokens[noun + 1].hash),
              let inWord = stride(from: noun - 1, through: max(r.lowerBound, noun - 9), by: -1).first(where: {
                  tokens[$0].hash == QuoteLexicon.in || isComma($0) || mark($0) != nil || isCue($0)
              }), tokens[inWord].hash == QuoteLexicon.in, inWord + 1 < noun, !tokens[noun].flags.contains(.allCaps),
              // `voters in the District head to the polls`: no other preposition than "of" in the phrase.
              !((inWord + 1)..<noun).contains(where: { lexicon.prepositions.contains(tokens[$0].hash) && tokens[$0].hash != QuoteLexicon.of })
        else { return nil }
        let speaker = (inWord + 1)..<(noun + 1)
        if inWord == r.lowerBound {
            // The poll opens the sentence: what it found follows its comma.
            guard let comma = ((noun + 1)..<min(r.upperBound, noun + 10)).first(where: { isComma($0) || mark($0) != nil }), isComma(comma),
                  !((noun + 1)..<comma).contains(where: { isCue($0) }) else { return nil }
            let content = trimmed((comma + 1)..<r.upperBound)
            return content.count >= 3 ? Found(kind: .indirect, fragments: Fragments(content), speaker: speaker, cue: inWord..<(inWord + 1), marked: false) : nil
        }
        // The poll closes the clause: what it found comes before, from the main clause's start.
        let start = mainClauseStart(of: r)
        guard start < inWord else { return nil }  // `In the polls, …` as the opening phrase
        let content = trimmed(start..<inWord)
        guard content.count >= 3, !content.contains(where: { mark($0) != nil }) else { return nil }
        return Found(kind: .indirect, fragments: Fragments(content), speaker: speaker, cue: inWord..<(inWord + 1), marked: false)
    }

    /// `Asked whether the pier would reopen, …` / `When asked about the delay, …` / `Asked by a
    /// reporter to …, …`: the question put to the sentence's subject, from the word after "asked" (or
    /// after its asker) to the comma, with the asker as speaker when the sentence names one; and the
    /// rest of the sentence after the comma, for the other patterns.
    private func askedOpening(_ r: Range<Int>) -> (Found, rest: Range<Int>)? {
        var a = r.lowerBound
        if a + 1 < r.upperBound && tokens[a].hash == QuoteLexicon.when { a += 1 }
        guard a + 2 < r.upperBound, tokens[a].hash == QuoteLexicon.asked,
              let comma = ((a + 2)..<min(r.upperBound, a + 40)).first(where: { isComma($0) }),
              var start = questionStart(afterAsked: a, before: comma) else { return nil }
        var speaker: Range<Int>?
        // The asker runs to the question's first word: `by a reporter to …`, `by Fox News about …`.
        if tokens[start].hash == QuoteLexicon.by,
           let end = ((start + 1)..<comma).first(where: { $0 > start + 1 && lexicon.questionOpeners.contains(tokens[$0].hash) }) {
            speaker = (start + 1)..<end
            start = end
        }
        let content = trimmed(start..<comma)
        guard content.count >= 2, comma + 3 < r.upperBound else { return nil }
        return (Found(kind: .indirect, fragments: Fragments(content), speaker: speaker, cue: a..<(a + 1), marked: false), (comma + 1)..<r.upperBound)
    }

    /// Where the question after "asked" at `a` starts: at the next word when it opens one (`asked
    /// whether`, `asked by`), or past a few words that say when or where (`Asked on Monday at a
    /// briefing about …`), before `end`.
    private func questionStart(afterAsked a: Int, before end: Int) -> Int? {
        guard a + 1 < end else { return nil }
        if lexicon.questionOpeners.contains(tokens[a + 1].hash) { return a + 1 }
        for k in (a + 2)..<min(end, a + 10) {
            guard tokens[k].isWordLike else { return nil }
            if lexicon.questions.contains(tokens[k].hash) { return k }
        }
        return nil
    }

    /// `…, Nunberg said when asked how Trump reads the news.`: the question put to the one quoted, from
    /// its first word to the next comma or the sentence's end, with no speaker (the asker is not named).
    private func whenAsked(_ r: Range<Int>) -> Found? {
        // `cueRoles` is checked again: while reported speech is looked for, the roles inside direct
        // quotes are cleared.
        guard r.count > 4, let a = Self.first(of: askedCues, in: (r.lowerBound + 2)..<(r.upperBound - 2)), cueRoles[a] != 0 else { return nil }
        let end = ((a + 1)..<r.upperBound).first { isComma($0) || isSentenceEnd($0) || mark($0) != nil } ?? r.upperBound
        guard let start = questionStart(afterAsked: a, before: end), end - start >= 3 else { return nil }
        return Found(kind: .indirect, fragments: Fragments(trimmed(start..<end)), speaker: nil, cue: a..<(a + 1), marked: false)
    }

    /// In reported content after a cue, where a coordinated clause with its own speaker and cue starts
    /// (`…, and its chair, Priya Natarajan, said …`, `…; officials said …`, `…, but the council said …`):
    /// the comma or semicolon that ends the content before it, and the clause's first word. A relative
    /// clause (`…, which officials said …`) is part of the content, so a conjunction or a semicolon is needed.
    private func nextReportingClause(after cue: Int, in content: Range<Int>) -> (boundary: Int, start: Int)? {
        // Tested by kind first and by word last: this runs over the content of every quote found.
        let first = max(cue, content.lowerBound)
        guard first < content.upperBound else { return nil }  // the cue after the content: `…, officials said.`
        for k in first..<content.upperBound {
            let kind = tokens[k].kind
            if kind == .word {
                // `… called the proposal short-sighted and said …`: the same speaker's second cue.
                if k > content.lowerBound && k + 1 < content.upperBound && cueRoles[k + 1] & QuoteLexicon.speech != 0 && !isParticiple(k + 1)
                    && lexicon.clauseConjunctions.contains(tokens[k].hash) { return (k, k + 1) }
                continue
            }
            guard kind == .punctuation else { continue }
            let semicolon = isPunctuation(k, 0x3B)
            guard semicolon || isComma(k) else { continue }
            var start = k + 1
            let conjunction = start < content.upperBound && lexicon.clauseConjunctions.contains(tokens[start].hash)
            if conjunction { start += 1 }
            guard conjunction || semicolon else { continue }
            // The clause's cue within a dozen words, with its speaker between.
            guard let c = (start..<min(content.upperBound, start + 12)).first(where: { isCue($0) }) else { continue }
            let cueStart = cueStart(of: c, notBefore: start)
            guard cueStart > start, let speaker = nounPhrase(endingAt: cueStart), speaker.lowerBound >= start,
                  !(start..<cueStart).contains(where: { mark($0) != nil }) else { continue }
            return (k, start)
        }
        return nil
    }

    private func accordingTo(_ r: Range<Int>) -> Found? {
        guard let k = Self.first(of: accordings, in: r, where: { $0 + 1 < r.upperBound && tokens[$0 + 1].hash == QuoteLexicon.to }),
              k + 2 < r.upperBound, let speaker = nounPhrase(from: k + 2) else { return nil }
        let cue = k..<(k + 2)
        let before = trimmed(r.lowerBound..<k)
        let after = trimmed(speaker.upperBound..<r.upperBound)
        let content = before.count >= after.count ? before : after
        guard content.count >= 3 else { return nil }
        return Found(kind: .indirect, fragments: Fragments(content), speaker: speaker, cue: cue, marked: false)
    }

    /// `As the Courier reported, the mayor gave …`, `As Ruiz noted in her speech, …`: an opening "as", a
    /// speaker and a cue, maybe a phrase after it, then a comma; the rest of the sentence is the content.
    private func asSpeakerCue(_ r: Range<Int>) -> Found? {
        var first = r.lowerBound
        if first < r.upperBound && lexicon.openingConjunctions.contains(tokens[first].hash) { first += 1 }
        guard first + 3 < r.upperBound, tokens[first].hash == QuoteLexicon.as,
              let c = ((first + 2)..<min(r.upperBound, first + 12)).first(where: { isCue($0) || isComma($0) }), isCue(c),
              let comma = ((c + 1)..<min(r.upperBound, c + 8)).first(where: { isComma($0) }),
              !((c + 1)..<comma).contains(where: { isCue($0) || mark($0) != nil }),
              comma == c + 1 || lexicon.openingPrepositions.contains(tokens[c + 1].hash) || lexicon.qualifiers.contains(tokens[c + 1].hash)
        else { return nil }
        let cueStart = cueStart(of: c, notBefore: first + 1)
        let speaker = trimmed((first + 1)..<cueStart)
        guard !speaker.isEmpty, !speaker.contains(where: { lexicon.stops.contains(tokens[$0].hash) || mark($0) != nil }) else { return nil }
        let content = trimmed((comma + 1)..<r.upperBound)
        guard content.count >= 3 else { return nil }
        return Found(kind: .indirect, fragments: Fragments(content), speaker: speaker, cue: cueStart..<(c + 1), marked: false)
    }

    /// `The ministry said in a statement that …`: a speaker, a cue, then at least two words of content.
    private func speakerCueContent(_ r: Range<Int>) -> Found? {
        // `When she first saw the plans, she said, “…”`: the cue of the main clause first, then the opening one's.
        var clauseStart = r.lowerBound
        if let first = r.first, lexicon.openingPrepositions.contains(tokens[first].hash) || isParticiple(first),
           let comma = r.prefix(25).first(where: { isComma($0) }) {
            clauseStart = comma + 1
        }
        // The sentence's `…, saying …` quote, looked for once, when a cue first asks for it.
        var participleQuote: Found??
        func participle() -> Found? {
            if participleQuote == nil { participleQuote = .some(subjectParticipleContent(r)) }
            return participleQuote!
        }
        let window = r.lowerBound..<min(r.upperBound, r.lowerBound + 41)
        let mainClause = min(clauseStart, window.upperBound)..<window.upperBound
        let openingClause = window.lowerBound..<mainClause.lowerBound
        for pass in 0..<2 {
            let part = pass == 0 ? mainClause : openingClause
            for c in part where cueRoles[c] & (QuoteLexicon.speech | QuoteLexicon.view) != 0 {
                // "agreed to allow", "are said to hold": an infinitive follows, not speech; but what a
                // source "declined to" do is reported, from the "to".
                var infinitive = false
                if c + 1 < r.upperBound && tokens[c + 1].hash == QuoteLexicon.to {
                    guard lexicon.refusals.contains(tokens[c].hash) else { continue }
                    infinitive = true
                }
                // ", saying …" speaks for the sentence's subject, not for the words before the comma.
                if isComma(c - 1) && isParticiple(c) {
                    if let participle = participle() { return participle }
                    continue
                }
                let viewOnly = cueRoles[c] & QuoteLexicon.speech == 0
                // "The vote is now expected next week": a view verb in the passive has no speaker before it.
                if viewOnly && isPassive(c, notBefore: r.lowerBound) { continue }
                // "Sorensen rejected that view, saying …": the stance's object is no content; the participle's is.
                if viewOnly, let participle = participle(), let cue = participle.cue, cue.lowerBound > c { return participle }
                let cueStart = cueStart(of: c, notBefore: r.lowerBound)
                // "Such demands", "the calls": after a determiner the word is a noun, not a verb.
                // But `Some said …`, `Many believed …`: a quantifier standing alone is the subject of a verb in the past.
                if cueStart == c && c > r.lowerBound && lexicon.nounMarkers.contains(tokens[c - 1].hash)
                    && !(lexicon.quantifiers.contains(tokens[c - 1].hash) && isPastTense(c)) { continue }
                let speaker: Range<Int>
                // "McCain survived five years in a prison and says …": a second verb of the sentence's subject.
                if cueStart > r.lowerBound + 2, lexicon.verbConjunctions.contains(tokens[cueStart - 1].hash),
                   cueRoles[c] & QuoteLexicon.speech != 0, let subject = subject(of: r) ?? describedSubject(of: r, startingAt: mainClauseStart(of: r)), subject.upperBound < cueStart - 1,
                   !(subject.upperBound..<cueStart).contains(where: { mark($0) != nil || lexicon.subordinators.contains(tokens[$0].hash) }) {
                    speaker = subject
                } else {
                    guard let phrase = nounPhrase(endingAt: cueStart), phrase.lowerBound >= r.lowerBound else { continue }
                    // `Growers, who asked not to be named, said …`: a relative clause's cue gives way to the main clause's.
                    if phrase.count == 1 && tokens[phrase.lowerBound].hash == QuoteLexicon.who
                        && ((c + 1)..<r.upperBound).contains(where: { isCue($0) && isComma($0 - 1) }) { continue }
                    speaker = phrase
                }
                // A cue in the opening clause (`When Vik suggested that the port would close, Okafor …`)
                // reports that clause only, up to its comma.
                let end = pass == 0 ? r.upperBound : mainClause.lowerBound - 1
                return reported(by: speaker, cue: cueStart..<(c + 1), from: infinitive ? c + 1 : contentStart(afterCue: c, in: r.lowerBound..<end), to: end)
            }
        }
        return nil
    }

    /// Reported speech by `speaker` whose content runs from `start` to `end` (trimmed); nil when fewer
    /// than two tokens are left.
    private func reported(by speaker: Range<Int>, cue: Range<Int>, from start: Int, to end: Int) -> Found? {
        var (cue, start) = (cue, start)
        // `called for more troops`, `warned of a battle`: the preposition is the cue's, the content what follows.
        // Not when that would leave too little to be content (`felt for me`): the quote is kept as it was.
        if start == cue.upperBound && start + 1 < end && lexicon.cuePrepositions.contains(tokens[start].hash)
            && trimmed((start + 1)..<end).count >= 2 {
            cue = cue.lowerBound..<(start + 1)
            start += 1
        }
        // The content may start past the end: a cue at the end of an opening clause, its content
        // start moved past "that" or a qualifier.
        guard start < end else { return nil }
        let content = trimmed(start..<end)
        guard content.count >= 2 else { return nil }
        return Found(kind: .indirect, fragments: Fragments(content), speaker: speaker, cue: cue, marked: false)
    }

    /// Where reported content starts after the cue at `c`: past "that", or past what qualifies the cue
    /// ("in a January 9 statement", "on Tuesday") up to "that".
    private func contentStart(afterCue c: Int, in r: Range<Int>) -> Int {
        let start = c + 1
        if start < r.upperBound && (tokens[start].hash == QuoteLexicon.that || lexicon.qualifiers.contains(tokens[start].hash)),
           let that = (start..<min(r.upperBound, start + 10)).first(where: { tokens[$0].hash == QuoteLexicon.that }) {
            return that + 1
        }
        // `told the BBC she had no regrets`, `told parliament the wards were full`: who was told is
        // not part of what was said.
        if lexicon.tellVerbs.contains(tokens[c].hash), let hearer = hearer(from: start, in: r) {
            let after = hearer.upperBound
            if after < r.upperBound && tokens[after].hash == QuoteLexicon.that { return after + 1 }
            if after + 1 < r.upperBound && tokens[after].kind == .word { return after }
        }
        // `said on Wednesday it had raised …`, `said Tuesday the plan …`: a time phrase without a
        // "that" after it is not part of what was said.
        var k = start
        if k + 1 < r.upperBound && lexicon.timeOpeners.contains(tokens[k].hash) && lexicon.calendarWords.contains(tokens[k + 1].hash) {
            k += 2
        } else if k < r.upperBound && (lexicon.calendarWords.contains(tokens[k].hash) || lexicon.timeWords.contains(tokens[k].hash)) {
            k += 1
        }
        return k < r.upperBound && tokens[k].kind == .word ? k : start
    }

    /// Where a time phrase ending before `end` starts, if there is one: a day, a month (not "May", which
    /// may be a name) or a word for a period ("week", "morning"), and the words before it that make the
    /// phrase (`on Tuesday`, `this past week`, `earlier this month`, `last night`).
    private func timePhraseStart(endingAt end: Int) -> Int? {
        guard end >= 2, tokens[end - 1].kind == .word, sentenceOf[end - 1] == sentenceOf[end - 2] else { return nil }
        let last = tokens[end - 1].hash
        let period = lexicon.periods.contains(last)
        guard period || (lexicon.calendarWords.contains(last) && last != QuoteLexicon.may) || lexicon.timeWords.contains(last) else { return nil }
        var start = end - 1
        while start > 0 && end - start < 4 && sentenceOf[start - 1] == sentenceOf[end - 1]
                && lexicon.timeQualifiers.contains(tokens[start - 1].hash) { start -= 1 }
        // "week" alone is a noun ("the week said" is no speaker's end); with "this" or "last" it is a time.
        if period && start == end - 1 { return nil }
        return start > layer.sentences[sentenceOf[end - 1]].lowerBound ? start : nil
    }

    /// The one told, right after a verb of telling: a pronoun or word for an audience (`him`,
    /// `reporters`), a run of capitalised words (`CNN`, `the BBC`), or a determiner and one word
    /// (`the committee`), or one lower-case word (`parliament`).
    private func hearer(from k: Int, in r: Range<Int>) -> Range<Int>? {
        guard k < r.upperBound, tokens[k].kind == .word, tokens[k].hash != QuoteLexicon.that else { return nil }
        if lexicon.hearers.contains(tokens[k].hash) { return k..<(k + 1) }
        var first = k
        if lexicon.determiners.contains(tokens[k].hash) && !lexicon.pronouns.contains(tokens[k].hash) { first += 1 }
        guard first < r.upperBound, tokens[first].kind == .word, !lexicon.pronouns.contains(tokens[first].hash) else { return nil }
        var end = first + 1
        if tokens[first].flags.contains(.capitalized) {
            while end < r.upperBound && tokens[end].kind == .word && tokens[end].flags.contains(.capitalized) { end += 1 }
        }
        return k..<end
    }

    /// Whether the verb at `c` is in the passive: a form of "be" right before it, or before one adverb
    /// ("is now expected", "was widely believed").
    private func isPassive(_ c: Int, notBefore low: Int) -> Bool {
        var j = c - 1
        if j > low && (isAdverb(j) || lexicon.passiveAdverbs.contains(tokens[j].hash)) { j -= 1 }
        return j >= low && lexicon.beForms.contains(tokens[j].hash)
    }

    /// `…, the news agency reported.` / `…, officials said.` / `…, the ministry said in a statement.`
    private func contentSpeakerCue(_ r: Range<Int>) -> Found? {
        guard r.count >= 6 else { return nil }
        // `…, said Lena Ruiz, who chairs the board.` / `…, noted Marisa Kwan of Dunmore Partners, who said …`:
        // the cue right after the comma, the speaker after it (a later cue belongs to the relative clause).
        // Not `Officials, who spoke on condition of anonymity, said the talks had stalled.`: a phrase
        // after the cue with a verb in it is the content, not an inverted speaker.
        // Not `…, his aide, Tad Devine, told The Huffington Post.`: after a verb of telling comes the one told.
        if let c = lastCue(from: r.upperBound - 2, through: max(r.lowerBound + 4, r.upperBound - 40), where: { isCue($0) && isComma($0 - 1) }),
           !lexicon.tellVerbs.contains(tokens[c].hash),
           let speaker = nounPhrase(from: c + 1), tokens[speaker.lowerBound].flags.contains(.capitalized)
            || lexicon.determiners.contains(tokens[speaker.lowerBound].hash),
           !speaker.contains(where: { lexicon.finiteVerbs.contains(tokens[$0].hash) }),
           speaker.upperBound == r.upperBound - 1 || isComma(speaker.upperBound) || isSentenceEnd(speaker.upperBound - 1)
            || speaker.upperBound < r.upperBound && tokens[speaker.upperBound].hash == QuoteLexicon.of && tokens[speaker.lowerBound].flags.contains(.capitalized) {
            let content = trimmed(r.lowerBound..<(c - 1))
            if content.count >= 4 && !content.contains(where: { isCue($0) }) {
                return Found(kind: .indirect, fragments: Fragments(content), speaker: speaker, cue: c..<(c + 1), marked: false)
            }
        }
        // `…, Spicer said, adding that …`: the participle is the speaker's second cue (`reportedSpeech`
        // takes its content); the attribution before its comma is the one that ends the content.
        if let p = lastCue(from: r.upperBound - 2, through: max(r.lowerBound + 7, r.upperBound - 30), where: {
            cueRoles[$0] & QuoteLexicon.participle != 0 && isComma($0 - 1) && isCue($0 - 2) && isParticiple($0)
        }) {
            if let before = contentSpeakerCue(r.lowerBound..<p) { return before }
            // `…not,” Clinton responded, remarking that …`: what comes before is the end of a direct
            // quote, too short for a quote of its own; the participle still speaks for the one named.
            let start = cueStart(of: p - 2, notBefore: r.lowerBound)
            guard let speaker = nounPhrase(endingAt: start), speaker.lowerBound >= r.lowerBound else { return nil }
            return reported(by: speaker, cue: p..<(p + 1), from: contentStart(afterCue: p, in: r), to: r.upperBound)
        }
        // The last cue, with at most a short qualifier after it ("in a January 9 statement").
        guard let c = lastCue(from: r.upperBound - 1, through: max(r.lowerBound + 4, r.upperBound - 10), where: { isCue($0) }) else { return nil }
        if ((c + 1)..<r.upperBound).contains(where: { tokens[$0].hash == QuoteLexicon.that || tokens[$0].kind == .quote || isCue($0) }) { return nil }
        // `…, the FBI said it would cooperate.`: a clause after the cue is what it reports.
        // Not `…, Ruiz told The Westmoor Courier.`: after a verb of telling, the one told and the sentence's end.
        let hearerEnd = lexicon.tellVerbs.contains(tokens[c].hash) ? hearer(from: c + 1, in: r)?.upperBound : nil
        if hearerEnd == nil && c + 1 < r.upperBound && lexicon.clauseOpeners.contains(tokens[c + 1].hash) { return nil }
        // `When the moderator pressed him, the candidate said families file lawsuits.`: after the cue (and
        // the one told) comes a qualifier (`said on Tuesday`, `said of the plan`, `said flatly`, `told the
        // court in his filing`) or nothing; other words open the clause it reports.
        let afterCue = hearerEnd ?? (c + 1)
        if afterCue < r.upperBound - 1 && !opensQualifierAfterCue(afterCue) { return nil }
        // `…, Kelly Schmdit, told POLITICO she was leaning …`: a clause after the one told is what was told.
        if let hearerEnd, hearerEnd < r.upperBound - 1, lexicon.clauseOpeners.contains(tokens[hearerEnd].hash) { return nil }
        let cueStart = cueStart(of: c, notBefore: r.lowerBound)
        guard let comma = stride(from: cueStart - 1, through: max(r.lowerBound + 3, cueStart - 9), by: -1).first(where: {
            isComma($0)
        }) else { return nil }
        var speaker = trimmed((comma + 1)..<cueStart)
        var contentEnd = comma
        // `…, the harbour master, Lena Ruiz, said.`: the name set off by commas, and a description beside it.
        if speaker.isEmpty, let (name, start) = nameBetweenCommas(closedAt: comma, notBefore: r.lowerBound + 3) {
            speaker = name
            contentEnd = start
        }
        let content = trimmed(r.lowerBound..<contentEnd)
        // `…,” Ruiz said when Hale asked her`: a speaker holds no cue and no conjunction.
        guard !speaker.isEmpty, content.count >= 4,
              !speaker.contains(where: { isCue($0) || lexicon.stops.contains(tokens[$0].hash) }) else { return nil }
        return Found(kind: .indirect, fragments: Fragments(content), speaker: speaker, cue: cueStart..<(c + 1), marked: false)
    }

    /// Whether the word at `k`, right after a cue, opens a phrase that qualifies it (`said on Tuesday`,
    /// `said Jan. 9`, `said of the plan`, `said flatly`, `said later`) rather than what was said.
    private func opensQualifierAfterCue(_ k: Int) -> Bool {
        let token = tokens[k]
        guard token.kind == .word else { return true }  // punctuation, a number, a quote mark
        let hash = token.hash
        return lexicon.qualifiers.contains(hash) || lexicon.openingPrepositions.contains(hash)
            || lexicon.prepositions.contains(hash) || lexicon.calendarWords.contains(hash)
            || lexicon.timeWords.contains(hash) || lexicon.timeAdverbs.contains(hash)
            || lexicon.cueQualifierWords.contains(hash) || token.flags.contains(.abbreviation) || isAdverb(k)
    }

    /// The speaker set off by commas before the comma at `close` (`…, Lena Ruiz, said`), with a
    /// description beside it (`…, the harbour master, Lena Ruiz, said`, `…, Lena Ruiz, the harbour
    /// master, said`): the name and the comma that opens the first of them, where the content ends.
    private func nameBetweenCommas(closedAt close: Int, notBefore low: Int) -> (Range<Int>, Int)? {
        func segment(endingAt end: Int) -> (Range<Int>, opening: Int)? {
            guard let open = stride(from: end - 1, through: max(low, end - 9), by: -1).first(where: { isComma($0) }), open + 1 < end,
                  !((open + 1)..<end).contains(where: { isCue($0) || lexicon.stops.contains(tokens[$0].hash) || mark($0) != nil })
            else { return nil }
            return ((open + 1)..<end, open)
        }
        func isName(_ words: Range<Int>) -> Bool {
            words.allSatisfy { tokens[$0].kind == .word && tokens[$0].flags.contains(.capitalized) }
        }
        guard let (last, middle) = segment(endingAt: close) else { return nil }
        if let (first, open) = segment(endingAt: middle) {
            if isName(last) && !isName(first) && lexicon.determiners.contains(tokens[first.lowerBound].hash) { return (last, open) }
            if isName(first) && lexicon.determiners.contains(tokens[last.lowerBound].hash) { return (first, open) }
        }
        return isName(last) ? (last, middle) : nil
    }

    /// `Ruiz: We Will Rebuild the Harbour`: a short name and a colon opening a paragraph, as in headlines.
    private func headlineSpeakerColon(_ r: Range<Int>) -> Found? {
        guard let first = r.first, tokens[first].flags.contains(.paragraphStart), tokens[first].flags.contains(.capitalized),
              !lexicon.headlineLabels.contains(tokens[first].hash), !lexicon.openingPrepositions.contains(tokens[first].hash),
              let colon = r.prefix(6).first(where: { isColon($0) }),
              colon > first, (first..<colon).allSatisfy({ tokens[$0].isWordLike || tokens[$0].kind == .punctuation && $0 > first })
        else { return nil }
        let content = trimmed((colon + 1)..<r.upperBound)
        guard content.count >= 3 else { return nil }
        return Found(kind: .indirect, fragments: Fragments(content), speaker: first..<colon, cue: colon..<(colon + 1), marked: false)
    }

    /// `The senator voted no, saying the bill …`: the sentence's subject speaks through a participle.
    private func subjectParticipleContent(_ r: Range<Int>) -> Found? {
        // Not the participles that only attribute a quote beside them (`…, chanting “…”`).
        guard let c = r.dropFirst(3).first(where: { cueRoles[$0] & ~QuoteLexicon.direct != 0 && isComma($0 - 1) && isParticiple($0) }) else { return nil }
        let first = mainClauseStart(of: r)
        // A description is its determiner and noun (`The board cut the timetable, citing …`): the words
        // after it are the verb's, not the speaker's.
        guard first < c else { return nil }
        // `“Absolutely not,” Clinton responded, remarking that …`: the attribution before the comma
        // names the speaker, where the sentence opens inside the quote.
        var attributed: Range<Int>?
        if c >= 3, isDirectCue(c - 2), let name = nounPhrase(endingAt: cueStart(of: c - 2, notBefore: r.lowerBound)), name.lowerBound >= r.lowerBound {
            attributed = name
        }
        let described = lexicon.determiners.contains(tokens[first].hash) ? subject(of: r) ?? describedSubject(of: r, startingAt: first) : nil
        guard let speaker = attributed ?? described ?? nounPhrase(from: first), speaker.upperBound < c else { return nil }
        var start = c + 1
        if start < r.upperBound && tokens[start].hash == QuoteLexicon.that { start += 1 }
        let content = trimmed(start..<r.upperBound)
        guard content.count >= 4 else { return nil }
        return Found(kind: .indirect, fragments: Fragments(content), speaker: speaker, cue: c..<(c + 1), marked: false)
    }

    // MARK: Phrases

    /// A determiner and the capitalized words after it ("The Associated Press").
    private func capitalizedRun(after determiner: Int) -> Range<Int> {
        var end = determiner + 1
        while end < tokens.count && tokens[end].kind == .word && tokens[end].flags.contains(.capitalized)
                && sentenceOf[end] == sentenceOf[determiner] { end += 1 }
        return determiner..<end
    }

    private func isColon(_ k: Int) -> Bool { isPunctuation(k, 0x3A) }

    /// The apostrophe of a plural possessive (`farmers' union`, `Cyclists’ Association`): glued to a
    /// word in -s and followed, after a space, by another word. The tokenizer leaves it apart, since
    /// the same mark may close a quote.
    private func isPluralPossessive(_ k: Int) -> Bool {
        guard k > 0, k + 1 < tokens.count, tokens[k].kind == .quote || tokens[k].kind == .punctuation,
              !tokens[k].flags.contains(.spaceBefore), tokens[k - 1].kind == .word,
              tokens[k + 1].kind == .word, tokens[k + 1].flags.contains(.spaceBefore) else { return false }
        let mark = tokens[k].byteRange
        let isApostrophe = mark.count == 1 ? layer.bytes[mark.lowerBound] == 0x27
            : mark.count == 3 && layer.bytes[mark.lowerBound] == 0xE2 && layer.bytes[mark.lowerBound + 1] == 0x80 && layer.bytes[mark.lowerBound + 2] == 0x99
        return isApostrophe && layer.bytes[tokens[k - 1].byteRange.upperBound - 1] | 0x20 == UInt8(ascii: "s")
    }

    /// A lower-case word ending in "-ed" ("published", "founded"): after a comma it opens a
    /// participle phrase (`The report, published on Tuesday, said`), not a name.
    private func isPastParticiple(_ k: Int) -> Bool {
        let range = tokens[k].foldedRange
        return tokens[k].kind == .word && !tokens[k].flags.contains(.capitalized) && range.count > 4
            && layer.folded[range.upperBound - 2] == 0x65 && layer.folded[range.upperBound - 1] == 0x64
    }

    /// A word ending in "-ing" ("Speaking", "Addressing"): it opens a phrase, not a name.
    private func isParticiple(_ k: Int) -> Bool {
        let range = tokens[k].byteRange
        return tokens[k].kind == .word && range.count > 4 && layer.bytes[range.upperBound - 3] == 0x69 && layer.bytes[range.upperBound - 2] == 0x6E
            && layer.bytes[range.upperBound - 1] == 0x67
    }

    private func isPunctuation(_ k: Int, _ byte: UInt8) -> Bool {
        k >= 0 && k < tokens.count && tokens[k].kind == .punctuation && layer.bytes[tokens[k].byteRange.lowerBound] == byte
    }

    private func isComma(_ k: Int) -> Bool { isPunctuation(k, 0x2C) }

    private func isSentenceEnd(_ k: Int) -> Bool {
        k + 1 < tokens.count && sentenceOf[k + 1] != sentenceOf[k]
    }

    /// Drops punctuation and quote marks from both ends.
    private func trimmed(_ range: Range<Int>) -> Range<Int> {
        var low = range.lowerBound
        var high = range.upperBound
        while low < high && !tokens[low].isWordLike && tokens[low].kind != .quote { low += 1 }
        while high > low && (tokens[high - 1].kind == .punctuation) { high -= 1 }
        return low..<high
    }

    /// A speaker starting at `k`: a pronoun, a run of capitalised words ("Serikzhan Bilash", "The
    /// Associated Press"), or a determiner phrase ("the news agency", "a spokesman").
    private func nounPhrase(from k: Int) -> Range<Int>? {
        guard k < tokens.count, tokens[k].kind == .word else { return nil }
        if lexicon.pronouns.contains(tokens[k].hash) { return k..<(k + 1) }
        var end = k
        while end < tokens.count && end - k < 8 && sentenceOf[end] == sentenceOf[k] {
            // The possessive and the noun it qualifies: `according to British Airways' figures`.
            if end > k && end + 1 < tokens.count && isPluralPossessive(end) && sentenceOf[end + 1] == sentenceOf[k] {
                end += 2
                continue
            }
            guard tokens[end].kind == .word, end == k || !tokens[end].flags.contains(.newlineBefore) else { break }
            let capitalized = tokens[end].flags.contains(.capitalized)
            if end > k && !capitalized && !lexicon.determiners.contains(tokens[k].hash) { break }
            if lexicon.stops.contains(tokens[end].hash) || isCue(end) { break }
            end += 1
        }
        return end > k ? k..<end : nil
    }

    /// A speaker ending right before the cue at `cue` (or before a time phrase right before it): a
    /// pronoun, or words back to the start of the clause. An appositive or relative clause between the
    /// name and the cue is skipped back over: "Bilash, the head of Atajurt, was quoted", "The
    /// authorities, which view it as..., have said".
    private func nounPhrase(endingAt cue: Int) -> Range<Int>? {
        // `Reince Priebus, the GOP chairman, this past week announced`: a time phrase before the cue is
        // not the speaker's.
        var rawEnd = cue
        if let time = timePhraseStart(endingAt: cue) { rawEnd = time }
        // `Murphy — after a knock-on-wood gesture — told`: an aside between dashes is skipped back over.
        if rawEnd > 2, isDash(rawEnd - 1), tokens[rawEnd - 1].flags.contains(.spaceBefore),
           let open = stride(from: rawEnd - 2, through: max(1, rawEnd - 24), by: -1).first(where: { isDash($0) }),
           tokens[open].flags.contains(.spaceBefore), sentenceOf[open] == sentenceOf[rawEnd - 1], tokens[open - 1].kind == .word {
            return nounPhrase(endingAt: open)
        }
        var end = rawEnd
        if end > 1 && isComma(end - 1) { end -= 1 }
        // `Sen. Ana Vik (Labour), said`: a parenthesis after the name belongs to it.
        var parenthesis: Int?
        if end > 3, isPunctuation(end - 1, 0x29), let open = stride(from: end - 2, through: max(0, end - 14), by: -1).first(where: { isPunctuation($0, 0x28) }) {
            parenthesis = end
            end = open
        }
        // An abbreviation's period the tokenizer left apart: `of Aberdeen, Wash., said`.
        if end > 2, isPunctuation(end - 1, 0x2E), !tokens[end - 1].flags.contains(.spaceBefore), tokens[end - 2].flags.contains(.capitalized) {
            end -= 1
        }
        guard end > 0 else { return nil }
        if end != rawEnd && parenthesis == nil {
            // `Tom Berg, 22, of Aberdeen, Wash., said`, `Bamberg, who is 28, said`: a name opening the
            // sentence, then its appositives (which may end in a number).
            let sentence = layer.sentences[sentenceOf[end - 1]]
            var first = sentence.lowerBound
            if lexicon.openingConjunctions.contains(tokens[first].hash) { first += 1 }
            // `Similarly, William J. Bennett, a Reagan education secretary, said`: an adverb and its comma first.
            if first + 2 < end && isAdverb(first) && isComma(first + 1) { first += 2 }
            if let comma = (first..<end).first(where: { isComma($0) }), comma > first, comma - first <= 5, end - first <= 25,
               (first..<comma).allSatisfy({ tokens[$0].kind == .word && tokens[$0].flags.contains(.capitalized) }),
               !lexicon.openingPrepositions.contains(tokens[first].hash), !lexicon.calendarWords.contains(tokens[first].hash),
               !lexicon.notSubjects.contains(tokens[first].hash), !(first..<end).contains(where: { isCue($0) }) {
                return first..<comma
            }
            // `In his plea, Marcel Lazar, 44, said`: an age set off by commas after a name later in the sentence.
            if end >= 4, tokens[end - 1].kind == .number, isComma(end - 2), tokens[end - 3].kind == .word,
               tokens[end - 3].flags.contains(.capitalized), sentenceOf[end - 3] == sentenceOf[end - 1] {
                var start = end - 3
                while start > sentence.lowerBound && end - 2 - start < 5 && tokens[start - 1].kind == .word
                        && tokens[start - 1].flags.contains(.capitalized) && !lexicon.stops.contains(tokens[start - 1].hash) { start -= 1 }
                return start..<(end - 2)
            }
        }
        // A speaker ends in a word, or in a share of a poll: `Six in 10 said`, `more than four in 10 said`.
        let share = end > 2 && tokens[end - 1].kind == .number && tokens[end - 2].hash == QuoteLexicon.in
        guard tokens[end - 1].kind == .word || share else { return nil }
        if tokens[end - 1].hash == QuoteLexicon.to {
            // `led Republicans to say`, `will force Sen. Bernie Sanders to acknowledge`: the one named before
            // "to" speaks. Otherwise the words are a verb's (`Trump, who has threatened not to show up`).
            guard end >= 2, tokens[end - 2].kind == .word, tokens[end - 2].flags.contains(.capitalized),
                  !tokens[end - 2].flags.contains(.paragraphStart), sentenceOf[end - 2] == sentenceOf[end - 1],
                  layer.sentences[sentenceOf[end - 2]].lowerBound != end - 2 else { return nil }
            var start = end - 2
            while start - 1 > layer.sentences[sentenceOf[start]].lowerBound && tokens[start - 1].kind == .word
                    && tokens[start - 1].flags.contains(.capitalized) && end - start < 8 { start -= 1 }
            return start..<(end - 1)
        }
        if let parenthesis {
            guard let name = nounPhrase(endingAt: end) else { return nil }
            return name.lowerBound..<parenthesis
        }
        // `Jeb Bush and Chris Christie, who say …`, `business leaders who say …`: the relative pronoun,
        // which the resolver turns into the ones it stands for.
        if lexicon.pronouns.contains(tokens[end - 1].hash) || (end == rawEnd && tokens[end - 1].hash == QuoteLexicon.who) { return (end - 1)..<end }
        if end != rawEnd {
            // A clause closed by the comma: the speaker is the phrase before ", which …", ", reacting to …",
            // ", in an attempt to …", ", clearly frustrated,".
            var j = end - 1
            var holdsRelative = false
            while j > max(1, end - 25) && !isComma(j) {
                // `Hillary Clinton, also campaigning in Wisconsin, said`: an adverb such as "also" may open the participle's phrase.
                if isComma(j - 1) && (lexicon.relatives.contains(tokens[j].hash) || isParticiple(j) || isPastParticiple(j)
                    || lexicon.openingPrepositions.contains(tokens[j].hash) || isAdverb(j)
                    || j + 1 < end && lexicon.participleLeads.contains(tokens[j].hash) && isParticiple(j + 1)) {
                    return nounPhrase(endingAt: j - 1)
                }
                holdsRelative = holdsRelative || tokens[j].hash == QuoteLexicon.that || lexicon.relatives.contains(tokens[j].hash)
                j -= 1
            }
            // `Mary Susan, clad in a cape with lights that formed the name Trump, said`: a clause holding a
            // relative clause is a description set off by commas, not the speaker.
            if holdsRelative && isComma(j) && j > 0 && tokens[j - 1].kind == .word, let named = nounPhrase(endingAt: j) { return named }
        }
        var start = end
        while start > 0 && end - start < 16 && sentenceOf[start - 1] == sentenceOf[end - 1] {
            // `The Westmoor Cyclists' Association`: a plural's possessive mark stays inside the name.
            if start >= 2 && isPluralPossessive(start - 1) {
                start -= 1
                continue
            }
            guard tokens[start - 1].isWordLike else { break }
            // `Democrats in Iowa who watched the debate said`: a relative clause without a comma
            // belongs to the noun before it, which is the speaker's head.
            if start < end && start >= 2 && tokens[start - 1].hash == QuoteLexicon.who && tokens[start - 2].kind == .word
                && sentenceOf[start - 2] == sentenceOf[end - 1] && !lexicon.stops.contains(tokens[start - 2].hash) && !isCue(start - 2) {
                start -= 1
                continue
            }
            if lexicon.stops.contains(tokens[start - 1].hash) || isCue(start - 1) { break }
            start -= 1
        }
        guard start < end else { return nil }
        // `Beck, who has in the past described`: words after "who" that open with a verb are its
        // clause's; the speaker is "who", resolved to the name.
        if start > 0 && tokens[start - 1].hash == QuoteLexicon.who && lexicon.finiteVerbs.contains(tokens[start].hash)
            && !tokens[start].flags.contains(.capitalized) { return (start - 1)..<start }
        if end - start > 10 { start = end - 10 }
        // "Serikzhan Bilash, the head of the group, said": the name before an appositive is the speaker.
        if start >= 2, lexicon.determiners.contains(tokens[start].hash), isComma(start - 1) {
            var nameStart = start - 1
            while nameStart > 0 && tokens[nameStart - 1].kind == .word && tokens[nameStart - 1].flags.contains(.capitalized)
                    && sentenceOf[nameStart - 1] == sentenceOf[start] { nameStart -= 1 }
            // Not `Late on Friday, the board said`: a date or a name after a preposition opens the sentence.
            let opening = nameStart > 0 && (lexicon.prepositions.contains(tokens[nameStart - 1].hash)
                || lexicon.openingPrepositions.contains(tokens[nameStart - 1].hash))
            if nameStart < start - 1 && !opening && !lexicon.calendarWords.contains(tokens[nameStart].hash) { return nameStart..<end }
        }
        return start..<end
    }
}

/// The token ranges of one quote's pieces, in text order: nearly every quote is one piece, held here
/// inline; only a quote interrupted by its attribution keeps the others in an array. (An array for
/// every quote found was an allocation for each, most of them thrown away again by the rules.)
struct Fragments: RandomAccessCollection {
    private var head: Range<Int>
    private var rest: [Range<Int>] = []

    /// A quote of one piece.
    init(_ piece: Range<Int>) { head = piece }

    var startIndex: Int { 0 }
    var endIndex: Int { 1 + rest.count }
    subscript(position: Int) -> Range<Int> { position == 0 ? head : rest[position - 1] }

    /// Adds a piece after the others.
    mutating func append(_ piece: Range<Int>) { rest.append(piece) }

    /// Adds pieces after the others.
    mutating func append(contentsOf pieces: some Sequence<Range<Int>>) { rest.append(contentsOf: pieces) }
}
