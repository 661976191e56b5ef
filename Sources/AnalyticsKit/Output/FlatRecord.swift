/// A document's result flattened to scalar columns (`stage.field`, `stage.a.b`), for CSV and tables.
/// Lists are left out: they have no single cell.
struct FlatRecord {
    let id: String
    let columns: [(key: String, value: JSONValue)]
    let errors: String
    let warnings: String
    let failed: Bool

    init(_ result: DocumentResult) {
        id = result.id
        var columns: [(String, JSONValue)] = []
        for field in result.results { Self.flatten(field.value, prefix: field.key, into: &columns) }
        self.columns = columns
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

    /// A scalar as cell text: strings as they are, numbers in JSON form, null empty.
    static func cell(_ value: JSONValue?) -> String {
        switch value {
        case .string(let s)?: return s
        case .null?, nil: return ""
        case let other?: return other.jsonText
        }
    }
}
