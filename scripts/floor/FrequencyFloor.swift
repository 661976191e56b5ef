// The least work that gives a record like text layer + frequency's, as a bound on what any design
// could reach on a machine: not the product, and not a test of it. `scripts/bench-floor.sh` builds
// it with `swiftc -O` and times it against `analyze` in one run.
//
// Per JSONL line it finds the "text" string and unescapes it, splits ASCII letters and digits into
// words (an apostrophe between letters stays inside), folds them to lower case, hashes them eight
// bytes at a time as `TermHash` does, counts words and bigrams in open-addressing tables (a bigram
// stops at any other byte but a space, and at a stop word), and writes the top ten of each, ties
// in byte order, as one JSON line. It leaves out what the product does beyond that: letters outside
// ASCII, curly quotes and apostrophes, abbreviations, the number rules, sentences, token spans and
// flags, string escaping on output, metadata, errors and warnings. So the product at this speed
// would be doing that work for free. (Numbers count as words here, which the stage leaves out by
// default: the same work either way.) It stands alone, so that `swiftc` builds it from this one
// file: its hash functions repeat `TermHash`'s on purpose.
//
// Usage: FrequencyFloor STOPWORDS CORPUS.jsonl > OUTPUT   (STOPWORDS: words separated by white space;
// prints documents, text bytes and MB/s to stderr)
import Foundation

let basis: UInt64 = 0xcbf2_9ce4_8422_2325
let highBits: UInt64 = 0x8080_8080_8080_8080
let ones: UInt64 = 0x0101_0101_0101_0101

@inline(__always) func mix(_ state: UInt64, _ group: UInt64) -> UInt64 {
    let x = (state ^ group) &* 0x9E37_79B9_7F4A_7C15
    return x ^ (x >> 32)
}
@inline(__always) func finish(_ state: UInt64, _ length: Int) -> UInt64 {
    var x = state ^ UInt64(length)
    x ^= x >> 33
    x &*= 0xff51_afd7_ed55_8ccd
    x ^= x >> 33
    x &*= 0xc4ce_b9fe_1a85_ec53
    return x ^ (x >> 33)
}
@inline(__always) func combine(_ seed: UInt64, _ next: UInt64) -> UInt64 {
    var h = (seed ^ 0x9e37_79b9_7f4a_7c15 ^ (next &+ 0x632b_e59b_d9b4_e019)) &* 0x1_0000_01b3
    h ^= h >> 29
    return h &* 0xbf58_476d_1ce4_e5b9
}
/// Bit 7 of each byte (below 0x80) that is `x` or more.
@inline(__always) func atLeast(_ x: UInt8, _ bytes: UInt64) -> UInt64 { (bytes &+ ones &* UInt64(0x80 - x)) & highBits }
@inline(__always) func upperBits(_ ascii: UInt64) -> UInt64 { atLeast(0x41, ascii) & ~atLeast(0x5B, ascii) }
/// Bit 7 of each byte that is not an ASCII letter or digit.
@inline(__always) func notAlphanumeric(_ bytes: UInt64) -> UInt64 {
    let low = bytes & ~highBits
    let folded = low | 0x2020_2020_2020_2020
    let letters = atLeast(0x61, folded) & ~atLeast(0x7B, folded)
    let digits = atLeast(0x30, low) & ~atLeast(0x3A, low)
    return ~(letters | digits) & highBits | bytes & highBits
}
@inline(__always) func hasByte(_ bytes: UInt64, _ b: UInt8) -> Bool {
    let x = bytes ^ (ones &* UInt64(b))
    return (x &- ones) & ~x & highBits != 0
}
@inline(__always) func isAlphanumeric(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10 }

/// A distinct term of a document: its hash, count, first token and whether it may be listed.
struct Entry {
    var key: UInt64
    var count: Int32
    var first: Int32
    var listed: Bool
}

/// The output, written through a pointer and flushed in large blocks.
struct Output {
    let base = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 22)
    var count = 0
    @inline(__always) mutating func byte(_ b: UInt8) { base[count] = b; count += 1 }
    @inline(__always) mutating func bytes(_ p: UnsafePointer<UInt8>, _ n: Int) { (base + count).update(from: p, count: n); count += n }
    mutating func text(_ s: StaticString) { bytes(s.utf8Start, s.utf8CodeUnitCount) }
    mutating func number(_ value: Int) {
        var v = value
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { d in
            var i = 24
            repeat { i -= 1; d[i] = UInt8(48 + v % 10); v /= 10 } while v > 0
            for k in i..<24 { byte(d[k]) }
        }
    }
    mutating func flush(above limit: Int) {
        guard count > limit else { return }
        FileHandle.standardOutput.write(Data(bytesNoCopy: base, count: count, deallocator: .none))
        count = 0
    }
}

/// Every buffer a document needs, allocated once.
struct Scratch {
    static let maxBytes = 1 << 24
    let text = UnsafeMutablePointer<UInt8>.allocate(capacity: maxBytes + 8)
    let folded = UnsafeMutablePointer<UInt8>.allocate(capacity: maxBytes + 8)
    let tokenStart = UnsafeMutablePointer<Int32>.allocate(capacity: maxBytes)
    let tokenEnd = UnsafeMutablePointer<Int32>.allocate(capacity: maxBytes)
    let wordSlots = UnsafeMutablePointer<Int32>.allocate(capacity: maxBytes)
    let bigramSlots = UnsafeMutablePointer<Int32>.allocate(capacity: maxBytes)
    let words = UnsafeMutablePointer<Entry>.allocate(capacity: maxBytes)
    let bigrams = UnsafeMutablePointer<Entry>.allocate(capacity: maxBytes)
}

/// A hash set of the stop words' hashes, open addressing.
struct StopWords {
    static let slotCount = 1024
    let slots = UnsafeMutablePointer<UInt64>.allocate(capacity: slotCount)
    init(_ list: String) {
        slots.initialize(repeating: 0, count: Self.slotCount)
        for word in list.split(whereSeparator: \.isWhitespace) {
            var state = basis, group: UInt64 = 0, n = 0
            for b in word.utf8 {
                group |= UInt64(b) << UInt64(8 * (n & 7))
                n += 1
                if n & 7 == 0 { state = mix(state, group); group = 0 }
            }
            if n & 7 != 0 { state = mix(state, group) }
            let h = finish(state, n)
            var i = Int(h >> 54)
            while slots[i] != 0 && slots[i] != h { i = (i + 1) & (Self.slotCount - 1) }
            slots[i] = h
        }
    }
    @inline(__always) func contains(_ h: UInt64) -> Bool {
        var i = Int(h >> 54)
        while slots[i] != 0 {
            if slots[i] == h { return true }
            i = (i + 1) & (Self.slotCount - 1)
        }
        return false
    }
}

guard CommandLine.arguments.count == 3, let list = try? String(contentsOfFile: CommandLine.arguments[1], encoding: .utf8),
      let data = FileManager.default.contents(atPath: CommandLine.arguments[2]) else {
    FileHandle.standardError.write("usage: FrequencyFloor STOPWORDS CORPUS.jsonl > OUTPUT\n".data(using: .utf8)!)
    exit(2)
}
/// The frequency stage's English list (`EnglishStopwords`), which `bench-floor.sh` passes, so that
/// both turn away the same words.
let stopWords = StopWords(list)


/// Adds one occurrence of `h` to a table; returns whether the term may be listed.
@inline(__always) func count(_ h: UInt64, first: Int32, slots: UnsafeMutablePointer<Int32>, entries: UnsafeMutablePointer<Entry>,
                             entryCount: inout Int, mask: Int, checkStopWords: Bool) -> Bool {
    var i = Int(h >> 40) & mask
    while true {
        let slot = Int(slots[i])
        if slot == 0 { break }
        if entries[slot - 1].key == h {
            entries[slot - 1].count += 1
            return entries[slot - 1].listed
        }
        i = (i + 1) & mask
    }
    let listed = !checkStopWords || !stopWords.contains(h)
    entries[entryCount] = Entry(key: h, count: 1, first: first, listed: listed)
    entryCount += 1
    slots[i] = Int32(entryCount)
    return listed
}

/// Writes `"name":[...]`, the ten commonest listed terms of `n` words, ties by their first eight bytes.
func writeTop(_ entries: UnsafeBufferPointer<Entry>, n: Int, name: StaticString, scratch: Scratch, to out: inout Output) {
    withUnsafeTemporaryAllocation(of: (count: Int32, prefix: UInt64, first: Int32).self, capacity: 11) { best in
        var kept = 0
        for e in entries where e.listed {
            if kept == 10 && e.count < best[9].count { continue }
            let start = Int(scratch.tokenStart[Int(e.first)]), end = min(Int(scratch.tokenEnd[Int(e.first)]), start + 8)
            var prefix: UInt64 = 0
            for k in start..<end { prefix |= UInt64(scratch.folded[k]) << UInt64(56 - 8 * (k - start)) }
            if kept == 10 && e.count == best[9].count && prefix >= best[9].prefix { continue }
            var at = kept
            while at > 0 && (best[at - 1].count < e.count || (best[at - 1].count == e.count && best[at - 1].prefix > prefix)) {
                best[at] = best[at - 1]
                at -= 1
            }
            best[at] = (e.count, prefix, e.first)
            if kept < 10 { kept += 1 }
        }
        out.byte(0x22); out.text(name); out.text("\":[")
        for k in 0..<kept {
            if k > 0 { out.byte(0x2C) }
            out.text("{\"term\":\"")
            for w in 0..<n {
                if w > 0 { out.byte(0x20) }
                let t = Int(best[k].first) + w
                out.bytes(scratch.folded + Int(scratch.tokenStart[t]), Int(scratch.tokenEnd[t] - scratch.tokenStart[t]))
            }
            out.text("\",\"count\":")
            out.number(Int(best[k].count))
            out.byte(0x7D)
        }
        out.byte(0x5D)
    }
}

/// Unescapes the string value of the line's "text" key into `text`; returns its length.
func readText(_ p: UnsafePointer<UInt8>, from lineStart: Int, to lineEnd: Int, into text: UnsafeMutablePointer<UInt8>) -> Int {
    var j = lineStart
    while j + 6 <= lineEnd {
        if p[j] == 0x22 && p[j + 1] == 0x74 && p[j + 2] == 0x65 && p[j + 3] == 0x78 && p[j + 4] == 0x74 && p[j + 5] == 0x22 { break }
        j += 1
    }
    j += 6
    while j < lineEnd && p[j] != 0x22 { j += 1 }  // the value's opening quote
    j += 1
    var length = 0
    while j < lineEnd && length < Scratch.maxBytes - 16 {
        while j + 8 <= lineEnd {  // eight plain bytes at a time
            let w = UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self)
            if hasByte(w, 0x22) || hasByte(w, 0x5C) { break }
            UnsafeMutableRawPointer(text + length).storeBytes(of: w, as: UInt64.self)
            j += 8
            length += 8
        }
        if j >= lineEnd || p[j] == 0x22 { break }
        var b = p[j]
        if b == 0x5C {
            j += 1
            switch p[j] {
            case 0x6E: b = 0x0A
            case 0x74: b = 0x09
            case 0x75: j += 4; b = 0x20  // \uXXXX: a separator is enough here
            default: b = p[j]
            }
        }
        text[length] = b
        length += 1
        j += 1
    }
    return length
}

func run(_ p: UnsafeBufferPointer<UInt8>) -> (documents: Int, textBytes: Int) {
    let scratch = Scratch()
    let text = scratch.text, folded = scratch.folded
    var out = Output()
    var documents = 0, textBytes = 0
    var i = 0
    while i < p.count {
        let base = p.baseAddress!
        var lineEnd = p.count
        if let newline = memchr(base + i, 0x0A, p.count - i) { lineEnd = base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) }
        let length = readText(base, from: i, to: lineEnd, into: text)
        textBytes += length
        var size = 64
        while size < length / 2 { size <<= 1 }
        let mask = size - 1
        scratch.wordSlots.initialize(repeating: 0, count: size)
        scratch.bigramSlots.initialize(repeating: 0, count: size)
        var tokens = 0, words = 0, wordCount = 0, bigramCount = 0
        var previous: UInt64 = 0, hasPrevious = false
        var k = 0

        /// Counts the word just read, `start..<k`, with hash `h`.
        func take(_ start: Int, _ h: UInt64) {
            scratch.tokenStart[tokens] = Int32(start)
            scratch.tokenEnd[tokens] = Int32(k)
            words += 1
            let listed = count(h, first: Int32(tokens), slots: scratch.wordSlots, entries: scratch.words, entryCount: &wordCount, mask: mask, checkStopWords: true)
            if listed && hasPrevious {
                _ = count(combine(previous, h), first: Int32(tokens - 1), slots: scratch.bigramSlots, entries: scratch.bigrams,
                          entryCount: &bigramCount, mask: mask, checkStopWords: false)
            }
            previous = combine(basis, h)
            hasPrevious = listed
            tokens += 1
        }

        while k < length {
            let b = text[k]
            if !isAlphanumeric(b) {
                if b > 0x20 {  // punctuation or a byte outside ASCII: a token of its own that ends a bigram run
                    folded[k] = b
                    scratch.tokenStart[tokens] = Int32(k)
                    scratch.tokenEnd[tokens] = Int32(k + 1)
                    tokens += 1
                    hasPrevious = false
                }
                k += 1
                continue
            }
            let start = k
            if k + 8 <= length {  // a word of at most seven bytes from one load
                let w = UnsafeRawPointer(text + k).loadUnaligned(as: UInt64.self)
                let stops = notAlphanumeric(w)
                if stops != 0 {
                    let n = stops.trailingZeroBitCount / 8
                    if text[k + n] != 0x27 {
                        let word = w & ((1 << UInt64(8 * n)) &- 1)
                        let f = word | upperBits(word) >> 2
                        UnsafeMutableRawPointer(folded + k).storeBytes(of: f, as: UInt64.self)
                        k += n
                        take(start, finish(mix(basis, f), n))
                        continue
                    }
                }
            }
            var state = basis, group: UInt64 = 0, n = 0
            while k < length {
                var x = text[k]
                if x &- 0x41 < 26 {
                    x |= 0x20
                } else if !(isAlphanumeric(x) || (x == 0x27 && k + 1 < length && (text[k + 1] | 0x20) &- 0x61 < 26)) {
                    break
                }
                folded[k] = x
                group |= UInt64(x) << UInt64(8 * (n & 7))
                n += 1
                if n & 7 == 0 { state = mix(state, group); group = 0 }
                k += 1
            }
            if n & 7 != 0 { state = mix(state, group) }
            take(start, finish(state, n))
        }
        out.text("{\"id\":"); out.number(documents)
        out.text(",\"results\":{\"terms\":{\"tokens\":"); out.number(tokens)
        out.text(",\"words\":"); out.number(words)
        out.text(",\"distinct_words\":"); out.number(wordCount)
        out.byte(0x2C)
        writeTop(UnsafeBufferPointer(start: scratch.words, count: wordCount), n: 1, name: "top_words", scratch: scratch, to: &out)
        out.byte(0x2C)
        writeTop(UnsafeBufferPointer(start: scratch.bigrams, count: bigramCount), n: 2, name: "top_ngrams", scratch: scratch, to: &out)
        out.text("}},\"errors\":[],\"warnings\":[]}\n")
        out.flush(above: 1 << 21)
        documents += 1
        i = lineEnd + 1
    }
    out.flush(above: 0)
    return (documents, textBytes)
}

let started = DispatchTime.now()
let (documents, textBytes) = data.withUnsafeBytes { run($0.bindMemory(to: UInt8.self)) }
let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
FileHandle.standardError.write(String(format: "%d documents, %.1f MB of text in %.3f s: %.1f MB/s\n",
                                      documents, Double(textBytes) / 1e6, seconds, Double(textBytes) / 1e6 / seconds).data(using: .utf8)!)
