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
        var fields: [ArraySlice<UInt8>] = []
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let lineEnd = end > start && bytes[end - 1] == 0x0D ? end - 1 : end
            if lineEnd > start {
                fields.removeAll(keepingCapacity: true)
                var fieldStart = start
                for k in start...lineEnd where k == lineEnd || bytes[k] == 0x09 {
                    fields.append(bytes[fieldStart..<k])
                    fieldStart = k + 1
                }
                try body(fields)
            }
            start = end + 1
        }
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
