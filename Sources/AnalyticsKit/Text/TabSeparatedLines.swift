import Foundation

/// Reads the lines of a tab-separated word list (a lexicon, a pronunciation table) as byte fields.
///
/// Shipped word lists are megabytes of text read at start-up: splitting them into `Character`s and
/// `String`s made start-up several times slower than reading their bytes. Lines end at `\n` (a `\r`
/// before it is dropped); fields are the runs between tabs, empty ones included.
public enum TabSeparatedLines {
    /// Calls `body` with each non-empty line's fields: buffers into the text, valid only during the call.
    public static func forEach(in text: String, _ body: ([UnsafeBufferPointer<UInt8>]) throws -> Void) rethrows {
        var text = text
        try text.withUTF8 { try forEach(in: $0, body) }
    }

    /// `forEach` over UTF-8 bytes in memory: a caller that keeps fields past the line (a second pass
    /// over a table) reads the lines inside its own `withUTF8` and keeps the buffers while it lasts.
    public static func forEach(in p: UnsafeBufferPointer<UInt8>, _ body: ([UnsafeBufferPointer<UInt8>]) throws -> Void) rethrows {
        guard let base = p.baseAddress else { return }
        // Newlines and tabs found with `memchr`, and the fields array overwritten in place: a loop over
        // every byte and an emptied array per line were most of reading CMUdict's 117,000 lines. The
        // fields are buffers, not slices of an array: a slice retained and released the array for each
        // field, a quarter of reading that table.
        func next(_ byte: Int32, from start: Int, before end: Int) -> Int {
            guard let found = memchr(base + start, byte, end - start) else { return end }
            return UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
        }
        var fields: [UnsafeBufferPointer<UInt8>] = []
        var start = 0
        while start < p.count {
            let end = next(0x0A, from: start, before: p.count)
            let lineEnd = end > start && p[end - 1] == 0x0D ? end - 1 : end
            if lineEnd > start {
                var count = 0
                var fieldStart = start
                while true {
                    let fieldEnd = next(0x09, from: fieldStart, before: lineEnd)
                    let field = UnsafeBufferPointer(start: base + fieldStart, count: fieldEnd - fieldStart)
                    if count < fields.count { fields[count] = field } else { fields.append(field) }
                    count += 1
                    guard fieldEnd < lineEnd else { break }
                    fieldStart = fieldEnd + 1
                }
                if fields.count > count { fields.removeLast(fields.count - count) }
                try body(fields)
            }
            start = end + 1
        }
    }

    /// A field that is a whole number written in ASCII digits (spaces and tabs around it allowed), or
    /// nil: a count in a shipped table, read without making a `String` per line.
    @inlinable public static func count<Field: RandomAccessCollection<UInt8>>(_ field: Field) -> Int? where Field.Index == Int {
        var k = field.startIndex
        func skipSpaces() { while k < field.endIndex && (field[k] == 0x20 || field[k] == 0x09) { k += 1 } }
        skipSpaces()
        let first = k
        var value = 0
        while k < field.endIndex && field[k] &- 0x30 < 10 && k - first < 18 {
            value = value * 10 + Int(field[k] &- 0x30)
            k += 1
        }
        let digits = k - first
        skipSpaces()
        return digits > 0 && k == field.endIndex ? value : nil
    }

    /// A field as text, without the whitespace around it. Inlinable, as `count` is, so that it is
    /// specialised for the caller's fields (generic, reading a lexicon's valences took twice as long).
    @inlinable public static func text<Field: RandomAccessCollection<UInt8>>(_ field: Field) -> String where Field.Index == Int {
        var low = field.startIndex
        var high = field.endIndex
        while low < high && (field[low] == 0x20 || field[low] == 0x09) { low += 1 }
        while high > low && (field[high - 1] == 0x20 || field[high - 1] == 0x09) { high -= 1 }
        let trimmed = String(decoding: field[low..<high], as: UTF8.self)
        // Other Unicode spaces (a no-break space) are rare enough for Foundation.
        guard low < high, field[low] >= 0x80 || field[high - 1] >= 0x80 else { return trimmed }
        return trimmed.trimmingCharacters(in: .whitespaces)
    }
}
