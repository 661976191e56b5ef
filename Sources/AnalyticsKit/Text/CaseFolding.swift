/// The one definition of a token's folded form, shared by the text layer and every word list.
///
/// Folding lower-cases letters and writes the curly apostrophe (U+2019) as a straight one, so that
/// "Don’t", "DON'T" and "don't" are the same term. ASCII is folded byte by byte, and any other scalar
/// is replaced by its Unicode lower-case mapping, as `String.lowercased()` maps it; every U+2019 is
/// straightened, even one that a combining mark follows. Scalar by scalar, without Foundation: a
/// lower-cased `String` with the apostrophe replaced through `NSString` cost about 1.7 µs per token
/// (the text layer ran at half speed on news with curly quotes), and curly apostrophes and quotation
/// marks are in most news written today.
public enum CaseFolding {
    /// Folds a whole string the way the layer folds a token.
    public static func fold(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            forEachFoldedByte(bytes, 0..<bytes.count) { out.append($0) }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Calls `body` with each byte of the folded form of `bytes[range]`, which must be valid UTF-8.
    @inline(__always)
    static func forEachFoldedByte(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (UInt8) -> Void) {
        var k = range.lowerBound
        while k < range.upperBound {
            let b = bytes[k]
            if b < 0x80 {
                body(b &- 0x41 < 26 ? b | 0x20 : b)
                k += 1
                continue
            }
            let (value, length) = Tokenizer.decodeScalar(bytes, at: k)
            if value == 0x2019 {
                body(0x27)  // ’ as '
            } else if (0x2000...0x206F).contains(value) {
                // General punctuation (quotation marks, dashes, the ellipsis) has no case: the bytes as
                // they are, without a lookup, for the commonest scalars outside ASCII in news.
                for j in k..<(k + length) { body(bytes[j]) }
            } else {
                for b in Unicode.Scalar(value)!.properties.lowercaseMapping.utf8 { body(b) }
            }
            k += length
        }
    }
}
