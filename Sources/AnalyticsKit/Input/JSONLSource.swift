import Foundation

/// JSON Lines: one object per line, the text in `textField`, the id in `idField`, every other field kept
/// as metadata (in the order written). A line that is not a JSON object, or lacks the text field, becomes an error record
/// named by its line number; blank lines are skipped. A UTF-8 byte-order mark opening the file (as
/// some Windows tools write one) is skipped; a file in UTF-16 is refused as a whole (`InputError`).
struct JSONLSource: DocumentSource {
    private let stream: ByteStream
    private let name: String
    private let textField: String
    private let idField: String
    /// Put before "line N" in the ids of lines without one: the file's name when several are read.
    private let fallbackPrefix: String
    private var line = 0
    /// `stream.consumedBytes` when the last document was returned: blank lines count towards the next.
    private var counted = 0
    var expectedCount: Int? { nil }
    var expectedBytes: Int? { stream.fileSize }

    init(stream: ByteStream, name: String, textField: String, idField: String, fallbackPrefix: String = "") {
        self.stream = stream
        self.name = name
        self.textField = textField
        self.idField = idField
        self.fallbackPrefix = fallbackPrefix
    }

    mutating func next() throws -> PendingDocument? {
        while var read = try stream.nextLine() {
            line += 1
            if line == 1 { try JSONLRecordParser.openRecords(&read, name: name, format: .jsonl) }
            let bytes = read
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let fallback = fallbackPrefix + "line \(line)"
            let (textField, idField) = (self.textField, self.idField)
            // Line breaks and blank lines count too, so that the documents add up to the file's size.
            let byteCount = stream.consumedBytes - counted
            counted = stream.consumedBytes
            return PendingDocument(fallbackID: fallback, byteCount: byteCount) {
                JSONLRecordParser.parse(bytes, fallbackID: fallback, textField: textField, idField: idField)
            }
        }
        return nil
    }

}

/// Turns one JSONL line into a document record.
public enum JSONLRecordParser {
    /// Parses `bytes` as a JSON object holding the text in `textField` and the id in `idField`;
    /// the other fields become metadata, in the order they were written. Invalid UTF-8 in the line is
    /// replaced by U+FFFD with a warning; a NUL character in the text marks it as binary.
    public static func parse(_ bytes: [UInt8], fallbackID: String = "line 1", textField: String = "text", idField: String = "id") -> InputRecord {
        let (line, warnings) = repairedUTF8(bytes)
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            return .failed(id: fallbackID, metadata: [], reason: "\(fallbackID) is not valid JSON: \(error)")
        }
        return record(value, fallbackID: fallbackID, textField: textField, idField: idField, warnings: warnings)
    }

    /// `bytes` with invalid UTF-8 replaced by U+FFFD (and NUL by a space, which JSON text cannot hold
    /// raw), and the warnings that say so; `bytes` themselves when they are valid.
    static func repairedUTF8(_ bytes: [UInt8]) -> ([UInt8], warnings: [String]) {
        // The check skips ASCII eight bytes at a time itself.
        guard !bytes.withUnsafeBufferPointer(UTF8Validation.isValid),
              case .text(let repaired, let warnings) = DocumentDecoding.decode(bytes.map { $0 == 0 ? 0x20 : $0 }) else { return (bytes, []) }
        return (Array(repaired.utf8), warnings)
    }

    /// Checks the first bytes of a file of records (JSONL, JSON), dropping a UTF-8 byte-order mark:
    /// a file in UTF-16, compressed or packed cannot be read at all (`InputError`, saying what to do).
    static func openRecords(_ first: inout [UInt8], name: String, format: InputFormat) throws {
        if first.starts(with: [0xEF, 0xBB, 0xBF]) { first.removeFirst(3) }
        if first.starts(with: [0xFF, 0xFE]) || first.starts(with: [0xFE, 0xFF]) {
            throw InputError("'\(name)' is UTF-16 (it opens with a UTF-16 byte-order mark); \(format == .json ? "JSON" : "JSONL") must be UTF-8: convert it with iconv -f UTF-16 -t UTF-8")
        }
        if let packed = PackedFormat.detect(first) { throw InputError("'\(name)' holds \(packed.reason(readAs: format))") }
    }

    /// A parsed JSON value as a document record, as `parse` reads a line's: for the objects of a
    /// JSON array. `warnings` go with the document.
    public static func record(_ value: JSONValue, fallbackID: String, textField: String = "text", idField: String = "id",
                              warnings: [String] = []) -> InputRecord {
        guard case .object(let fields) = value else {
            return .failed(id: fallbackID, metadata: [], reason: "\(fallbackID) is not a JSON object")
        }
        var warnings = warnings
        var id = fallbackID
        var text: JSONValue?
        var metadata: [JSONField] = []
        // Everything but the id and the text, at once: appending one by one reallocated.
        if fields.count > 2 { metadata.reserveCapacity(fields.count - 2) }
        for field in fields {
            if field.key == textField {
                text = field.value
            } else if field.key == idField, case .string(let s) = field.value {
                id = s
            } else if field.key == idField, case .int(let n) = field.value {
                id = String(n)
            } else if field.key == idField, case .double(let d) = field.value {
                id = String(d)
            } else {
                metadata.append(field)
            }
        }
        guard let text else {
            return .failed(id: id, metadata: metadata, reason: "no '\(textField)' field; set input.text_field to the field that holds the text")
        }
        guard case .string(let string) = text else {
            return .failed(id: id, metadata: metadata, reason: "field '\(textField)' is not a string")
        }
        var copy = string
        if copy.withUTF8({ $0.count > 0 && memchr($0.baseAddress!, 0, $0.count) != nil }) {
            return .failed(id: id, metadata: metadata, reason: "binary data: the text contains a NUL character; not analysed")
        }
        if DocumentDecoding.isBlank(string) { warnings.append("empty document") }
        return .document(Document(id: id, text: string, metadata: metadata), warnings: warnings)
    }
}
