import Foundation

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
    let stopwords: HashedTable<Bool>
    /// n → term hash → entry. Size 1 holds every word, stop words included; larger sizes leave out
    /// n-grams that start or end with a stop word.
    private(set) var counts: [Int: HashedTable<Entry>] = [:]
    private(set) var wordCount = 0

    init(layer: TextLayer, stage: FrequencyStage) {
        self.layer = layer
        caseFold = stage.caseFold
        stopwords = stage.stopwords
        let longest = stage.sizes.max() ?? 1
        let ngramSizes = stage.sizes.filter { $0 > 1 }
        var unigrams = HashedTable<Entry>(capacity: layer.tokens.count / 2)
        var ngrams = ngramSizes.map { _ in HashedTable<Entry>(capacity: layer.tokens.count / 2) }
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
                unigrams.update(hash, initial: { Entry(count: 0, first: Int32(k)) }) { $0.count += 1 }
                if run.count == longest { run.removeFirst() }
                run.append(hash)
                guard !ngramSizes.isEmpty else { continue }
                let lastIsStop = stopwords.contains(hash)
                for (slot, n) in ngramSizes.enumerated() where run.count >= n {
                    let firstHash = run[run.count - n]
                    if lastIsStop || stopwords.contains(firstHash) { continue }
                    var combined = TermHash.basis
                    for h in run[(run.count - n)...] { combined = TermHash.combine(combined, h) }
                    ngrams[slot].update(combined, initial: { Entry(count: 0, first: Int32(k - n + 1)) }) { $0.count += 1 }
                }
            }
        }
        counts[1] = unigrams
        for (slot, n) in ngramSizes.enumerated() { counts[n] = ngrams[slot] }
    }

    var distinctWords: Int { counts[1]?.count ?? 0 }
    var hapaxLegomena: Int {
        var once = 0
        counts[1]?.forEach { _, entry in if entry.count == 1 { once += 1 } }
        return once
    }

    /// Whether a term of size `n` is listed: stop words are counted for statistics but never listed.
    func isListed(_ hash: UInt64, n: Int) -> Bool {
        n > 1 || !stopwords.contains(hash)
    }

    /// The `limit` commonest terms of size `n`, most frequent first, ties in byte order of the term.
    func top(n: Int, limit: Int) -> [TermCount] {
        guard limit > 0, let table = counts[n] else { return [] }
        // A sorted list of at most `limit` entries: most terms occur once and are turned away by
        // one comparison with the last entry, so this costs about one pass over the table.
        var best: [Entry] = []
        best.reserveCapacity(limit + 1)
        func before(_ a: Entry, _ b: Entry) -> Bool {
            a.count != b.count ? a.count > b.count : termLess(Int(a.first), Int(b.first), n: n)
        }
        table.forEach { hash, entry in
            guard isListed(hash, n: n) else { return }
            if best.count == limit, !before(entry, best[limit - 1]) { return }
            var position = best.count
            while position > 0 && before(entry, best[position - 1]) { position -= 1 }
            best.insert(entry, at: position)
            if best.count > limit { best.removeLast() }
        }
        return best.map { TermCount(term: string(first: Int($0.first), n: n), count: Int($0.count)) }
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
        let source = caseFold ? layer.folded : layer.bytes
        return source.withUnsafeBufferPointer { bytes in
            layer.tokens.withUnsafeBufferPointer { tokens in
                for offset in 0..<n {
                    let x = caseFold ? tokens[a + offset].foldedRange : tokens[a + offset].byteRange
                    let y = caseFold ? tokens[b + offset].foldedRange : tokens[b + offset].byteRange
                    let common = min(x.count, y.count)
                    let order = memcmp(bytes.baseAddress! + x.lowerBound, bytes.baseAddress! + y.lowerBound, common)
                    if order != 0 { return order < 0 }
                    // A word that is a prefix of the other sorts first, as the space after it would.
                    if x.count != y.count { return x.count < y.count }
                }
                return false
            }
        }
    }
}
