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
        /// False for stop words: counted in the statistics, never listed.
        let listed: Bool
        static let empty = Entry(count: 0, first: 0, listed: false)
    }

    let layer: TextLayer
    let caseFold: Bool
    /// The n-gram sizes, 1 first; `tables[k]` counts the terms of size `sizes[k]`.
    let sizes: [Int]
    /// Term hash → entry per size. Size 1 holds every word, stop words included (not listed);
    /// larger sizes leave out n-grams that start or end with a stop word.
    private(set) var tables: [HashedTable<Entry>]
    /// Each table's keys in the order first seen: the tables are mostly empty slots (sized for every
    /// token), so walking these is much cheaper than walking the slots.
    private(set) var keys: [[UInt64]]
    private(set) var wordCount = 0
    /// Words that occur exactly once, kept up to date while counting.
    private(set) var hapaxLegomena = 0

    init(layer: TextLayer, stage: FrequencyStage) {
        self.layer = layer
        caseFold = stage.caseFold
        let ngramSizes = stage.sizes.filter { $0 > 1 }
        sizes = [1] + ngramSizes
        let stopwords = stage.stopwords
        let fold = stage.caseFold
        // Sized for every token up to a point: a long document has far fewer distinct terms than tokens,
        // and a table sized for all of them cost hundreds of MB on a 20 MB document. Past it, tables grow.
        let capacity = min(layer.tokens.count, 1 << 14)
        var unigrams = HashedTable<Entry>(capacity: capacity, empty: .empty)
        var ngrams = ngramSizes.map { _ in HashedTable<Entry>(capacity: capacity, empty: .empty) }
        var unigramKeys: [UInt64] = []
        var ngramKeys = ngramSizes.map { _ in [UInt64]() }
        // The current run of words as a ring: their hashes and whether each is a stop word.
        let ringSize = 8
        var ringHashes = [UInt64](repeating: 0, count: ringSize)
        var ringStops = [Bool](repeating: false, count: ringSize)
        var runLength = 0
        var words = 0
        var once = 0
        layer.tokens.withUnsafeBufferPointer { tokens in
            for sentence in layer.sentences {
                runLength = 0
                for k in sentence.indices {
                    let token = tokens[k]
                    guard token.kind == .word || (stage.numbers && token.kind == .number) else {
                        runLength = 0
                        continue
                    }
                    let hash = fold ? token.hash : TermHash.of(layer.bytes[token.byteRange])
                    words += 1
                    var isStop = false
                    let isNew = unigrams.update(hash, initial: { Entry(count: 0, first: Int32(k), listed: !stopwords.contains(hash)) }) {
                        $0.count += 1
                        isStop = !$0.listed
                        if $0.count == 1 { once += 1 } else if $0.count == 2 { once -= 1 }
                    }
                    if isNew { unigramKeys.append(hash) }
                    guard !ngrams.isEmpty else { continue }
                    let position = runLength % ringSize
                    ringHashes[position] = hash
                    ringStops[position] = isStop
                    runLength += 1
                    guard !isStop else { continue }
                    for (slot, n) in ngramSizes.enumerated() where runLength >= n {
                        let start = runLength - n
                        if ringStops[start % ringSize] { continue }
                        var combined = TermHash.basis
                        for j in start..<runLength { combined = TermHash.combine(combined, ringHashes[j % ringSize]) }
                        if ngrams[slot].update(combined, initial: { Entry(count: 0, first: Int32(k - n + 1), listed: true) }, { $0.count += 1 }) {
                            ngramKeys[slot].append(combined)
                        }
                    }
                }
            }
        }
        wordCount = words
        hapaxLegomena = once
        tables = [unigrams] + ngrams
        keys = [unigramKeys] + ngramKeys
    }

    /// Calls `body` with every term of size `n` and its entry, in the order first seen.
    func forEachTerm(n: Int, _ body: (UInt64, Entry) -> Void) {
        guard let index = sizes.firstIndex(of: n) else { return }
        let table = tables[index]
        for key in keys[index] {
            if let entry = table[key] { body(key, entry) }
        }
    }

    /// Number of distinct terms of size `n`.
    func termCount(n: Int) -> Int {
        sizes.firstIndex(of: n).map { keys[$0].count } ?? 0
    }

    var distinctWords: Int { tables[0].count }

    /// The `limit` commonest terms of size `n`, most frequent first, ties in byte order of the term.
    func top(n: Int, limit: Int) -> [TermCount] {
        guard limit > 0 else { return [] }
        // A sorted list of at most `limit` entries: most terms occur once and are turned away by
        // one comparison with the last entry, so this costs about one pass over the table.
        var best: [Entry] = []
        best.reserveCapacity(limit + 1)
        func before(_ a: Entry, _ b: Entry) -> Bool {
            a.count != b.count ? a.count > b.count : termLess(Int(a.first), Int(b.first), n: n)
        }
        forEachTerm(n: n) { _, entry in
            guard entry.listed else { return }
            if best.count == limit, !before(entry, best[limit - 1]) { return }
            var position = best.count
            while position > 0 && before(entry, best[position - 1]) { position -= 1 }
            best.insert(entry, at: position)
            if best.count > limit { best.removeLast() }
        }
        return best.map { TermCount(term: string(first: Int($0.first), n: n), count: Int($0.count)) }
    }

    /// Appends the UTF-8 of the term of `n` words starting at token `first` (words joined by a space).
    func appendTerm(first: Int, n: Int, to out: inout [UInt8]) {
        let source = caseFold ? layer.folded : layer.bytes
        let tokens = layer.tokens
        for k in first..<(first + n) {
            if k > first { out.append(0x20) }
            out.append(contentsOf: source[caseFold ? tokens[k].foldedRange : tokens[k].byteRange])
        }
    }

    /// The term of `n` words starting at token `first`, words joined by a space. Written in place rather
    /// than through `appendTerm` and an array: it runs for every listed term of every document, and the
    /// extra buffer cost the stage a tenth of its time.
    func string(first: Int, n: Int) -> String {
        let source = caseFold ? layer.folded : layer.bytes
        let tokens = layer.tokens
        var length = n - 1
        for k in first..<(first + n) { length += caseFold ? tokens[k].foldedRange.count : tokens[k].byteCount }
        return source.withUnsafeBufferPointer { bytes in
            String(unsafeUninitializedCapacity: length) { out in
                var position = 0
                for k in first..<(first + n) {
                    if k > first {
                        out[position] = 0x20
                        position += 1
                    }
                    let range = caseFold ? tokens[k].foldedRange : tokens[k].byteRange
                    _ = UnsafeMutableBufferPointer(rebasing: out[position..<(position + range.count)]).initialize(from: bytes[range])
                    position += range.count
                }
                return position
            }
        }
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
