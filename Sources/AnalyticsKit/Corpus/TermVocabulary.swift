/// The terms of a corpus aggregate, their bytes back to back in one buffer: a million bigrams cost
/// their bytes and an offset each, where a million `String`s cost an allocation each (tens of MB, and
/// a large share of adding a document to the corpus summary). Strings are made only for the terms
/// that are listed.
struct TermVocabulary: Sendable {
    private var bytes: [UInt8] = []
    /// Where each term starts in `bytes`; term `k` ends where term `k + 1` starts.
    private var starts: [UInt32] = [0]

    /// Number of terms.
    var count: Int { starts.count - 1 }

    /// Adds a term written by `write` (which appends its UTF-8 bytes) and returns its index.
    mutating func append(_ write: (inout [UInt8]) -> Void) -> UInt32 {
        write(&bytes)
        starts.append(UInt32(bytes.count))
        return UInt32(count - 1)
    }

    /// Adds a term of another vocabulary and returns its index here.
    mutating func append(_ index: UInt32, of other: TermVocabulary) -> UInt32 {
        append { $0.append(contentsOf: other.bytes[other.range(index)]) }
    }

    private func range(_ index: UInt32) -> Range<Int> {
        Int(starts[Int(index)])..<Int(starts[Int(index) + 1])
    }

    /// The term at `index`.
    func string(_ index: UInt32) -> String {
        String(decoding: bytes[range(index)], as: UTF8.self)
    }

    /// Calls `body` with the UTF-8 of the term at `index`, without making a string of it.
    func withBytes<Result>(_ index: UInt32, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range(index)])) }
    }

    /// Whether term `a` sorts before term `b` as their strings do: by bytes when both are ASCII (the
    /// same order), by `String` comparison otherwise.
    func less(_ a: UInt32, _ b: UInt32) -> Bool {
        let x = bytes[range(a)], y = bytes[range(b)]
        if x.allSatisfy({ $0 < 0x80 }) && y.allSatisfy({ $0 < 0x80 }) { return x.lexicographicallyPrecedes(y) }
        return string(a) < string(b)
    }
}
