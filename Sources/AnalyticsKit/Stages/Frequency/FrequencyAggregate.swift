import Foundation

/// Corpus totals for the frequency stage: term and n-gram counts, document frequencies, TF-IDF.
///
/// Partials hold counts by term hash and a vocabulary from hash to string; merging sums counts and
/// unites vocabularies, so it is associative and commutative. TF-IDF needs every document's word
/// counts until the end (disable with `tfidf_top: 0`); they are kept as compact (hash, count) pairs.
/// Terms are told apart by 64-bit hashes: two distinct terms would be merged only on a hash collision,
/// which is vanishingly unlikely at corpus vocabulary sizes.
public struct FrequencyAggregate: CorpusAggregate {
    struct Total: Sendable {
        var count: Int
        var documents: Int
    }

    struct DocumentTerms: Sendable {
        let sequence: Int
        let id: String
        let words: Int
        let terms: [(hash: UInt64, count: Int32)]
    }

    let sizes: [Int]
    let top: Int
    let tfidfTop: Int
    var documents = 0
    var tokens = 0
    var words = 0
    /// n → hash → totals
    var totals: [Int: [UInt64: Total]] = [:]
    /// n → hash → the term
    var vocabulary: [Int: [UInt64: String]] = [:]
    var perDocument: [DocumentTerms] = []

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
        for n in sizes {
            guard let counts = table.counts[n] else { continue }
            var sums = totals[n, default: [:]]
            var names = vocabulary[n, default: [:]]
            totals[n] = nil
            vocabulary[n] = nil
            for (hash, entry) in counts where table.isListed(hash, n: n) {
                sums[hash, default: Total(count: 0, documents: 0)].count += Int(entry.count)
                sums[hash]!.documents += 1
                if names[hash] == nil { names[hash] = table.string(first: Int(entry.first), n: n) }
            }
            totals[n] = sums
            vocabulary[n] = names
        }
        if tfidfTop > 0, let unigrams = table.counts[1] {
            let terms = unigrams.filter { table.isListed($0.key, n: 1) }.map { (hash: $0.key, count: $0.value.count) }
            perDocument.append(DocumentTerms(sequence: sequence, id: document.id, words: output.words, terms: terms))
        }
    }

    public mutating func merge(_ other: FrequencyAggregate) {
        documents += other.documents
        tokens += other.tokens
        words += other.words
        for (n, theirs) in other.totals {
            totals[n, default: [:]].merge(theirs) { Total(count: $0.count + $1.count, documents: $0.documents + $1.documents) }
        }
        for (n, theirs) in other.vocabulary {
            vocabulary[n, default: [:]].merge(theirs) { mine, _ in mine }
        }
        perDocument += other.perDocument
    }

    public func finalize() -> FrequencySummary {
        let unigrams = totals[1] ?? [:]
        return FrequencySummary(
            documents: documents,
            tokens: tokens,
            words: words,
            distinctTerms: unigrams.count,
            topTerms: topTerms(n: 1),
            topNgrams: sizes.filter { $0 > 1 }.map { CorpusNGramList(n: $0, terms: topTerms(n: $0)) },
            tfidf: tfidfTop > 0 ? tfidfByDocument(unigrams) : nil
        )
    }

    private func topTerms(n: Int) -> [CorpusTerm] {
        guard top > 0, let table = totals[n], let names = vocabulary[n] else { return [] }
        var candidates = Array(table)
        if candidates.count > top {
            var tallies = candidates.map(\.value.count)
            tallies.sort(by: >)
            let threshold = tallies[top - 1]
            candidates = candidates.filter { $0.value.count >= threshold }
        }
        let named = candidates.map { (term: names[$0.key] ?? "", total: $0.value) }
            .sorted { $0.total.count != $1.total.count ? $0.total.count > $1.total.count : $0.term < $1.term }
        return named.prefix(top).map { CorpusTerm(term: $0.term, count: $0.total.count, documents: $0.total.documents) }
    }

    private func tfidfByDocument(_ unigrams: [UInt64: Total]) -> [DocumentTFIDF] {
        let n = Double(documents)
        let names = vocabulary[1] ?? [:]
        return perDocument.sorted { $0.sequence < $1.sequence }.map { doc in
            let total = Double(max(doc.words, 1))
            let scored = doc.terms.map { term -> (String, Double) in
                let df = Double(unigrams[term.hash]?.documents ?? 1)
                // Smoothed IDF, as scikit-learn's default: ln((1 + N) / (1 + df)) + 1.
                let idf = log((1 + n) / (1 + df)) + 1
                return (names[term.hash] ?? "", FrequencyStage.round(Double(term.count) / total * idf, 6))
            }
            let best = scored.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(tfidfTop)
            return DocumentTFIDF(id: doc.id, terms: best.map { ScoredTerm(term: $0.0, score: $0.1) })
        }
    }
}

/// The frequency stage's corpus summary.
public struct FrequencySummary: Codable, Sendable {
    public let documents: Int
    public let tokens: Int
    public let words: Int
    public let distinctTerms: Int
    public let topTerms: [CorpusTerm]
    public let topNgrams: [CorpusNGramList]
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
    public let term: String
    public let count: Int
    public let documents: Int
}

/// The corpus's commonest n-grams of one size.
public struct CorpusNGramList: Codable, Sendable, Hashable {
    public let n: Int
    public let terms: [CorpusTerm]
}

/// A document's top terms by TF-IDF.
public struct DocumentTFIDF: Codable, Sendable, Hashable {
    public let id: String
    public let terms: [ScoredTerm]
}

/// A term with its TF-IDF score (term frequency in the document × smoothed IDF), rounded to 6 decimals.
public struct ScoredTerm: Codable, Sendable, Hashable {
    public let term: String
    public let score: Double
}
