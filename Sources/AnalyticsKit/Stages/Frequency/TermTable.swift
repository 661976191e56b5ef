/// Every term and n-gram of one document with its count, keyed by hash, built in one pass over the tokens.
///
/// Terms are not turned into strings here: a term is known by the index of its first token, and a
/// `String` is made only for what is listed in the output or new to the corpus vocabulary.
struct TermTable: Sendable {
    struct Entry: Sendable {
        var count: Int32
        /// Index of the first token of the term's first occurrence.
        let first: Int32
    }

    let layer: TextLayer
    let caseFold: Bool
    let stopwords: Set<UInt64>
    /// n → term hash → entry. Size 1 holds every word, stop words included; larger sizes leave out
    /// n-grams that start or end with a stop word.
    private(set) var counts: [Int: [UInt64: Entry]] = [:]
    private(set) var wordCount = 0

    init(layer: TextLayer, stage: FrequencyStage) {
        self.layer = layer
        caseFold = stage.caseFold
        stopwords = stage.stopwords
        let longest = stage.sizes.max() ?? 1
        let ngramSizes = stage.sizes.filter { $0 > 1 }
        var unigrams: [UInt64: Entry] = [:]
        unigrams.reserveCapacity(layer.tokens.count / 2)
        var ngrams: [[UInt64: Entry]] = ngramSizes.map { _ in [:] }
        // The hashes of the current run of words, newest last, at most `longest` of them.
        var run: [UInt64] = []
        run.reserveCapacity(longest)
        let tokens = layer.tokens
        for sentence in layer.sentences {
            run.removeAll(keepingCapacity: true)
            for k in sentence.indices {
                let token = tokens[k]
                guard token.kind == .word || (stage.numbers && token.kind == .number) else {
                    run.removeAll(keepingCapacity: true)
                    continue
                }
                let hash = caseFold ? token.hash : TermHash.of(layer.bytes[token.byteRange])
                wordCount += 1
                unigrams[hash, default: Entry(count: 0, first: Int32(k))].count += 1
                if run.count == longest { run.removeFirst() }
                run.append(hash)
                guard !ngramSizes.isEmpty else { continue }
                let lastIsStop = stopwords.contains(hash)
                for (slot, n) in ngramSizes.enumerated() where run.count >= n {
                    let firstHash = run[run.count - n]
                    if lastIsStop || stopwords.contains(firstHash) { continue }
                    var combined = TermHash.basis
                    for h in run[(run.count - n)...] { combined = TermHash.combine(combined, h) }
                    ngrams[slot][combined, default: Entry(count: 0, first: Int32(k - n + 1))].count += 1
                }
            }
        }
        counts[1] = unigrams
        for (slot, n) in ngramSizes.enumerated() { counts[n] = ngrams[slot] }
    }

    var distinctWords: Int { counts[1]?.count ?? 0 }
    var hapaxLegomena: Int { counts[1]?.values.reduce(0) { $0 + ($1.count == 1 ? 1 : 0) } ?? 0 }

    /// Whether a term of size `n` is listed: stop words are counted for statistics but never listed.
    func isListed(_ hash: UInt64, n: Int) -> Bool {
        n > 1 || !stopwords.contains(hash)
    }

    /// The `limit` commonest terms of size `n`, most frequent first, ties in byte order of the term.
    func top(n: Int, limit: Int) -> [TermCount] {
        guard limit > 0, let table = counts[n] else { return [] }
        let entries = table.filter { isListed($0.key, n: n) }.map(\.value)
        var candidates = entries
        if entries.count > limit {
            var tallies = entries.map(\.count)
            tallies.sort(by: >)
            let threshold = tallies[limit - 1]
            candidates = entries.filter { $0.count >= threshold }
        }
        candidates.sort { $0.count != $1.count ? $0.count > $1.count : termLess(Int($0.first), Int($1.first), n: n) }
        return candidates.prefix(limit).map { TermCount(term: string(first: Int($0.first), n: n), count: Int($0.count)) }
    }

    /// The term of `n` words starting at token `first`, words joined by a space.
    func string(first: Int, n: Int) -> String {
        var bytes: [UInt8] = []
        for k in first..<(first + n) {
            if k > first { bytes.append(0x20) }
            bytes.append(contentsOf: termBytes(k))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func termBytes(_ k: Int) -> ArraySlice<UInt8> {
        let token = layer.tokens[k]
        return caseFold ? layer.folded[token.foldedRange] : layer.bytes[token.byteRange]
    }

    /// Compares two n-grams as their joined strings compare, without building them.
    private func termLess(_ a: Int, _ b: Int, n: Int) -> Bool {
        for offset in 0..<n {
            let x = termBytes(a + offset)
            let y = termBytes(b + offset)
            if x.elementsEqual(y) { continue }
            // A word that is a prefix of the other sorts first, as the space after it would.
            return x.lexicographicallyPrecedes(y)
        }
        return false
    }
}
