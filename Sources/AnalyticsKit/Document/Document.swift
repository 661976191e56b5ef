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
}
