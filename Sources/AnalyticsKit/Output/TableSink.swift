/// A readable summary for a terminal: one aligned line per document with its first scalar figures,
/// then the run totals and each stage's corpus highlights.
public struct TableSink: ResultSink {
    let file: OutputFile
    private var chooser = ColumnChooser(includesMetadata: false)
    static let maxColumns = 6
    static let idWidth = 32
    static let cellWidth = 14

    /// Creates a sink.
    public init(file: OutputFile) { self.file = file }

    public mutating func write(_ result: DocumentResult) throws {
        // The chooser must be updated before `emit` reads it, so this takes two statements.
        let step = chooser.accept(FlatRecord(result))
        try emit(step)
    }

    public mutating func finish(report: RunReport) throws {
        let step = chooser.finish()
        try emit(step)
        var lines = ["", "\(report.documents) document(s), \(report.failedDocuments) with errors"]
        // Only the first items of each list are shown: a preview, not the whole summary (the
        // TF-IDF lists of a million documents).
        for stage in report.corpusPreview(limit: 10) {
            lines.append("")
            lines.append("corpus \(stage.key):")
            if let list = Self.highlights(stage.value) { lines.append("  " + list) }
            guard case .object(let fields) = stage.value else { continue }
            for field in fields {
                if field.value.isScalar {
                    lines.append("  \(field.key): \(FlatRecord.cell(field.value))")
                } else if let list = Self.highlights(field.value) {
                    lines.append("  \(field.key): \(list)")
                }
            }
        }
        try file.write(lines.joined(separator: "\n") + "\n")
        try file.flush()
    }

    /// "a (3), b (2), ..." for the first `limit` of a list of objects, each named by its `term` (else
    /// its first text field) with its `count` or `score` (else its first number): terms with their
    /// counts, speakers with their quotes. An object with no number but a list is named with the
    /// first three of that list, "a: x (0.5), y (0.2); b: ...": a document's TF-IDF terms. For a list
    /// of n-gram lists, each list so; "(none)" for an empty list; nil for anything else.
    static func highlights(_ value: JSONValue, limit: Int = 10) -> String? {
        guard let items = value.arrayValue else { return nil }
        guard let first = items.first else { return "(none)" }
        if first["n"] != nil, first["terms"] != nil {
            return items.compactMap { item in
                highlights(item["terms"] ?? .null, limit: limit).map { "[\(FlatRecord.cell(item["n"]))-grams] " + $0 }
            }.joined(separator: " ")
        }
        func firstField(of item: JSONValue, where test: (JSONValue) -> Bool) -> JSONValue? {
            guard case .object(let fields) = item else { return nil }
            return fields.first { test($0.value) }?.value
        }
        var nested = false
        let named = items.prefix(limit).compactMap { item -> String? in
            guard let name = item["term"] ?? firstField(of: item, where: { if case .string = $0 { true } else { false } }) else { return nil }
            let figure = item["count"] ?? item["score"] ?? firstField(of: item, where: { if case .int = $0 { true } else if case .double = $0 { true } else { false } })
            if figure == nil, let list = firstField(of: item, where: { $0.arrayValue != nil }), let inner = highlights(list, limit: 3) {
                nested = true
                return "\(FlatRecord.cell(name)): \(inner)"
            }
            return "\(FlatRecord.cell(name)) (\(figure.map(FlatRecord.cell) ?? ""))"
        }
        return named.count == min(items.count, limit) ? named.joined(separator: nested ? "; " : ", ") : nil
    }

    private func emit(_ step: (chosen: [String]?, ready: [FlatRecord])) throws {
        if let chosen = step.chosen {
            let header = Self.pad("id", Self.idWidth) + chosen.prefix(Self.maxColumns).map { Self.pad(Self.shortName($0), Self.cellWidth) }.joined() + "status"
            try file.write(header + "\n" + String(repeating: "-", count: header.count) + "\n")
        }
        for record in step.ready { try row(record) }
    }

    private func row(_ record: FlatRecord) throws {
        var line = Self.pad(record.id, Self.idWidth)
        for key in (chooser.columns ?? []).prefix(Self.maxColumns) {
            line += Self.pad(record.columns.first { $0.key == key }?.cell ?? "", Self.cellWidth)
        }
        line += Self.printable(record.failed ? "error: " + record.errors : (record.warnings.isEmpty ? "ok" : "warning: " + record.warnings))
        try file.write(line + "\n")
    }

    /// The last two parts of a dotted column name, so columns stay narrow.
    private static func shortName(_ key: String) -> String {
        key.split(separator: ".").suffix(2).joined(separator: ".")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        let text = printable(text)
        let clipped = text.count >= width ? String(text.prefix(width - 2)) + "…" : text
        return clipped + String(repeating: " ", count: max(1, width - clipped.count))
    }

    /// The text with line breaks, tabs and other control characters written as escapes (`\n`), so that
    /// an id or a message holding them cannot break the table's lines.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
