/// Whether bytes are well-formed UTF-8, as `String(validating:as:)` decides it, without building the
/// `String`.
///
/// The JSONL reader asks this of every line with a byte outside ASCII, which is most lines of news
/// written with curly quotes; `String(validating:)` copied the line into a new string and checked it
/// byte by byte. Runs of ASCII are skipped eight bytes at a time, and each longer sequence is checked
/// against the table of well-formed byte sequences of the Unicode standard (no overlong forms, no
/// surrogates, nothing above U+10FFFF).
enum UTF8Validation {
    static func isValid(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = p.baseAddress else { return true }
        let n = p.count
        var k = 0
        func load(_ at: Int) -> UInt64 { UnsafeRawPointer(base + at).loadUnaligned(as: UInt64.self) }
        while k < n {
            // Sixty-four bytes to a test where they allow it: most lines are mostly ASCII, and eight at
            // a time spent about one instruction a byte.
            if k + 64 <= n && !ByteBlock.anyHighBit(ByteBlock.load(base + k) | ByteBlock.load(base + k + 16)
                                                     | ByteBlock.load(base + k + 32) | ByteBlock.load(base + k + 48)) {
                k += 64
                continue
            }
            if k + 8 <= n && load(k) & ASCIIClass.highBits == 0 {
                k += 8
                continue
            }
            let b = base[k]
            if b < 0x80 {
                k += 1
                continue
            }
            // The second byte's range depends on the first; the later ones are 80-BF.
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            guard k + length <= n, base[k + 1] >= low, base[k + 1] <= high else { return false }
            for j in 2..<length where base[k + j] & 0xC0 != 0x80 { return false }
            k += length
        }
        return true
    }

    /// Whether `p` holds at least one well-formed sequence of two or more bytes: text with invalid
    /// bytes and none of these is likely in a legacy 8-bit encoding rather than damaged UTF-8.
    static func holdsMultiByteSequence(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        for k in p.indices {
            let b = p[k]
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0
            if length > 0 && k + length <= p.count && isValid(UnsafeBufferPointer(rebasing: p[k..<(k + length)])) { return true }
        }
        return false
    }
}
