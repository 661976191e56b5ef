/// A document's result flattened to scalar columns (`stage.field`, `stage.a.b`), for CSV and tables,
/// and its metadata likewise (`metadata.field`). Lists are left out: they have no single cell.
struct FlatRecord {
    let id: String
    let columns: [(key: String, value: JSONValue)]
    let metadata: [(key: String, value: JSONValue)]
    let errors: String
    let warnings: String
    let failed: Bool

    init(_ result: DocumentResult) {
        id = result.id
        var columns: [(String, JSONValue)] = []
        for field in result.results { Self.flatten(field.value, prefix: field.key, into: &columns) }
        self.columns = columns
        var metadata: [(String, JSONValue)] = []
        for field in result.metadata { Self.flatten(field.value, prefix: "metadata." + field.key, into: &metadata) }
        self.metadata = metadata
        errors = result.errors.map { "\($0.stage): \($0.message)" }.joined(separator: "; ")
        warnings = result.warnings.joined(separator: "; ")
        failed = result.failed
    }

    private static func flatten(_ value: JSONValue, prefix: String, into columns: inout [(String, JSONValue)]) {
        switch value {
        case .object(let fields):
            for field in fields { flatten(field.value, prefix: prefix + "." + field.key, into: &columns) }
        case .array:
            break
        default:
            columns.append((prefix, value))
        }
    }

    /// The value of a column, metadata or stage field; nil when the record lacks it.
    func value(of key: String) -> JSONValue? {
        (key.hasPrefix("metadata.") ? metadata.first { $0.key == key } : nil)?.value ?? columns.first { $0.key == key }?.value
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
