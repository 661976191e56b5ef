import Foundation

/// The one definition of a token's folded form, shared by the text layer and every word list.
///
/// Folding lower-cases letters and writes the curly apostrophe (U+2019) as a straight one, so that
/// "Don’t", "DON'T" and "don't" are the same term. ASCII is folded byte by byte; a token with
/// other bytes goes through `String.lowercased()`, which is rare in English text.
public enum CaseFolding {
    /// Folds a whole string the way the layer folds a token.
    public static func fold(_ text: String) -> String {
        // Word lists are ASCII nearly always; Foundation's replacing is for the rest (it made loading
        // the lexicons a third of the start-up time).
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: text.utf8.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        let lower = text.lowercased()
        return lower.unicodeScalars.contains("\u{2019}") ? lower.replacingOccurrences(of: "\u{2019}", with: "'") : lower
    }

    /// Appends the folded form of `bytes[range]` to `out`.
    static func appendFolded(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, asciiOnly: Bool, to out: inout [UInt8]) {
        if asciiOnly {
            for i in range {
                let b = bytes[i]
                out.append(b &- 0x41 < 26 ? b | 0x20 : b)
            }
            return
        }
        let folded = fold(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
        out.append(contentsOf: folded.utf8)
    }
}
