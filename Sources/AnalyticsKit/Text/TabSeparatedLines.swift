import Foundation

/// Reads the lines of a tab-separated word list (a lexicon, a pronunciation table) as byte fields.
///
/// Shipped word lists are megabytes of text read at start-up: splitting them into `Character`s and
/// `String`s made start-up several times slower than reading their bytes. Lines end at `\n` (a `\r`
/// before it is dropped); fields are the runs between tabs, empty ones included.
public enum TabSeparatedLines {
    /// Calls `body` with each non-empty line's fields.
    public static func forEach(in text: String, _ body: ([ArraySlice<UInt8>]) throws -> Void) rethrows {
        let bytes = Array(text.utf8)
        // Newlines and tabs found with `memchr`, and the fields array overwritten in place: a loop over
        // every byte and an emptied array per line were most of reading CMUdict's 117,000 lines.
        try bytes.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            func next(_ byte: Int32, from start: Int, before end: Int) -> Int {
                guard let found = memchr(base + start, byte, end - start) else { return end }
                return UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            }
            var fields: [ArraySlice<UInt8>] = []
            var start = 0
            while start < p.count {
                let end = next(0x0A, from: start, before: p.count)
                let lineEnd = end > start && p[end - 1] == 0x0D ? end - 1 : end
                if lineEnd > start {
                    var count = 0
                    var fieldStart = start
                    while true {
                        let fieldEnd = next(0x09, from: fieldStart, before: lineEnd)
                        if count < fields.count { fields[count] = bytes[fieldStart..<fieldEnd] } else { fields.append(bytes[fieldStart..<fieldEnd]) }
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
    }

    /// A field that is a whole number written in ASCII digits (spaces and tabs around it allowed), or
    /// nil: a count in a shipped table, read without making a `String` per line.
    public static func count(_ field: ArraySlice<UInt8>) -> Int? {
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

    /// A field as text, without the whitespace around it.
    public static func text(_ field: ArraySlice<UInt8>) -> String {
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
