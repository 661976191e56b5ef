import Foundation

/// A JSON file holding one array of objects, each read as a JSONL line is (`JSONLRecordParser`):
/// the text in `textField`, the id in `idField`, the other fields as metadata.
///
/// The file is read and parsed whole, so it suits exports of a few hundred megabytes at most; JSONL
/// streams. A file that is not JSON, or whose top level is not an array, stops the run (`InputError`);
/// an element that is not an object, or lacks the text, becomes that document's error record, named
/// `item N` (counted from 1) when it has no id. Invalid UTF-8 is replaced by U+FFFD, and since it
/// cannot be placed in one document, every document gets the warning.
struct JSONArraySource: DocumentSource {
    private var elements: IndexingIterator<[JSONValue]>
    private let textField: String
    private let idField: String
    private let fallbackPrefix: String
    private let warnings: [String]
    private var item = 0
    let expectedCount: Int?

    /// Reads and parses `bytes` (the whole file, named `name` in errors).
    init(bytes: [UInt8], name: String, textField: String, idField: String, fallbackPrefix: String = "") throws {
        var opened = bytes
        try JSONLRecordParser.openRecords(&opened, name: name, format: .json)
        let (bytes, repairs) = JSONLRecordParser.repairedUTF8(opened)
        let warnings = repairs.map { "in the file: " + $0 }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw InputError("'\(name)' is not valid JSON: \(error); give a JSON array of objects, or JSONL (one object per line)")
        }
        guard case .array(let array) = value else {
            throw InputError("'\(name)' holds a JSON \(value.kindName), not an array of documents; give [{\"\(idField)\": ..., \"\(textField)\": ...}, ...]")
        }
        elements = array.makeIterator()
        expectedCount = array.count
        self.textField = textField
        self.idField = idField
        self.fallbackPrefix = fallbackPrefix
        self.warnings = warnings
    }

    mutating func next() throws -> PendingDocument? {
        guard let element = elements.next() else { return nil }
        item += 1
        let fallback = fallbackPrefix + "item \(item)"
        let (textField, idField, warnings) = (self.textField, self.idField, self.warnings)
        let size = element[textField].flatMap { if case .string(let s) = $0 { return s.utf8.count } else { return nil } } ?? 0
        return PendingDocument(fallbackID: fallback, byteCount: size) {
            JSONLRecordParser.record(element, fallbackID: fallback, textField: textField, idField: idField, warnings: warnings)
        }
    }
}

private extension JSONValue {
    /// What the value is, in words, for errors.
    var kindName: String {
        switch self {
        case .object: return "object"
        case .array: return "array"
        case .string: return "string"
        case .bool: return "boolean"
        case .null: return "null"
        default: return "number"
        }
    }
}
