@testable import AnalyticsKit
import AnalyticsKitTestSupport
import Testing
import Foundation

private func frequency(_ options: [String: OptionValue] = [:]) throws -> FrequencyStage {
    var values: [String: OptionValue] = [:]
    for spec in FrequencyStage.factory.options { values[spec.name] = spec.defaultValue }
    values.merge(options) { $1 }
    return try FrequencyStage(configuration: StageConfiguration(id: "terms", typeName: "frequency", options: StageOptions(values)))
}

private func analyze(_ stage: FrequencyStage, _ text: String, id: String = "d") throws -> FrequencyOutput {
    try stage.analyze(Document(id: id, text: text), layer: TextLayer(text: text), upstream: UpstreamOutputs())
}

@Suite("Frequency stage")
struct FrequencyStageTests {
    // Hand count: "The cat saw the dog. The dog ran, and the cat sat."
    // words: the×4, cat×2, dog×2, saw, ran, and, sat = 12 words, 7 distinct, hapax: saw ran and sat = 4.
    // tokens: 12 words + "." + "," + "." = 15.
    static let text = "The cat saw the dog. The dog ran, and the cat sat."

    @Test func documentStatisticsMatchAHandCount() throws {
        let out = try analyze(try frequency(["stopwords": .string("none")]), Self.text)
        #expect(out.tokens == 15)
        #expect(out.words == 12)
        #expect(out.distinctWords == 7)
        #expect(out.hapaxLegomena == 4)
        #expect(out.typeTokenRatio == 0.5833)
        #expect(out.topWords.prefix(3) == [TermCount(term: "the", count: 4), TermCount(term: "cat", count: 2), TermCount(term: "dog", count: 2)])
    }

    @Test func ngramsStayInsideSentencesAndClauses() throws {
        let out = try analyze(try frequency(["ngrams": .ints([2, 3]), "top": .int(20)]), Self.text)
        let bigrams = out.topNgrams.first { $0.n == 2 }!.terms
        // "the cat" twice, "the dog" twice (one per sentence); "dog the" never (sentence end), "ran and" never (comma).
        #expect(bigrams.prefix(2) == [TermCount(term: "the cat", count: 2), TermCount(term: "the dog", count: 2)])
        #expect(!bigrams.contains { $0.term == "dog the" || $0.term == "ran and" })
        // Distinct: the cat, cat saw, saw the, the dog, dog ran, and the, cat sat.
        #expect(bigrams.count == 7)
        let trigrams = out.topNgrams.first { $0.n == 3 }!.terms
        #expect(trigrams.map(\.term).contains("the cat saw"))
        #expect(trigrams.allSatisfy { $0.count == 1 })
    }

    @Test func stopwordsLeaveListsButNotStatistics() throws {
        let out = try analyze(try frequency(["stopwords": .string("english"), "top": .int(20)]), Self.text)
        #expect(out.words == 12)
        #expect(out.distinctWords == 7)
        #expect(!out.topWords.contains { $0.term == "the" || $0.term == "and" })
        let bigrams = out.topNgrams.first { $0.n == 2 }!.terms.map(\.term)
        #expect(bigrams.sorted() == ["cat sat", "cat saw", "dog ran"])
    }

    @Test func caseFoldingCanBeTurnedOff() throws {
        let folded = try analyze(try frequency(), "Apple apple APPLE")
        #expect(folded.topWords == [TermCount(term: "apple", count: 3)])
        let raw = try analyze(try frequency(["case_fold": .bool(false)]), "Apple apple APPLE")
        #expect(raw.distinctWords == 3)
        #expect(raw.topWords.map(\.term) == ["APPLE", "Apple", "apple"])
    }

    @Test func tiesAreBrokenByTermSoOutputIsStable() throws {
        let out = try analyze(try frequency(["top": .int(3)]), "zeta alpha mu beta")
        #expect(out.topWords.map(\.term) == ["alpha", "beta", "mu"])
    }

    @Test func topListsMatchASortOfEveryTerm() throws {
        // Words that share long beginnings, words that begin other words, two-byte letters, and the last
        // word at the very end of the text: the top lists compare terms by their first eight bytes first.
        let vocabulary = ["international", "internationally", "interna", "inter", "in", "a", "ab", "abc",
                          "straße", "strasse", "états", "etat", "newyork", "new", "york", "zz"]
        var generator = SeededGenerator(seed: 11)  // seeded, so a failure reproduces
        for trial in 0..<40 {
            var words: [String] = []
            for _ in 0..<(5 + trial) { words.append(vocabulary[Int(generator.next() % UInt64(vocabulary.count))]) }
            let text = words.joined(separator: " ")
            let out = try analyze(try frequency(["ngrams": .ints([1, 2, 3]), "top": .int(6)]), text)
            for n in 1...3 {
                var counts: [String: Int] = [:]
                for start in 0...(words.count - n) { counts[words[start..<(start + n)].joined(separator: " "), default: 0] += 1 }
                let expected = counts.sorted { $0.value != $1.value ? $0.value > $1.value : Array($0.key.utf8).lexicographicallyPrecedes($1.key.utf8) }
                    .prefix(6).map { TermCount(term: $0.key, count: $0.value) }
                let listed = n == 1 ? out.topWords : out.topNgrams.first { $0.n == n }!.terms
                #expect(listed == Array(expected), "n = \(n) in: \(text)")
            }
        }
    }

    @Test func bigramCountMatchesTheGeneralCount() throws {
        // `ngrams: [1, 2]` is counted by its own loop; with a size more it goes through the general
        // one. Their words and bigrams must agree whatever the stop words, numbers, case and breaks.
        let vocabulary = ["The", "the", "cat", "of", "and", "Dog", "dog", "ran", "2,000", "18mn", "it", "a",
                          "runs", ",", ".", "—", "\"", "said", "état", "Mr.", "\n\n"]
        var generator = SeededGenerator(seed: 5)  // seeded, so a failure reproduces
        for trial in 0..<60 {
            var words: [String] = []
            for _ in 0..<(3 + 2 * trial) { words.append(vocabulary[Int(generator.next() % UInt64(vocabulary.count))]) }
            let text = words.joined(separator: " ")
            for options: [String: OptionValue] in [["stopwords": .string("english")], ["stopwords": .string("none"), "numbers": .bool(true)],
                                                   ["case_fold": .bool(false), "numbers": .bool(true)]] {
                let bigramsOnly = try analyze(try frequency(options.merging(["ngrams": .ints([1, 2]), "top": .int(200)]) { $1 }), text)
                let general = try analyze(try frequency(options.merging(["ngrams": .ints([1, 2, 3]), "top": .int(200)]) { $1 }), text)
                #expect(bigramsOnly.topWords == general.topWords, "\(options) in: \(text)")
                #expect(bigramsOnly.topNgrams.first { $0.n == 2 }?.terms == general.topNgrams.first { $0.n == 2 }?.terms, "\(options) in: \(text)")
                #expect(bigramsOnly.words == general.words && bigramsOnly.distinctWords == general.distinctWords)
                #expect(bigramsOnly.hapaxLegomena == general.hapaxLegomena)
            }
        }
    }

    @Test func numbersAreTermsOnlyWhenAsked() throws {
        #expect(try analyze(try frequency(), "paid 2,000 dollars").words == 2)
        #expect(try analyze(try frequency(["numbers": .bool(true)]), "paid 2,000 dollars").topWords.map(\.term).contains("2,000"))
    }

    @Test func emptyDocument() throws {
        let out = try analyze(try frequency(), "")
        #expect(out.words == 0)
        #expect(out.typeTokenRatio == 0)
        #expect(out.topWords.isEmpty)
    }

    @Test func handWrittenJSONIsTheCodableJSON() throws {
        // The output writes its JSON in one piece; it must be what its `Codable` form encodes to.
        for (options, text) in [([:], Self.text), (["ngrams": .ints([1, 2, 3]), "stopwords": .string("english")], Self.text),
                                (["ngrams": .ints([1])], "One \"quoted\" word"), ([:], "")] as [([String: OptionValue], String)] {
            let out = try analyze(try frequency(options), text)
            var writer = JSONWriter()
            out.writeJSON(to: &writer)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == (try JSONValueEncoder().encode(out).jsonText), "\(options)")
        }
    }

    @Test func outputSurvivesADecodingRoundTrip() throws {
        // The lists are kept as bytes and made into `TermCount`s on demand; decoding builds them back.
        let out = try analyze(try frequency(["ngrams": .ints([1, 2, 3]), "top": .int(4)]), Self.text + " Straße “quoted” don’t")
        let decoded = try JSONDecoder().decode(FrequencyOutput.self, from: JSONEncoder().encode(out))
        #expect(decoded.topWords == out.topWords)
        #expect(decoded.topNgrams == out.topNgrams)
        #expect(decoded.topNgrams.map(\.n) == [2, 3])
        #expect(decoded.jsonValue.jsonText == out.jsonValue.jsonText)
        #expect(out.jsonValue.jsonText.contains(#""top_words":[{"term":"the","count":4}"#))
    }

    @Test func corpusSummaryCanBeTurnedOff() throws {
        #expect(try frequency().makeAggregate() != nil)
        #expect(try frequency(["corpus": .bool(false)]).makeAggregate() == nil)
    }

    @Test func stopwordsFromAFile() throws {
        let root = try makeTree(["stop.txt": Array("# my list\ncat\n  dog \n".utf8)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let stage = try FrequencyStage(configuration: StageConfiguration(id: "t", typeName: "frequency", options: StageOptions(
            ["stopwords": .string("stop.txt"), "ngrams": .ints([1]), "top": .int(5)], baseDirectory: root)))
        let out = try analyze(stage, "The cat and the dog met a Cat.")
        #expect(out.topWords.map(\.term) == ["the", "a", "and", "met"])
    }

    @Test func badOptionsAreOptionErrors() {
        #expect(throws: OptionError.self) { try frequency(["ngrams": .ints([0])]) }
        #expect(throws: OptionError.self) { try frequency(["top": .int(-1)]) }
        #expect(throws: OptionError.self) { try frequency(["stopwords": .string("/no/such/list.txt")]) }
    }

    /// A `top` of "all of them" (`Int.max`, a billion) lists every term and asks for no more memory
    /// than the terms take; it crashed reserving room for that many.
    @Test func aHugeTopListsEveryTerm() throws {
        for huge in [Int.max, 1_000_000_000] {
            let stage = try frequency(["top": .int(huge), "corpus_top": .int(huge), "tfidf_top": .int(huge), "stopwords": .string("none")])
            let out = try analyze(stage, Self.text)
            #expect(out.topWords.count == 7)
            var aggregate = stage.makeAggregate()!
            aggregate.add(out, document: Document(id: "d", text: Self.text), sequence: 0)
            let summary = aggregate.finalize()
            #expect(summary.topTerms.count == 7)
            #expect(summary.tfidf?.first?.terms.count == 7)
        }
    }

    /// The table's preview is the summary with its lists cut, the TF-IDF lists made for the first
    /// documents only; the same JSON as cutting the whole summary.
    @Test func aPreviewIsTheSummaryCut() throws {
        let stage = try frequency(["stopwords": .string("english")])
        var aggregate = stage.makeAggregate()!
        let texts = ["The cat sat.", "The cat ran. A dog ran.", "Dogs bark.", "Cats and dogs ran home."]
        for (k, text) in texts.enumerated() {
            aggregate.add(try analyze(stage, text, id: "d\(k)"), document: Document(id: "d\(k)", text: text), sequence: k)
        }
        let preview = try aggregate.preview(limit: 2)
        #expect(preview == (try JSONValueEncoder().encode(aggregate.finalize())).cuttingLists(to: 2))
        #expect(preview["tfidf"]?.arrayValue?.count == 2)
        #expect(preview["top_terms"]?.arrayValue?.count == 2)
    }

    @Test func corpusAggregateCountsDocumentFrequencyAndTFIDF() throws {
        let stage = try frequency(["stopwords": .string("english"), "tfidf_top": .int(2)])
        var aggregate = stage.makeAggregate()!
        let texts = ["The cat sat.", "The cat ran. A dog ran.", "Dogs bark."]
        for (k, text) in texts.enumerated() {
            aggregate.add(try analyze(stage, text, id: "d\(k)"), document: Document(id: "d\(k)", text: text), sequence: k)
        }
        let summary = aggregate.finalize()
        #expect(summary.documents == 3)
        #expect(summary.words == 3 + 6 + 2)
        #expect(summary.topTerms.prefix(2) == [CorpusTerm(term: "cat", count: 2, documents: 2), CorpusTerm(term: "ran", count: 2, documents: 1)])
        // d1: ran tf 2/6, df 1 → 2/6 × (ln(4/2) + 1) = 0.564382; cat tf 1/6, df 2 → 1/6 × (ln(4/3) + 1) = 0.214613
        let d1 = summary.tfidf![1]
        #expect(d1.id == "d1")
        #expect(d1.terms[0] == ScoredTerm(term: "ran", score: 0.564382))
        #expect(d1.terms.count == 2)
    }

    @Test func mergingIsAssociativeAndMatchesOneRun() throws {
        let stage = try frequency(["ngrams": .ints([1, 2]), "stopwords": .string("english")])
        let texts = (0..<12).map { "Story \($0): the market rose \($0 % 3) times and traders said markets rise. Traders sold." }
        func partial(_ indices: Range<Int>) throws -> FrequencyAggregate {
            var aggregate = stage.makeAggregate()!
            for k in indices {
                aggregate.add(try analyze(stage, texts[k], id: "d\(k)"), document: Document(id: "d\(k)", text: texts[k]), sequence: k)
            }
            return aggregate
        }
        let whole = try partial(0..<12).finalize()
        var left = try partial(0..<4)
        var middle = try partial(4..<9)
        let right = try partial(9..<12)
        middle.merge(right)
        left.merge(middle)  // a + (b + c)
        var other = try partial(0..<4)
        other.merge(try partial(4..<9))
        other.merge(right)  // (a + b) + c
        var reversed = right
        reversed.merge(try partial(0..<4))
        reversed.merge(try partial(4..<9))  // c + a + b
        let encode = { (s: FrequencySummary) in try JSONValueEncoder().encode(s).jsonText }
        #expect(try encode(left.finalize()) == encode(whole))
        #expect(try encode(other.finalize()) == encode(whole))
        #expect(try encode(reversed.finalize()) == encode(whole))
    }

    /// Merged partials keep their n-gram tables apart and the summary sums them only for the terms
    /// that can make the top list: it must name the same n-grams, with the same counts and document
    /// frequencies, as one aggregate that saw every document. Here each partial's own leader is its
    /// favourite phrase (15 times), while the corpus's leaders are the phrases every partial shares
    /// (12 times in each, 48 in all), and the favourites tie with one another.
    @Test func topNGramsAcrossPartialsMatchOneRun() throws {
        var texts: [String] = []
        for part in 0..<4 {
            let favourite = ["red boat", "blue net", "green flag", "grey gull"][part]
            for k in 0..<6 {
                let extra = k < 3 ? Array(repeating: favourite, count: 5).joined(separator: ". ") : "calm day \(part) \(k)"
                texts.append("The harbour master spoke. The harbour master left. \(extra). Item \(part)x\(k) closed.")
            }
        }
        for corpusTop in [1, 3, 8] {
            let stage = try frequency(["ngrams": .ints([1, 2, 3]), "corpus_top": .int(corpusTop), "tfidf_top": .int(0)])
            func aggregate(_ indices: some Sequence<Int>) throws -> FrequencyAggregate {
                var aggregate = stage.makeAggregate()!
                for k in indices {
                    aggregate.add(try analyze(stage, texts[k], id: "d\(k)"), document: Document(id: "d\(k)", text: texts[k]), sequence: k)
                }
                return aggregate
            }
            let whole = try aggregate(texts.indices).finalize()
            var merged = try aggregate(0..<6)
            for part in 1..<4 { merged.merge(try aggregate((part * 6)..<(part * 6 + 6))) }
            #expect(merged.mergedNGrams.count == 3)
            let summary = merged.finalize()
            #expect(summary.topNgrams == whole.topNgrams, "corpus_top \(corpusTop)")
            #expect(summary.topTerms == whole.topTerms, "corpus_top \(corpusTop)")
            #expect(whole.topNgrams.first?.terms.first == CorpusTerm(term: "harbour master", count: 48, documents: 24))
        }
    }

    /// The summary written a piece at a time (what `--summary` and the `json` format do) is the JSON of
    /// `finalize()`, whatever the chunk size.
    @Test func streamedSummaryIsTheFinalizedSummary() throws {
        let stage = try frequency(["ngrams": .ints([1, 2]), "tfidf_top": .int(3)])
        var aggregate = stage.makeAggregate()!
        // Ids that need escapes or are not ASCII: the writer copies them from the records' bytes.
        func id(_ k: Int) -> String { k % 3 == 0 ? "d\"\(k)\\é" : "d\(k)" }
        for k in (0..<40).reversed() {  // added out of order: the TF-IDF list is still in input order
            let text = "Report \(k): the harbour \(k % 5 == 0 ? "closed" : "opened") and fishing boats \(k % 2 == 0 ? "left" : "stayed")"
                + (k % 4 == 0 ? " near Zürich's café." : ".")
            aggregate.add(try analyze(stage, text, id: id(k)), document: Document(id: id(k), text: text), sequence: k)
        }
        let tree = try JSONValueEncoder().encode(aggregate.finalize()).jsonText
        for chunk in [1, 7, 1 << 16] {
            var bytes: [UInt8] = []
            var writer = JSONStreamWriter(chunkSize: chunk) { bytes += $0.array }
            try aggregate.writeSummary(to: &writer)
            try writer.finish()
            #expect(String(decoding: bytes, as: UTF8.self) == tree)
        }
        let ids = try #require(aggregate.finalize().tfidf).map(\.id)
        #expect(ids == (0..<40).map(id))
        #expect(tree.contains(#""id":"d\"0\\é""#) && tree.contains("zürich"))
    }

    /// With several workers the TF-IDF lists are made in rounds, each worker a share of a round: the
    /// text is the same for any number of workers, with rounds that end part way through the workers.
    @Test func summaryWrittenByWorkersIsTheFinalizedSummary() throws {
        let stage = try frequency(["ngrams": .ints([1, 2]), "tfidf_top": .int(2)])
        var aggregate = stage.makeAggregate()!
        for k in 0..<1_300 {
            let text = "Note \(k): the \(["pier", "dock", "quay"][k % 3]) was \(k % 7 == 0 ? "closed" : "busy") at \(k % 24) hours."
            aggregate.add(try analyze(stage, text, id: "n\(k)"), document: Document(id: "n\(k)", text: text), sequence: k)
        }
        let tree = try JSONValueEncoder().encode(aggregate.finalize()).jsonText
        for workers in [1, 2, 3, 8] {
            var bytes: [UInt8] = []
            var writer = JSONStreamWriter(chunkSize: 4_096) { bytes += $0.array }
            try aggregate.writeSummary(to: &writer, workers: workers)
            try writer.finish()
            #expect(String(decoding: bytes, as: UTF8.self) == tree, "\(workers) workers")
        }
    }

    /// A copy of an aggregate that goes on adding does not change what the original reads back.
    @Test func copiesOfAnAggregateStayApart() throws {
        let stage = try frequency()
        var original = stage.makeAggregate()!
        original.add(try analyze(stage, "Boats left the harbour.", id: "a"), document: Document(id: "a", text: ""), sequence: 0)
        var copy = original
        copy.add(try analyze(stage, "Nets were mended.", id: "b"), document: Document(id: "b", text: ""), sequence: 1)
        original.add(try analyze(stage, "Gulls followed the boats.", id: "c"), document: Document(id: "c", text: ""), sequence: 1)
        #expect(original.finalize().tfidf?.map(\.id) == ["a", "c"])
        #expect(copy.finalize().tfidf?.map(\.id) == ["a", "b"])
    }

    /// The corpus vocabulary gives back its terms and orders them as their strings order, ASCII or not.
    @Test func vocabularyKeepsTermsAndTheirOrder() {
        let terms = ["market", "e\u{301}tat", "état", "zebra", "äpfel", "a b", "ab", "", "Zoo"]
        var vocabulary = TermVocabulary()
        let indices = terms.map { term in vocabulary.append { $0.append(contentsOf: term.utf8) } }
        #expect(indices.map { vocabulary.string($0) } == terms)
        for (i, a) in terms.enumerated() {
            for (j, b) in terms.enumerated() {
                #expect(vocabulary.less(indices[i], indices[j]) == (a < b), "\(a) < \(b)")
            }
        }
        var copy = TermVocabulary()
        let copied = copy.append(indices[2], of: vocabulary)
        #expect(copy.string(copied) == "état")
    }

    /// Word-count records past the spill's buffer go to a temporary file and come back intact, in order.
    @Test func spilledRecordsComeBackIntact() {
        let spill = DocumentSpill()
        let records = (0..<3_000).map { k in [UInt8]((0..<(k % 977 + 1)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ k) }) }
        for (k, record) in records.enumerated() { spill.append(sequence: k, record: record) }
        #expect(records.reduce(0) { $0 + $1.count } > DocumentSpill.bufferLimit)  // some went to the file
        #expect(spill.entries.map { spill.record($0) } == records)
        // With no place for the file, the records stay in memory: nothing is lost.
        let inMemory = DocumentSpill(directory: "/nonexistent/analyticskit-test")
        for (k, record) in records.enumerated() { inMemory.append(sequence: k, record: record) }
        #expect(inMemory.entries.map { inMemory.record($0) } == records)
    }
}
