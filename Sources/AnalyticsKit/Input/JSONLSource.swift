import Foundation

/// JSON Lines: one object per line, the text in `textField`, the id in `idField`, every other field kept
/// as metadata. A line that is not a JSON object, or lacks the text field, becomes an error record
/// named by its line number; blank lines are skipped.
struct JSONLSource: DocumentSource {
    private let stream: ByteStream
    private let name: String
    private let textField: String
    private let idField: String
    private var line = 0
    var expectedCount: Int? { nil }

    init(stream: ByteStream, name: String, textField: String, idField: String) {
        self.stream = stream
        self.name = name
        self.textField = textField
        self.idField = idField
    }

    mutating func next() throws -> PendingDocument? {
        while let bytes = try stream.nextLine() {
            line += 1
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let fallback = "line \(line)"
            let (textField, idField) = (self.textField, self.idField)
            return PendingDocument(fallbackID: fallback, byteCount: bytes.count) {
                JSONLRecordParser.parse(bytes, fallbackID: fallback, textField: textField, idField: idField)
            }
        }
        return nil
    }

}

/// Turns one JSONL line into a document record.
public enum JSONLRecordParser {
    /// Parses `bytes` as a JSON object holding the text in `textField` and the id in `idField`.
    public static func parse(_ bytes: [UInt8], fallbackID: String = "line 1", textField: String = "text", idField: String = "id") -> InputRecord {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) as? [String: Any] else {
                return .failed(id: fallbackID, metadata: [], reason: "\(fallbackID) is not a JSON object")
            }
            object = parsed
        } catch {
            return .failed(id: fallbackID, metadata: [], reason: "\(fallbackID) is not valid JSON")
        }
        let id: String
        switch object[idField] {
        case let s as String: id = s
        case let n as NSNumber: id = n.stringValue
        default: id = fallbackID
        }
        let metadata = object.keys.filter { $0 != textField && $0 != idField }.sorted().map { JSONField($0, jsonValue(object[$0]!)) }
        guard let raw = object[textField] else {
            return .failed(id: id, metadata: metadata, reason: "no '\(textField)' field; set input.text_field to the field that holds the text")
        }
        guard let text = raw as? String else {
            return .failed(id: id, metadata: metadata, reason: "field '\(textField)' is not a string")
        }
        var copy = text
        if copy.withUTF8({ $0.count > 0 && memchr($0.baseAddress!, 0, $0.count) != nil }) {
            return .failed(id: id, metadata: metadata, reason: "binary data: the text contains a NUL character; not analysed")
        }
        var warnings: [String] = []
        if text.allSatisfy(\.isWhitespace) { warnings.append("empty document") }
        return .document(Document(id: id, text: text, metadata: metadata), warnings: warnings)
    }

    /// Converts JSONSerialization's output into a `JSONValue`, keys sorted.
    static func jsonValue(_ any: Any) -> JSONValue {
        switch any {
        case let s as String: return .string(s)
        case let n as NSNumber:
            if String(cString: n.objCType) == "c" { return .bool(n.boolValue) }
            let d = n.doubleValue
            if d == d.rounded(), abs(d) < 9e15, !String(describing: n).contains(".") { return .int(n.intValue) }
            return .double(d)
        case let a as [Any]: return .array(a.map(jsonValue))
        case let o as [String: Any]: return .object(o.keys.sorted().map { JSONField($0, jsonValue(o[$0]!)) })
        default: return .null
        }
    }
}
