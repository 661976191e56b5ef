import Foundation

/// Corpus totals for the frequency stage: term and n-gram counts, document frequencies, TF-IDF.
///
/// Partials hold counts by term hash and a vocabulary from hash to string; merging sums the word
/// counts and unites vocabularies, so it is associative and commutative. N-gram totals are not summed
/// at the merge: the summary lists only the top n-grams, which `topTerms` finds across the partials'
/// tables (`mergedNGrams`) with exact sums, without building one table of a million bigrams. TF-IDF
/// needs every document's word counts until the end (disable with `tfidf_top: 0`); they are kept as compact (hash, count) records
/// in a `DocumentSpill`, on disk past a megabyte, and the summary's per-document list is written one
/// document at a time (`writeSummary`), so memory grows with the vocabulary, not the corpus.
/// Terms are told apart by 64-bit hashes: two distinct terms would be merged only on a hash collision,
/// which is vanishingly unlikely at corpus vocabulary sizes.
public struct FrequencyAggregate: CorpusAggregate {
    struct Total: Sendable {
        var count: Int
        var documents: UInt32
        /// Index of the term in `names`.
        let name: UInt32
        static let empty = Total(count: 0, documents: 0, name: 0)
    }

    let sizes: [Int]
    let top: Int
    let tfidfTop: Int
    var documents = 0
    var tokens = 0
    var words = 0
    /// n → hash → totals
    var totals: [Int: HashedTable<Total>] = [:]
    /// Every term seen, for `Total.name`.
    var names = TermVocabulary()
    /// The n-gram totals (n ≥ 2) of merged partials, each with the vocabulary its names index.
    var mergedNGrams: [(totals: [Int: HashedTable<Total>], names: TermVocabulary)] = []
    /// Word-count records of merged partials, read-only here.
    var sealedSpills: [DocumentSpill] = []
    /// Where this partial appends its records; replaced when it is shared with a copy, so that a
    /// copy of an aggregate never appends to records another copy reads.
    var spill: DocumentSpill?

    init(sizes: [Int], top: Int, tfidfTop: Int) {
        self.sizes = Array(Set(sizes + [1])).sorted()
        self.top = top
        self.tfidfTop = tfidfTop
    }

    public mutating func add(_ output: FrequencyOutput, document: Document, sequence: Int) {
        documents += 1
        tokens += output.tokens
        words += output.words
        guard let table = output.table else { return }
        for n in sizes where table.sizes.contains(n) {
            var sums = totals.removeValue(forKey: n) ?? HashedTable<Total>(empty: .empty)
            table.forEachTerm(n: n) { hash, entry in
                guard entry.listed else { return }
                sums.update(hash, initial: {
                    Total(count: 0, documents: 0, name: names.append { table.appendTerm(first: entry.first, n: n, to: &$0) })
                }) {
                    $0.count += Int(entry.count)
                    $0.documents += 1
                }
            }
            totals[n] = sums
        }
        if tfidfTop > 0 {
            var listed = 0
            table.forEachTerm(n: 1) { _, entry in if entry.listed { listed += 1 } }
            if spill == nil || !isKnownUniquelyReferenced(&spill!) {
                if let shared = spill { sealedSpills.append(shared) }
                spill = DocumentSpill()
            }
            // Written straight into the spill's buffer, at its final size: a record built in an array
            // of its own, grown, cut and patched, then copied, cost more than the bytes it held.
            var id = document.id
            id.withUTF8 { id in
                spill!.append(sequence: sequence, length: 24 + id.count + 16 * listed) { raw in
                    raw.storeBytes(of: UInt64(output.words).littleEndian, toByteOffset: 0, as: UInt64.self)
                    raw.storeBytes(of: UInt64(id.count).littleEndian, toByteOffset: 8, as: UInt64.self)
                    UnsafeMutableRawBufferPointer(rebasing: raw[16..<(16 + id.count)]).copyMemory(from: UnsafeRawBufferPointer(id))
                    raw.storeBytes(of: UInt64(listed).littleEndian, toByteOffset: 16 + id.count, as: UInt64.self)
                    var offset = 24 + id.count
                    table.forEachTerm(n: 1) { hash, entry in
                        guard entry.listed else { return }
                        raw.storeBytes(of: hash.littleEndian, toByteOffset: offset, as: UInt64.self)
                        raw.storeBytes(of: UInt64(UInt32(bitPattern: entry.count)).littleEndian, toByteOffset: offset + 8, as: UInt64.self)
                        offset += 16
                    }
                }
            }
        }
    }

    public mutating func merge(_ other: FrequencyAggregate) {
        documents += other.documents
        tokens += other.tokens
        words += other.words
        // Merging a two-worker run's bigram tables was a tenth of its time, on one thread.
        let theirNGrams = other.totals.filter { $0.key > 1 }
        if !theirNGrams.isEmpty { mergedNGrams.append((theirNGrams, other.names)) }
        mergedNGrams += other.mergedNGrams
        if let theirs = other.totals[1] {
            var sums = totals.removeValue(forKey: 1) ?? HashedTable<Total>(empty: .empty)
            theirs.forEach { hash, total in
                sums.update(hash, initial: {
                    Total(count: 0, documents: 0, name: names.append(total.name, of: other.names))
                }) {
                    $0.count += total.count
                    $0.documents += total.documents
                }
            }
            totals[1] = sums
        }
        sealedSpills += other.sealedSpills
        if let theirs = other.spill { sealedSpills.append(theirs) }
    }

    public func finalize() -> FrequencySummary {
        summary { plan, unigrams in plan.order.map { tfidf($0, plan, unigrams) } }
    }

    /// `finalize()` with its lists cut to `limit` items, the TF-IDF lists made for the first `limit`
    /// documents only: a table of a million documents shows ten.
    public func preview(limit: Int) throws -> JSONValue {
        try JSONValueEncoder().encode(summary { plan, unigrams in plan.order.prefix(limit).map { tfidf($0, plan, unigrams) } })
            .cuttingLists(to: limit)
    }

    /// The summary with the TF-IDF lists `tfidfLists` makes (none when they are off or it is nil).
    private func summary(tfidfLists: ((TFIDFPlan, HashedTable<Total>) -> [DocumentTFIDF])?) -> FrequencySummary {
        let unigrams = totals[1] ?? HashedTable<Total>(empty: .empty)
        return FrequencySummary(
            documents: documents,
            tokens: tokens,
            words: words,
            distinctTerms: unigrams.count,
            topTerms: topTerms(n: 1),
            topNgrams: sizes.filter { $0 > 1 }.map { CorpusNGramList(n: $0, terms: topTerms(n: $0)) },
            tfidf: tfidfTop > 0 ? tfidfLists.map { $0(TFIDFPlan(self), unigrams) } : nil
        )
    }

    /// The same JSON as encoding `finalize()`, with the per-document TF-IDF list written a few
    /// documents at a time.
    public func writeSummary(to writer: inout JSONStreamWriter) throws {
        try writeSummary(to: &writer, workers: 1)
    }

    /// `writeSummary(to:)` with the TF-IDF lists made by up to `workers` threads; the same JSON.
    public func writeSummary(to writer: inout JSONStreamWriter, workers: Int) throws {
        let unigrams = totals[1] ?? HashedTable<Total>(empty: .empty)
        guard case .object(let fields) = try JSONValueEncoder().encode(summary(tfidfLists: nil)) else { return }
        try writer.append(raw: "{")
        for (k, field) in fields.enumerated() {
            if k > 0 { try writer.append(raw: ",") }
            try writer.append(key: field.key)
            try writer.append(field.value)
        }
        guard tfidfTop > 0 else { return try writer.append(raw: "}") }
        try writer.append(raw: fields.isEmpty ? "" : ",")
        try writer.append(key: FrequencySummary.CodingKeys.tfidf.stringValue)
        try writer.append(raw: "[")
        try writeTFIDF(unigrams, to: &writer, workers: workers)
        try writer.append(raw: "]}")
    }

    private func topTerms(n: Int) -> [CorpusTerm] {
        guard top > 0 else { return [] }
        var parts: [(table: HashedTable<Total>, names: TermVocabulary)] = []
        if let table = totals[n] { parts.append((table, names)) }
        for partial in mergedNGrams { if let table = partial.totals[n] { parts.append((table, partial.names)) } }
        guard parts.count > 1 else { return parts.first.map { topTerms(in: $0.table, names: $0.names) } ?? [] }
        // Across partials: a term's total is the sum of its counts, so one whose total reaches the
        // `top`-th largest total, T, has a count of at least T / parts in some partial. Each partial's
        // own top terms give real totals, and so a lower bound of T; every term with a count of at
        // least that bound over the parts in some partial is then summed exactly, and nothing else can
        // make the list. On a real corpus the bound is high and few terms are summed.
        func exact(_ key: UInt64) -> CorpusTerm {
            var count = 0, documents = 0
            var term: String?
            for part in parts {
                guard let total = part.table[key] else { continue }
                count += total.count
                documents += Int(total.documents)
                if term == nil { term = part.names.string(total.name) }
            }
            return CorpusTerm(term: term ?? "", count: count, documents: documents)
        }
        func terms(atLeast bound: (Int) -> Int) -> [CorpusTerm] {
            var seen = HashedTable<Bool>(capacity: 4 * min(top, 1 << 16), empty: false)
            var found: [CorpusTerm] = []
            for (p, part) in parts.enumerated() {
                let least = bound(p)
                part.table.forEach { key, total in
                    guard total.count >= least, seen.update(key, initial: { true }, { _ in }) else { return }
                    found.append(exact(key))
                }
            }
            return found
        }
        let thresholds = parts.map { countThreshold(in: $0.table) }
        let first = terms { thresholds[$0] }.map(\.count).sorted(by: >)
        let lowerBound = first.count >= top ? first[top - 1] : 0
        let perPart = (lowerBound + parts.count - 1) / parts.count
        return terms { _ in perPart }.filter { $0.count >= lowerBound }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.term < $1.term }
            .prefix(top).map { $0 }
    }

    /// The `top`-th largest count in `table`, or 0 when it has fewer terms: in one pass keeping the
    /// largest counts seen (a corpus has a million bigrams: no array of all their counts, no sort).
    private func countThreshold(in table: HashedTable<Total>) -> Int {
        var largest: [Int] = []  // descending, at most `top`
        largest.reserveCapacity(min(top, 1 << 16) + 1)
        table.forEach { _, total in
            guard largest.count < top || total.count > largest[top - 1] else { return }
            var position = largest.count
            while position > 0 && largest[position - 1] < total.count { position -= 1 }
            largest.insert(total.count, at: position)
            if largest.count > top { largest.removeLast() }
        }
        return largest.count == top ? largest[top - 1] : 0
    }

    /// The top terms of one table: only the terms at or above its threshold are named and sorted.
    private func topTerms(in table: HashedTable<Total>, names: TermVocabulary) -> [CorpusTerm] {
        let threshold = countThreshold(in: table)
        var candidates: [Total] = []
        table.forEach { _, total in if total.count >= threshold { candidates.append(total) } }
        let named = candidates.map { (term: names.string($0.name), total: $0) }
            .sorted { $0.total.count != $1.total.count ? $0.total.count > $1.total.count : $0.term < $1.term }
        return named.prefix(top).map { CorpusTerm(term: $0.term, count: $0.total.count, documents: Int($0.total.documents)) }
    }

    /// What the TF-IDF lists are read with: the spills, their records in input order, and IDF by
    /// document frequency. Read-only once made, so that workers can share it.
    private struct TFIDFPlan: @unchecked Sendable {
        // Unchecked: the spills are only read from here on (`DocumentSpill.record` reads with `pread`).
        let spills: [DocumentSpill]
        let order: [(sequence: Int, spill: Int, entry: Int)]
        /// Smoothed IDF, as scikit-learn's default: ln((1 + N) / (1 + df)) + 1, by document frequency
        /// up to a million; rarer frequencies are computed where met. (A logarithm per term of every
        /// document was a tenth of the summary's time; a table by term was as large as the vocabulary.)
        let idfByFrequency: [Double]
        let documents: Double

        init(_ aggregate: FrequencyAggregate) {
            spills = aggregate.sealedSpills + (aggregate.spill.map { [$0] } ?? [])
            var order: [(sequence: Int, spill: Int, entry: Int)] = []
            for (s, spill) in spills.enumerated() {
                for (e, entry) in spill.entries.enumerated() { order.append((entry.sequence, s, e)) }
            }
            order.sort { $0.sequence != $1.sequence ? $0.sequence < $1.sequence : ($0.spill, $0.entry) < ($1.spill, $1.entry) }
            self.order = order
            let n = Double(aggregate.documents)
            documents = n
            idfByFrequency = (0...min(aggregate.documents, 1 << 20)).map { Self.smoothedIDF($0, documents: n) }
        }

        func idf(_ documentFrequency: Int) -> Double {
            guard documentFrequency < idfByFrequency.count else { return Self.smoothedIDF(documentFrequency, documents: documents) }
            return idfByFrequency[documentFrequency]
        }

        private static func smoothedIDF(_ documentFrequency: Int, documents: Double) -> Double {
            log((1 + documents) / (1 + Double(documentFrequency))) + 1
        }
    }

    /// What one worker reuses from document to document while it makes TF-IDF lists: the record read
    /// back from a spill, and the best terms so far. (An array of each per document, one for the
    /// record's terms and a string per term and id cost a third of writing the lists.)
    private struct TFIDFScratch {
        var record: [UInt8] = []
        var best: [(score: Double, name: UInt32)] = []
    }

    /// Calls `body` with one document's id (its UTF-8) and its best `tfidfTop` terms by TF-IDF as
    /// (score, name index), highest score first, ties in the order of their names, read back from
    /// the document's spill record.
    private func withBestTerms<Result>(_ position: (sequence: Int, spill: Int, entry: Int), _ plan: TFIDFPlan,
                                       _ unigrams: HashedTable<Total>, scratch: inout TFIDFScratch,
                                       _ body: (UnsafeBufferPointer<UInt8>, [(score: Double, name: UInt32)]) -> Result) -> Result {
        let spill = plan.spills[position.spill]
        spill.read(spill.entries[position.entry], into: &scratch.record)
        // Taken out of `scratch` while its record is borrowed below, and put back with its capacity.
        var best = scratch.best
        scratch.best = []
        best.removeAll(keepingCapacity: true)
        let limit = tfidfTop
        func before(_ a: (score: Double, name: UInt32), _ b: (score: Double, name: UInt32)) -> Bool {
            a.score != b.score ? a.score > b.score : names.less(a.name, b.name)
        }
        let result = scratch.record.withUnsafeBufferPointer { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            let header = Self.header(of: raw)
            let total = Double(max(header.words, 1))
            // The pairs read eight bytes at a load; `header.terms` was bounded by the record's length.
            for k in 0..<header.terms {
                let offset = header.termsStart + 16 * k
                let hash = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                let count = Int32(bitPattern: UInt32(truncatingIfNeeded: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))))
                guard let corpusTotal = unigrams[hash] else { continue }
                let term = (score: FrequencyStage.round(Double(count) / total * plan.idf(Int(corpusTotal.documents)), 6), name: corpusTotal.name)
                // As `Sequence.best` keeps them, in the array this worker reuses.
                if best.count == limit, !before(term, best[limit - 1]) { continue }
                best.append(term)
                var position = best.count - 1
                while position > 0, before(best[position], best[position - 1]) {
                    best.swapAt(position, position - 1)
                    position -= 1
                }
                if best.count > limit { best.removeLast() }
            }
            return body(UnsafeBufferPointer(rebasing: bytes[header.id]), best)
        }
        scratch.best = best
        return result
    }

    /// One document's top terms by TF-IDF, read back from its spill record.
    private func tfidf(_ position: (sequence: Int, spill: Int, entry: Int), _ plan: TFIDFPlan, _ unigrams: HashedTable<Total>) -> DocumentTFIDF {
        var scratch = TFIDFScratch()
        return withBestTerms(position, plan, unigrams, scratch: &scratch) { id, best in
            DocumentTFIDF(id: String(decoding: id, as: UTF8.self), terms: best.map { ScoredTerm(term: names.string($0.name), score: $0.score) })
        }
    }

    /// Writes every document's TF-IDF list, comma-separated, in input order. With more than one
    /// worker the documents go in rounds: each worker writes the JSON of its share of a round into a
    /// buffer of its own, and the buffers are appended in order, so memory stays at a round's worth.
    private func writeTFIDF(_ unigrams: HashedTable<Total>, to writer: inout JSONStreamWriter, workers: Int) throws {
        let plan = TFIDFPlan(self)
        let share = 512  // documents per worker per round
        let workers = max(1, min(workers, (plan.order.count + share - 1) / share))
        var pieces = [JSONBuffer](repeating: JSONBuffer(), count: workers)
        var written = false
        for round in stride(from: 0, to: plan.order.count, by: share * workers) {
            pieces.withUnsafeMutableBufferPointer { buffer in
                // Each worker writes only its own slot, and the buffer outlives `concurrentPerform`.
                nonisolated(unsafe) let pieces = buffer
                let write: @Sendable (Int) -> Void = { worker in
                    var json = JSONWriter()
                    var scratch = TFIDFScratch()
                    let start = min(round + worker * share, plan.order.count)  // the last round may not reach every worker
                    for k in start..<min(start + share, plan.order.count) {
                        if k > start { json.buffer.append(UInt8(ascii: ",")) }
                        // Written from the record's and the vocabulary's bytes, as `DocumentTFIDF` writes
                        // itself, without a string for the id or for each term.
                        withBestTerms(plan.order[k], plan, unigrams, scratch: &scratch) { id, best in
                            DocumentTFIDF.write(id: id, to: &json) { json in
                                for term in best { names.withBytes(term.name) { ScoredTerm.write(term: $0, score: term.score, to: &json) } }
                            }
                        }
                    }
                    pieces[worker] = json.buffer
                }
                if workers == 1 { write(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: write) }
            }
            for piece in pieces where !piece.isEmpty {
                if written { try writer.append(raw: ",") }
                try writer.append(raw: piece)
                written = true
            }
        }
    }

    // MARK: Spill records: words (8 bytes), id length (8), id, term count (8), then (hash, count) pairs, little-endian.

    /// Where a record's parts are: its word count, the bytes of its id, how many (hash, count) pairs
    /// it holds and where they start. Lengths read from the record are bounded by its size, so that a
    /// damaged record reads as a shorter one rather than past its end.
    private static func header(of raw: UnsafeRawBufferPointer) -> (words: Int, id: Range<Int>, terms: Int, termsStart: Int) {
        func read(_ offset: Int) -> UInt64 {
            guard offset + 8 <= raw.count else { return 0 }
            return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        let words = Int(truncatingIfNeeded: read(0))
        let idStart = min(16, raw.count)
        let idLength = Int(min(read(8), UInt64(raw.count - idStart)))
        let terms = Int(min(read(16 + idLength), UInt64(max(0, (raw.count - 24 - idLength) / 16))))
        return (words, idStart..<(idStart + idLength), terms, 24 + idLength)
    }
}

/// The frequency stage's corpus summary.
public struct FrequencySummary: Codable, Sendable {
    /// Documents with a frequency output.
    public let documents: Int
    /// Tokens in all of them.
    public let tokens: Int
    /// Words in all of them.
    public let words: Int
    /// Distinct listed words (stop words left out).
    public let distinctTerms: Int
    /// The commonest words with their document frequencies.
    public let topTerms: [CorpusTerm]
    /// The commonest n-grams per size.
    public let topNgrams: [CorpusNGramList]
    /// Each document's top terms by TF-IDF, in input order; nil when `tfidf_top` is 0.
    public let tfidf: [DocumentTFIDF]?

    enum CodingKeys: String, CodingKey {
        case documents, tokens, words
        case distinctTerms = "distinct_terms"
        case topTerms = "top_terms"
        case topNgrams = "top_ngrams"
        case tfidf
    }
}

/// A term's corpus count and the number of documents it occurs in.
public struct CorpusTerm: Codable, Sendable, Hashable {
    /// The term.
    public let term: String
    /// Occurrences in the corpus.
    public let count: Int
    /// Documents it occurs in.
    public let documents: Int

    /// Creates a corpus term.
    public init(term: String, count: Int, documents: Int) {
        self.term = term
        self.count = count
        self.documents = documents
    }
}

/// The corpus's commonest n-grams of one size.
public struct CorpusNGramList: Codable, Sendable, Hashable {
    /// The n-gram size.
    public let n: Int
    /// The commonest n-grams of that size.
    public let terms: [CorpusTerm]
}

/// A document's top terms by TF-IDF.
public struct DocumentTFIDF: Codable, Sendable, Hashable {
    /// The document id.
    public let id: String
    /// Its best terms, highest score first.
    public let terms: [ScoredTerm]
}

/// A term with its TF-IDF score (term frequency in the document × smoothed IDF), rounded to 6 decimals.
public struct ScoredTerm: Codable, Sendable, Hashable {
    /// The term.
    public let term: String
    /// Its TF-IDF score.
    public let score: Double

    /// Creates a scored term.
    public init(term: String, score: Double) {
        self.term = term
        self.score = score
    }
}

extension CorpusTerm: JSONConvertible {
    public var jsonValue: JSONValue {
        .object([JSONField("term", .string(term)), JSONField("count", .int(count)), JSONField("documents", .int(documents))])
    }
}

// Written once per document of the corpus in the summary's TF-IDF list: they write themselves.

extension ScoredTerm: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        var term = term
        term.withUTF8 { Self.write(term: $0, score: score, to: &writer) }
    }

    /// Writes a scored term given as its UTF-8, as `writeJSON` writes it: for the summary's writer,
    /// which holds the terms as bytes.
    static func write(term: UnsafeBufferPointer<UInt8>, score: Double, to writer: inout JSONWriter) {
        writer.rawValue { JSONValue.appendTermObject(term, then: #","score":"#, { JSONValue.writeNumber(score, to: &$0) }, to: &$0) }
    }
}

extension DocumentTFIDF: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        var id = id
        id.withUTF8 { id in Self.write(id: id, to: &writer) { writer in for term in terms { term.writeJSON(to: &writer) } } }
    }

    /// Writes a document's list given its id as UTF-8 and a function that writes its terms (each as
    /// `ScoredTerm` writes itself), as `writeJSON` writes it: for the summary's writer.
    static func write(id: UnsafeBufferPointer<UInt8>, to writer: inout JSONWriter, terms: (inout JSONWriter) -> Void) {
        writer.beginObject()
        writer.fixedKey("id"); writer.rawValue { JSONValue.writeString(utf8: id, to: &$0) }
        writer.fixedKey("terms"); writer.beginArray(); terms(&writer); writer.endArray()
        writer.endObject()
    }
}
