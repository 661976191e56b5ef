/// One text to analyse, as it came from the input: never changed by a stage.
public struct Document: Sendable, Hashable {
    /// The document's id: a path relative to the input root, a JSONL/CSV id, or "-" for stdin.
    public let id: String
    /// The text.
    public let text: String
    /// Fields that came with the text (the file path, other JSONL fields, other CSV columns).
    public let metadata: [JSONField]

    /// Creates a document.
    public init(id: String, text: String, metadata: [JSONField] = []) {
        self.id = id
        self.text = text
        self.metadata = metadata
    }
}

/// What the engine makes of raw input bytes: a document (perhaps with warnings) or the reason there is none.
public enum DocumentDecoding {
    /// The outcome of decoding raw bytes.
    public enum Outcome: Sendable {
        /// A usable text, with warnings such as replaced invalid UTF-8.
        case text(String, warnings: [String])
        /// Not text at all; the reason goes into the document's error record.
        case rejected(String)
    }

    /// True when the text is empty or only whitespace: such a document gets an "empty document" warning.
    public static func isBlank(_ text: String) -> Bool {
        // Nearly every document starts with a visible ASCII character, which settles it without the
        // grapheme breaking that iterating `Character`s costs (a percent of reading a news corpus).
        if let first = text.utf8.first, first > 0x20, first < 0x7F { return false }
        return text.allSatisfy(\.isWhitespace)
    }

    /// Decodes a whole file: UTF-16 when it opens with a UTF-16 byte-order mark (the mark dropped, as
    /// Python's `utf-16` codec drops it, with a warning saying so), else UTF-8 as `decode` does. A file
    /// whose NUL bytes look like UTF-16 without a mark is still refused, with a reason that says so,
    /// and so is a compressed file or a document format that is not text (`PackedFormat`).
    public static func decodeFile(_ bytes: [UInt8]) -> Outcome {
        if let packed = PackedFormat.detect(bytes) { return .rejected(packed.reason(readAs: .text)) }
        if bytes.starts(with: [0xFE, 0xFF]) { return decodeUTF16(bytes.dropFirst(2), bigEndian: true) }
        if bytes.starts(with: [0xFF, 0xFE]) { return decodeUTF16(bytes.dropFirst(2), bigEndian: false) }
        if let nul = bytes.firstIndex(of: 0), looksLikeUTF16(bytes) {
            return .rejected("binary data: NUL byte at offset \(nul); it looks like UTF-16 without a byte-order mark: convert it to UTF-8 (iconv -f UTF-16LE -t UTF-8)")
        }
        let outcome = decode(bytes)
        // Accented letters in a legacy 8-bit encoding are each an invalid byte; a file that also holds
        // valid UTF-8 beyond ASCII is UTF-8 with a few bad bytes, so the hint is given only without any.
        if case .text(let text, let warnings) = outcome, !warnings.isEmpty, !bytes.withUnsafeBufferPointer(UTF8Validation.holdsMultiByteSequence) {
            return .text(text, warnings: warnings + ["no byte of the file forms UTF-8 beyond ASCII: it may be in Windows-1252 (Latin-1); convert it with iconv -f WINDOWS-1252 -t UTF-8"])
        }
        return outcome
    }

    /// Decodes bytes as UTF-8 text: a NUL byte marks binary data and is rejected; invalid sequences
    /// become U+FFFD with a warning that says how many bytes were affected.
    public static func decode(_ bytes: [UInt8]) -> Outcome {
        if let nul = bytes.firstIndex(of: 0) {
            return .rejected("binary data: NUL byte at offset \(nul); not analysed")
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return .text(text, warnings: [])
        }
        let text = String(decoding: bytes, as: UTF8.self)
        // U+FFFD already present in the input (EF BF BD) is not a replacement.
        var present = 0
        var k = 0
        while k + 2 < bytes.count {
            if bytes[k] == 0xEF && bytes[k + 1] == 0xBF && bytes[k + 2] == 0xBD { present += 1 }
            k += 1
        }
        let replaced = text.unicodeScalars.reduce(0) { $0 + ($1 == "\u{FFFD}" ? 1 : 0) } - present
        return .text(text, warnings: ["invalid UTF-8: \(replaced) sequence(s) replaced by U+FFFD"])
    }

    private static func decodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> Outcome {
        let name = bigEndian ? "UTF-16BE" : "UTF-16LE"
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var k = bytes.startIndex
        while k + 1 < bytes.endIndex {
            let (high, low) = bigEndian ? (bytes[k], bytes[k + 1]) : (bytes[k + 1], bytes[k])
            units.append(UInt16(high) << 8 | UInt16(low))
            k += 2
        }
        if let nul = units.firstIndex(of: 0) {
            return .rejected("binary data: NUL character at \(name) code unit \(nul); not analysed")
        }
        var warnings = ["decoded from \(name) (byte-order mark); offsets count the decoded text's scalars"]
        var invalid = 0
        var text = ""
        text.unicodeScalars.reserveCapacity(units.count)
        var iterator = units.makeIterator()
        var decoder = UTF16()
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): text.unicodeScalars.append(scalar)
            case .error:
                invalid += 1
                text.unicodeScalars.append("\u{FFFD}")
            case .emptyInput: break decoding
            }
        }
        if bytes.count % 2 != 0 { invalid += 1; text.unicodeScalars.append("\u{FFFD}") }
        if invalid > 0 { warnings.append("invalid \(name): \(invalid) sequence(s) replaced by U+FFFD") }
        return .text(text, warnings: warnings)
    }

    /// NUL bytes at most of the odd offsets (or most of the even ones) of the first kilobyte, as
    /// ASCII text in UTF-16 has, and few elsewhere.
    private static func looksLikeUTF16(_ bytes: [UInt8]) -> Bool {
        let sample = bytes.prefix(1024)
        guard sample.count >= 4 else { return false }
        var nulAt = [0, 0]
        for (k, b) in sample.enumerated() where b == 0 { nulAt[k & 1] += 1 }
        let half = sample.count / 2
        return (nulAt[1] * 2 > half && nulAt[0] * 10 < half) || (nulAt[0] * 2 > half && nulAt[1] * 10 < half)
    }
}

/// Files that hold text only once unpacked or converted (compressed files, PDF, office documents),
/// known by their first bytes: read as text they would be noise or refused as binary, so the reason
/// says what they are and what to do instead.
public enum PackedFormat: Sendable, CaseIterable {
    case gzip, bzip2, xz, zstd, zip, pdf

    /// The format whose signature opens `bytes`, if any.
    public static func detect(_ bytes: some Collection<UInt8>) -> PackedFormat? {
        allCases.first { format in
            guard bytes.starts(with: format.signature) else { return false }
            // "BZh" may open a text; bzip2 goes on with a block size digit and its block magic (pi's digits).
            guard format == .bzip2 else { return true }
            let next = Array(bytes.dropFirst(3).prefix(7))
            return next.count == 7 && next[0] &- 0x31 < 9 && next.dropFirst().elementsEqual([0x31, 0x41, 0x59, 0x26, 0x53, 0x59])
        }
    }

    private var signature: [UInt8] {
        switch self {
        case .gzip: return [0x1F, 0x8B]
        case .bzip2: return Array("BZh".utf8)
        case .xz: return [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]
        case .zstd: return [0x28, 0xB5, 0x2F, 0xFD]
        case .zip: return [0x50, 0x4B, 0x03, 0x04]
        case .pdf: return Array("%PDF-".utf8)
        }
    }

    /// Why a file of this format read as `format` is not analysed, and what to type instead.
    public func reason(readAs format: InputFormat) -> String {
        let asFormat = format == .text || format == .auto ? "" : " --input-format \(format.rawValue)"
        func compressed(_ name: String, _ tool: String) -> String {
            "\(name)-compressed data; not analysed: decompress it, or pipe it in (\(tool) FILE | analyze run PIPELINE --input -\(asFormat))"
        }
        switch self {
        case .gzip: return compressed("gzip", "zcat")
        case .bzip2: return compressed("bzip2", "bzcat")
        case .xz: return compressed("xz", "xzcat")
        case .zstd: return compressed("zstd", "zstdcat")
        case .zip: return "a ZIP archive (or a .docx, .xlsx, .odt document); not analysed: extract its text first"
        case .pdf: return "a PDF document; not analysed: extract its text first (for example with pdftotext)"
        }
    }
}
