/// A document's result flattened to scalar columns (`stage.field`, `stage.a.b`), for CSV and tables,
/// and its metadata likewise (`metadata.field`), each with its cell text. Lists are left out: they
/// have no single cell.
struct FlatRecord {
    let id: String
    let columns: [(key: String, cell: String)]
    let metadata: [(key: String, cell: String)]
    let errors: String
    let warnings: String
    let failed: Bool

    init(_ result: DocumentResult) {
        id = result.id
        var columns: [(String, String)] = []
        for stage in result.stageResults {
            switch stage.json {
            case .tree(let json):
                Self.flatten(json, prefix: stage.stage, into: &columns)
            case .writable(let output):
                // Read from the output's own JSON text, lists skipped unread: reading it back into a
                // tree first built every list only to drop it (the CSV format took twice as long as JSONL).
                var writer = JSONWriter()
                output.writeJSON(to: &writer)
                writer.buffer.withUnsafeBufferPointer { bytes in
                    var reader = FlatJSONReader(bytes: bytes)
                    reader.flatten(prefix: stage.stage, into: &columns)
                }
            }
        }
        self.columns = columns
        var metadata: [(String, String)] = []
        for field in result.metadata { Self.flatten(field.value, prefix: "metadata." + field.key, into: &metadata) }
        self.metadata = metadata
        errors = result.errors.map { "\($0.stage): \($0.message)" }.joined(separator: "; ")
        warnings = result.warnings.joined(separator: "; ")
        failed = result.failed
    }

    private static func flatten(_ value: JSONValue, prefix: String, into columns: inout [(String, String)]) {
        switch value {
        case .object(let fields):
            for field in fields { flatten(field.value, prefix: prefix + "." + field.key, into: &columns) }
        case .array:
            break
        default:
            columns.append((prefix, cell(value)))
        }
    }

    /// A scalar as cell text: strings as they are, numbers in JSON form, null empty.
    static func cell(_ value: JSONValue?) -> String {
        switch value {
        case .string(let s)?: return s
        case .null?, nil: return ""
        case let other?: return other.jsonText
        }
    }
}

/// Picks the columns for CSV and table output: rows are held back until the first document whose
/// stages all succeeded, whose fields become the columns, so a failed first document does not
/// narrow them. If no document succeeds, the first one decides.
struct ColumnChooser {
    /// The columns, once chosen.
    private(set) var columns: [String]?
    /// Whether the metadata columns come first among them (CSV), or are left out (tables).
    let includesMetadata: Bool
    private var held: [FlatRecord] = []

    init(includesMetadata: Bool) {
        self.includesMetadata = includesMetadata
    }

    /// Takes the next record; returns the columns if they were chosen just now, and the records now
    /// ready to write, in input order.
    mutating func accept(_ record: FlatRecord) -> (chosen: [String]?, ready: [FlatRecord]) {
        if columns != nil { return (nil, [record]) }
        held.append(record)
        return record.failed ? (nil, []) : choose(from: record)
    }

    /// At the end of the run: settles the columns if no record did.
    mutating func finish() -> (chosen: [String]?, ready: [FlatRecord]) {
        columns == nil ? choose(from: held.first) : (nil, [])
    }

    private mutating func choose(from record: FlatRecord?) -> (chosen: [String]?, ready: [FlatRecord]) {
        let chosen = ((includesMetadata ? record?.metadata.map(\.key) : nil) ?? []) + (record?.columns.map(\.key) ?? [])
        columns = chosen
        let ready = held
        held = []
        return (chosen, ready)
    }
}

/// Reads the scalars inside the objects of JSON text that `JSONWriter` wrote (so known to be valid),
/// skipping lists without building them: each scalar becomes a column `prefix.key.key` with its cell
/// text: numbers and booleans as written (as the JSONL record has them), strings unescaped, `null` empty.
private struct FlatJSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    mutating func flatten(prefix: String, into columns: inout [(String, String)]) {
        skipSpace()
        guard i < bytes.count else { return }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            while true {
                skipSpace()
                if bytes[i] == UInt8(ascii: "}") { i += 1; return }
                if bytes[i] == UInt8(ascii: ",") { i += 1; skipSpace() }
                let key = string()
                skipSpace()
                i += 1  // the colon
                flatten(prefix: prefix + "." + key, into: &columns)
            }
        case UInt8(ascii: "["):
            skipList()
        case UInt8(ascii: "\""):
            columns.append((prefix, string()))
        case UInt8(ascii: "n"):
            i += 4
            columns.append((prefix, ""))
        default:  // a number, true or false: the cell is the text as written
            let start = i
            while i < bytes.count, !Self.endsScalar(bytes[i]) { i += 1 }
            columns.append((prefix, String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)))
        }
    }

    private static func endsScalar(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]") || b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    /// The string starting at `i`, unescaped by the JSON parser when it holds an escape.
    private mutating func string() -> String {
        let start = i
        let escaped = skipString()
        guard escaped else { return String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(i - 1)]), as: UTF8.self) }
        if case .string(let s)? = try? JSONParser.parse(Array(bytes[start..<i])) { return s }
        return ""
    }

    /// Past the string starting at `i`; true when it holds an escape.
    private mutating func skipString() -> Bool {
        i += 1
        var escaped = false
        while bytes[i] != UInt8(ascii: "\"") {
            if bytes[i] == UInt8(ascii: "\\") { escaped = true; i += 1 }
            i += 1
        }
        i += 1
        return escaped
    }

    /// Past the list starting at `i`, and everything in it.
    private mutating func skipList() {
        var depth = 0
        repeat {
            switch bytes[i] {
            case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1; i += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1; i += 1
            case UInt8(ascii: "\""): _ = skipString()
            default: i += 1
            }
        } while depth > 0
    }
}
