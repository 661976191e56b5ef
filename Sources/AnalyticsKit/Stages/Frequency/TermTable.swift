import Foundation

/// Every term and n-gram of one document with its count, built in one pass over the tokens.
///
/// Terms are not turned into strings here: a term is known by its hash and the index of its first
/// token, and its text is read from the layer only for what is listed in the output or new to the
/// corpus vocabulary. Each size keeps its distinct terms in a dense list in the order first seen,
/// counted in the thread's scratch memory (`TermCounterPool`) and copied out only for a table that
/// is kept.
struct TermTable: Sendable {
    /// A distinct term with its count.
    struct Entry: Sendable {
        /// The term's hash (`Token.hash` for words, `TermHash.combine` over them for n-grams).
        let key: UInt64
        var count: Int32
        /// Index of the first token of the term's first occurrence; the top bit set for stop words.
        private let firstAndStop: UInt32

        init(key: UInt64, first: Int, listed: Bool) {
            self.key = key
            count = 0
            // `TermTable.count` refuses layers of 2^31 tokens or more, so the index fits 31 bits.
            firstAndStop = UInt32(truncatingIfNeeded: first) | (listed ? 0 : 1 << 31)
        }

        /// Index of the first token of the term's first occurrence.
        var first: Int { Int(firstAndStop & ~(1 << 31)) }
        /// 0 for a term that may be listed, another value for a stop word: `listed` as a bit, for
        /// tests joined without a branch.
        var stopBit: UInt32 { firstAndStop & (1 << 31) }
        /// False for stop words: counted in the statistics, never listed.
        var listed: Bool { stopBit == 0 }
        /// A `stopBit` that is never 0, for no word at all.
        static let noWord: UInt32 = 1 << 31
    }

    let layer: TextLayer
    let caseFold: Bool
    /// The n-gram sizes, 1 first; `terms[k]` holds the terms of size `sizes[k]`.
    let sizes: [Int]
    /// The distinct terms per size, in the order first seen. Size 1 holds every word, stop words
    /// included (not listed); larger sizes leave out n-grams that start or end with a stop word.
    let terms: [[Entry]]
    /// The document's word statistics.
    let statistics: Statistics

    /// A document's statistics, as `count` returns them.
    struct Statistics {
        /// Words counted.
        let words: Int
        /// Distinct words, stop words included.
        let distinctWords: Int
        /// Words that occur exactly once, kept up to date while counting.
        let hapaxLegomena: Int
    }

    /// Counts the layer's terms, appends to `listed` the `top` commonest terms of each size (see
    /// `appendTop`) and keeps the terms themselves (for `forEachTerm`, `termCount`): the table a
    /// corpus aggregate reads. Without one, use `count`, which keeps nothing.
    init(layer: TextLayer, stage: FrequencyStage, top: Int, listing listed: inout ListedTerms) {
        self.layer = layer
        caseFold = stage.caseFold
        sizes = stage.countedSizes
        (statistics, terms) = Self.count(layer: layer, stage: stage, top: top, listing: &listed, keepingTerms: true)
    }

    /// Counts the layer's terms and appends to `listed` the `top` commonest terms of each size (see
    /// `appendTop`), made from the counters' own memory; the terms are copied out of it only when
    /// `keepingTerms`. A static function, not an initialiser, so that the layer and the stage are
    /// borrowed: an initialiser takes its arguments owned, and the copies retained each of their
    /// arrays for every document.
    static func count(layer: TextLayer, stage: FrequencyStage, top: Int, listing listed: inout ListedTerms,
                      keepingTerms: Bool = false) -> (Statistics, terms: [[Entry]]) {
        let sizes = stage.countedSizes
        let ngramSizes = stage.ngramSizes
        let caseFold = stage.caseFold
        // The engine refuses documents over 2^31 bytes (`DocumentProcessor.offsetLimit`), so token
        // indices fit the 31 bits an entry keeps for them.
        precondition(layer.tokens.count < 1 << 31, "documents over 2^31 bytes are refused before any stage runs")
        // Sized for every token up to a point: a long document has far fewer distinct terms than
        // tokens, and tables sized for all of them cost hundreds of MB on a 20 MB document.
        let capacity = min(layer.tokens.count, 1 << 14)
        // The parts of the stage the count reads, taken out here: the closure below would otherwise
        // capture a copy of the whole stage, a retain and a release for each of its lists per document.
        let stopwords = stage.stopwords
        let numbers = stage.numbers
        return Self.scratch.withValue { pool in
            let counters = pool.counters(sizes.count, capacity: capacity)
            let counted = Self.count(layer, stopwords: stopwords, fold: caseFold, numbers: numbers, ngramSizes: ngramSizes, into: counters)
            Self.withTermBytes(layer, caseFold: caseFold) { text in
                for k in sizes.indices {
                    Self.appendTop(counters[k].counted, countedTwice: counters[k].countedTwice, n: sizes[k], limit: top, text: text, to: &listed)
                }
            }
            let terms = keepingTerms ? sizes.indices.map { Array(counters[$0].counted) } : []
            return (Statistics(words: counted.words, distinctWords: counters[0].counted.count, hapaxLegomena: counted.once), terms)
        }
    }

    /// Each thread's counters, reused from document to document.
    private static let scratch = ThreadScratch { TermCounterPool() }

    /// Counts the layer's terms into `counters` (words in the first, then the n-grams of each of
    /// `ngramSizes`); returns the words and the words seen once.
    private static func count(_ layer: TextLayer, stopwords: StopWords, fold: Bool, numbers: Bool, ngramSizes: [Int],
                              into counters: UnsafeMutablePointer<TermCounter>) -> (words: Int, once: Int) {
        if ngramSizes.count == 1 && ngramSizes[0] == 2 {  // not `== [2]`, which made an array per document
            return countWithBigrams(layer, stopwords: stopwords, fold: fold, numbers: numbers, into: counters)
        }
        let ngramCount = ngramSizes.count
        var words = 0
        var once = 0
        // The current run of words as a ring of their hashes, with a bit per position for stop words.
        let ringMask = 7
        var ring: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &ring) { ringBytes in
            let ringHashes = ringBytes.baseAddress!.assumingMemoryBound(to: UInt64.self)
            var ringStops: UInt8 = 0
            var runLength = 0
            ngramSizes.withUnsafeBufferPointer { ngramSizes in
                layer.bytes.withUnsafeBufferPointer { bytes in
                    layer.tokens.withUnsafeBufferPointer { tokens in
                        for sentence in layer.sentences {
                            runLength = 0
                            for k in sentence.indices {
                                let token = tokens[k]
                                guard token.kind == .word || (numbers && token.kind == .number) else {
                                    runLength = 0
                                    continue
                                }
                                let hash = fold ? token.hash : TermHash.of(UnsafeBufferPointer(rebasing: bytes[token.byteRange]))
                                words &+= 1
                                let entry = counters[0].increment(hash, first: k) { !stopwords.contains($0) }
                                once &+= Self.hapaxChange(entry.pointee.count)
                                guard ngramCount > 0 else { continue }
                                let isStop = !entry.pointee.listed
                                let position = runLength & ringMask
                                ringHashes[position] = hash
                                let bit: UInt8 = 1 << UInt8(position)
                                ringStops = isStop ? ringStops | bit : ringStops & ~bit
                                runLength += 1
                                guard !isStop else { continue }
                                for slot in 0..<ngramCount {
                                    let n = ngramSizes[slot]
                                    guard runLength >= n else { break }
                                    let start = runLength - n
                                    if ringStops & (1 << UInt8(start & ringMask)) != 0 { continue }
                                    var combined = TermHash.basis
                                    for j in start..<runLength { combined = TermHash.combine(combined, ringHashes[j & ringMask]) }
                                    _ = counters[slot + 1].increment(combined, first: k - n + 1) { _ in true }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (words, once)
    }

    /// `count` for the commonest setting, words and bigrams (`ngrams: [1, 2]`): the previous word of
    /// the run held in a register instead of a ring, a bigram's key made only where one ends. It counts what
    /// the general loop counts (a test compares the two).
    private static func countWithBigrams(_ layer: TextLayer, stopwords: StopWords, fold: Bool, numbers: Bool,
                                         into counters: UnsafeMutablePointer<TermCounter>) -> (words: Int, once: Int) {
        var words = 0
        var once = 0
        layer.bytes.withUnsafeBufferPointer { bytes in
            layer.tokens.withUnsafeBufferPointer { tokens in
                for sentence in layer.sentences {
                    // The previous word's hash, valid when `pendingStop` is 0: there is a previous word
                    // in the run and it is no stop word (`Entry.stopBit`; the bit set otherwise). Its
                    // part of the bigram key is made only when a bigram ends here: made for every word,
                    // ahead, it cost 1% of text layer + frequency.
                    var pending: UInt64 = 0
                    var pendingStop = Entry.noWord
                    for k in sentence.indices {
                        let token = tokens[k]
                        guard token.kind == .word || (numbers && token.kind == .number) else {
                            pendingStop = Entry.noWord
                            continue
                        }
                        let hash = fold ? token.hash : TermHash.of(UnsafeBufferPointer(rebasing: bytes[token.byteRange]))
                        words &+= 1
                        let entry = counters[0].increment(hash, first: k) { !stopwords.contains($0) }
                        once &+= Self.hapaxChange(entry.pointee.count)
                        // One branch, on whether a bigram ends here: whether the word is a stop word and
                        // whether the one before was are each a coin toss, and branching on both, one
                        // after the other, mispredicted about a hundred times per document. The two
                        // are joined as bits: as Booleans (`&&`, or `&` on their values) the compiler
                        // branched on each again.
                        let stop = entry.pointee.stopBit
                        if stop | pendingStop == 0 {
                            _ = counters[1].increment(TermHash.combine(TermHash.combine(TermHash.basis, pending), hash), first: k - 1) { _ in true }
                        }
                        pending = hash
                        pendingStop = stop
                    }
                }
            }
        }
        return (words, once)
    }

    /// How the number of words seen once changes when a word's count becomes `count`: computed, not
    /// branched on, since whether a word of a short document was seen before is a coin toss and the
    /// branch was mispredicted (4% of the frequency stage).
    @inline(__always) private static func hapaxChange(_ count: Int32) -> Int {
        Int(truncatingIfNeeded: (count == 1 ? 1 : 0) &- (count == 2 ? 1 : 0))
    }

    /// Calls `body` with every term of size `n` and its entry, in the order first seen.
    func forEachTerm(n: Int, _ body: (UInt64, Entry) -> Void) {
        guard let index = sizes.firstIndex(of: n) else { return }
        for entry in terms[index] { body(entry.key, entry) }
    }

    /// Number of distinct terms of size `n`.
    func termCount(n: Int) -> Int {
        sizes.firstIndex(of: n).map { terms[$0].count } ?? 0
    }

    /// Appends to `listed` a list of the `limit` commonest of `entries` (terms of size `n`), most
    /// frequent first, ties in byte order of the term. `countedTwice` holds the positions of the
    /// entries counted more than once.
    private static func appendTop(_ entries: UnsafeBufferPointer<Entry>, countedTwice: UnsafeBufferPointer<UInt32>, n: Int, limit: Int,
                                  text: TermBytes, to listed: inout ListedTerms) {
        listed.begin(n: n)
        // Never more candidates than terms: a `top` of a billion must not ask for the memory.
        let limit = min(limit, entries.count)
        guard limit > 0 else { return }
        // A sorted list of at most `limit` candidates: most terms occur once and are turned away by one
        // comparison with the last candidate, so this costs about one pass over the terms. Ties are
        // common (most terms occur once), so each candidate carries the first eight bytes of its term
        // as a number: comparing those settles nearly every tie without reading the text again.
        struct Candidate {
            let entry: Entry
            let prefix: UInt64
        }
        // The candidates in a buffer on the stack, shifted by hand: `Array.insert` called `memmove`
        // and checked uniqueness for every candidate, a tenth of this method's time.
        withUnsafeTemporaryAllocation(of: Candidate.self, capacity: limit + 1) { best in
            var count = 0
            func before(_ a: Candidate, _ b: Candidate) -> Bool {
                if a.entry.count != b.entry.count { return a.entry.count > b.entry.count }
                if a.prefix != b.prefix { return a.prefix < b.prefix }
                return text.less(a.entry.first, b.entry.first, n: n)
            }
            func insert(_ candidate: Candidate) {
                var position = count
                while position > 0 && before(candidate, best[position - 1]) {
                    best[position] = best[position - 1]
                    position -= 1
                }
                best[position] = candidate
                if count < limit { count += 1 }
            }
            var lastCount: Int32 = 0  // the count of the last candidate once the list is full
            func consider(_ entry: Entry) {
                if count == limit {
                    if entry.count < lastCount { return }
                    if entry.count == lastCount {
                        let last = best[limit - 1]
                        // Most ties already lose on their first byte, which costs one load to read.
                        if text.word(entry.first)[0] > UInt8(truncatingIfNeeded: last.prefix >> 56) { return }
                        let prefix = text.prefix(first: entry.first, n: n)
                        if prefix > last.prefix || (prefix == last.prefix && !text.less(entry.first, last.entry.first, n: n)) { return }
                        insert(Candidate(entry: entry, prefix: prefix))
                        lastCount = best[limit - 1].entry.count
                        return
                    }
                }
                insert(Candidate(entry: entry, prefix: text.prefix(first: entry.first, n: n)))
                if count == limit { lastCount = best[limit - 1].entry.count }
            }
            // Terms seen more than once first, then, if the list has room left, those seen once (most
            // of them): taken in one pass, the first terms of a document, mostly seen once, filled the
            // list only to be pushed out again, each costing its prefix and a shift of the list. The
            // order they are considered in does not change the list: no two terms tie on every key.
            for position in countedTwice where entries[Int(position)].listed { consider(entries[Int(position)]) }
            if count < limit {
                for entry in entries where entry.listed && entry.count <= 1 { consider(entry) }
            }
            for k in 0..<count {
                let first = best[k].entry.first
                listed.append(count: Int(best[k].entry.count), pieces: n) { text.word(first + $0) }
            }
        }
    }

    /// Appends the UTF-8 of the term of `n` words starting at token `first` (words joined by a space).
    func appendTerm(first: Int, n: Int, to out: inout [UInt8]) {
        withTermBytes { $0.append(first: first, n: n, to: &out) }
    }

    /// Calls `body` with the terms' bytes (folded or as written) and the tokens, as raw buffers: the
    /// methods that read terms run for many terms of every document, and going through the arrays
    /// retained, released and bounds-checked them for each.
    private func withTermBytes<Result>(_ body: (TermBytes) -> Result) -> Result {
        Self.withTermBytes(layer, caseFold: caseFold, body)
    }

    private static func withTermBytes<Result>(_ layer: TextLayer, caseFold: Bool, _ body: (TermBytes) -> Result) -> Result {
        (caseFold ? layer.folded : layer.bytes).withUnsafeBufferPointer { bytes in
            layer.tokens.withUnsafeBufferPointer { tokens in
                body(TermBytes(bytes: bytes, tokens: tokens, folded: caseFold))
            }
        }
    }
}

/// A document's terms read from its bytes: a term of `n` words starts at a token and is those words
/// joined by single spaces. Valid only inside `TermTable.withTermBytes`.
private struct TermBytes {
    let bytes: UnsafeBufferPointer<UInt8>
    let tokens: UnsafeBufferPointer<Token>
    /// Whether `bytes` is the layer's folded text (case folding on) or the text as written.
    let folded: Bool

    /// The bytes of the word at token `k`.
    @inline(__always) func word(_ k: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[folded ? tokens[k].foldedRange : tokens[k].byteRange])
    }

    /// Appends the UTF-8 of the term of `n` words from token `first`.
    func append(first: Int, n: Int, to out: inout [UInt8]) {
        for k in first..<(first + n) {
            if k > first { out.append(0x20) }
            out.append(contentsOf: word(k))
        }
    }

    /// The first eight bytes of the term of `n` words from token `first`, big-endian and padded with
    /// zeros: numbers that order as the terms' bytes do, since no term contains a byte below the space.
    /// Wrapping arithmetic and masking shifts throughout, on counts that stay in range (a word has a
    /// byte or more, `filled` stays below 8): the checked forms cost half of this method's instructions.
    func prefix(first: Int, n: Int) -> UInt64 {
        var value: UInt64 = 0
        var filled = 0  // bytes of `value` taken, from the top
        var k = first
        while true {
            let range = folded ? tokens[k].foldedRange : tokens[k].byteRange
            let taken = min(range.count, 8 &- filled)  // 1 to 8
            var word: UInt64 = 0
            if range.lowerBound &+ 8 <= bytes.count {
                // Eight bytes in one load, most significant first; only `taken` of them kept.
                word = UnsafeRawPointer(bytes.baseAddress! + range.lowerBound).loadUnaligned(as: UInt64.self).bigEndian
                word &= UInt64.max &<< UInt64(64 &- 8 &* taken)
            } else {
                for j in 0..<taken { word |= UInt64(bytes[range.lowerBound &+ j]) &<< UInt64(56 &- 8 &* j) }
            }
            value |= word &>> UInt64(8 &* filled)
            filled &+= taken
            k &+= 1
            if filled == 8 || k == first &+ n { return value }
            value |= 0x20 &<< UInt64(56 &- 8 &* filled)  // the space between two words
            filled &+= 1
            if filled == 8 { return value }
        }
    }

    /// Whether the term of `n` words from token `a` sorts before the one from token `b`, as their
    /// joined strings' bytes do, without building them.
    func less(_ a: Int, _ b: Int, n: Int) -> Bool {
        for offset in 0..<n {
            let x = word(a + offset), y = word(b + offset)
            let order = memcmp(x.baseAddress!, y.baseAddress!, min(x.count, y.count))
            if order != 0 { return order < 0 }
            // A word that is a prefix of the other sorts first, as the space after it would.
            if x.count != y.count { return x.count < y.count }
        }
        return false
    }
}

/// The counters one thread reuses for every document it counts, one per term size: memory that a
/// document's counting needs only while it runs.
private final class TermCounterPool {
    // A class for its deinit, which frees the counters' memory when the thread ends.
    private var counters: UnsafeMutablePointer<TermCounter> = .allocate(capacity: 0)
    private var count = 0

    /// `sizes` counters, emptied and sized for a document of `capacity` tokens.
    func counters(_ sizes: Int, capacity: Int) -> UnsafeMutablePointer<TermCounter> {
        if sizes > count {
            let grown = UnsafeMutablePointer<TermCounter>.allocate(capacity: sizes)
            grown.moveInitialize(from: counters, count: count)
            for k in count..<sizes { (grown + k).initialize(to: TermCounter()) }
            counters.deallocate()
            counters = grown
            count = sizes
        }
        for k in 0..<sizes { counters[k].reset(capacity: capacity) }
        return counters
    }

    deinit {
        for k in 0..<count { counters[k].deallocate() }
        counters.deallocate()
    }
}

/// Counts one document's terms of one size: the entries in a dense list in the order first seen, and
/// an open-addressing index (hash → position + 1, 0 for an empty slot) to find them.
///
/// Not a `HashedTable`: that keeps entries in its slots (mostly empty, so walking them in order costs
/// a second list of keys) and in arrays, whose subscripts paid a uniqueness and bounds check on every
/// word. This is raw memory, kept from document to document by `TermCounterPool` and freed by
/// `deallocate()`.
private struct TermCounter {
    private var slots: UnsafeMutablePointer<UInt32>
    /// Slots allocated; the table uses the first `slotMask + 1`.
    private var slotCapacity: Int
    private var slotMask = 0
    private var shift: UInt64 = 64
    private var stored: UnsafeMutablePointer<TermTable.Entry>
    private var storedCapacity: Int
    private var count = 0
    /// The positions of the entries seen twice, in the order they were: the top lists look at these
    /// first, and found them by reading every entry (most seen once). A slot more than `stored`
    /// (see `increment`).
    private var repeated: UnsafeMutablePointer<UInt32>
    private var repeatedCount = 0

    /// Entries kept past a document (and twice as many slots): larger lists and tables, grown for a
    /// long document, are let go at the next one.
    private static let keptEntries = 1 << 16

    init() {
        slotCapacity = 16
        slots = .allocate(capacity: slotCapacity)
        storedCapacity = 8
        stored = .allocate(capacity: storedCapacity)
        repeated = .allocate(capacity: storedCapacity + 1)
    }

    /// Empties the counter for a document of `capacity` tokens: the table sized for them (up to the
    /// caller's limit), so that a short document's table stays small and in the cache.
    mutating func reset(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        if size > slotCapacity || slotCapacity > 2 * Self.keptEntries {
            slots.deallocate()
            slots = .allocate(capacity: size)
            slotCapacity = size
        }
        slots.initialize(repeating: 0, count: size)
        slotMask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
        if storedCapacity > Self.keptEntries {
            stored.deallocate()
            repeated.deallocate()
            storedCapacity = max(capacity, 8)
            stored = .allocate(capacity: storedCapacity)
            repeated = .allocate(capacity: storedCapacity + 1)
        }
        count = 0
        repeatedCount = 0
    }

    /// The entries counted, in the order first seen; valid until the counter is reset.
    var counted: UnsafeBufferPointer<TermTable.Entry> { UnsafeBufferPointer(start: stored, count: count) }

    /// The positions in `counted` of the entries seen more than once; valid until the counter is reset.
    var countedTwice: UnsafeBufferPointer<UInt32> { UnsafeBufferPointer(start: repeated, count: repeatedCount) }

    func deallocate() {
        slots.deallocate()
        stored.deallocate()
        repeated.deallocate()
    }

    /// The top bits of the hash itself: word hashes end in a full avalanche and n-gram keys in a
    /// multiply, so their top bits are already well mixed, and a multiply here sat on the path to
    /// every slot load. A masking shift, exact since `reset` makes `shift` at most 60 before any
    /// lookup (as in `HashedTable.home`).
    @inline(__always) private func home(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash &>> shift)
    }

    /// Adds one occurrence of `hash` and returns its entry; a new term's first token is `first`, and
    /// `listed(hash)` says whether it may be listed.
    @inline(__always)
    mutating func increment(_ hash: UInt64, first: Int, listed: (UInt64) -> Bool) -> UnsafeMutablePointer<TermTable.Entry> {
        // Wrapping arithmetic and conversions: positions and counts stay below the document's token
        // count (under 2^31), and the checked forms cost a branch each, several a word.
        var i = home(hash)
        while true {
            let slot = Int(slots[i])
            if slot == 0 { break }
            let entry = stored + (slot &- 1)
            if entry.pointee.key == hash {
                entry.pointee.count &+= 1
                // Written at every repeat and kept (counted) at the second only: whether a word seen
                // before was seen once is a coin toss, and a branch on it was mispredicted about 27
                // times a document. `repeated` has a slot more than `stored` for the write past the last.
                repeated[repeatedCount] = UInt32(truncatingIfNeeded: slot &- 1)
                repeatedCount &+= entry.pointee.count == 2 ? 1 : 0
                return entry
            }
            i = (i &+ 1) & slotMask
        }
        if count == storedCapacity { growEntries() }
        let entry = stored + count
        entry.initialize(to: TermTable.Entry(key: hash, first: first, listed: listed(hash)))
        entry.pointee.count = 1
        count &+= 1
        slots[i] = UInt32(truncatingIfNeeded: count)
        if count &* 2 > slotMask { growSlots() }
        return entry
    }

    private mutating func growEntries() {
        let grown = UnsafeMutablePointer<TermTable.Entry>.allocate(capacity: storedCapacity * 2)
        grown.moveInitialize(from: stored, count: count)
        stored.deallocate()
        stored = grown
        let grownRepeated = UnsafeMutablePointer<UInt32>.allocate(capacity: storedCapacity * 2 + 1)
        grownRepeated.moveInitialize(from: repeated, count: repeatedCount)
        repeated.deallocate()
        repeated = grownRepeated
        storedCapacity *= 2
    }

    private mutating func growSlots() {
        let size = (slotMask + 1) * 2
        if size > slotCapacity {
            slots.deallocate()
            slots = .allocate(capacity: size)
            slotCapacity = size
        }
        slots.initialize(repeating: 0, count: size)
        slotMask = size - 1
        shift -= 1
        for position in 0..<count {
            var i = home(stored[position].key)
            while slots[i] != 0 { i = (i + 1) & slotMask }
            slots[i] = UInt32(position + 1)
        }
    }
}
