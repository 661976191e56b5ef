import Logging

/// One row per document: `id`, the scalar metadata fields as `metadata.field` (the other JSONL fields,
/// CSV columns or the file path), each stage's scalar fields as `stage.field`, then `errors` and `warnings`.
///
/// The columns are chosen by `ColumnChooser` (from the first document whose stages all succeeded). A later document with
/// fields outside the header (an optional field that the first one lacked) is written without them,
/// and a warning names them once.
public struct CSVSink: ResultSink {
    let file: OutputFile
    let logger: Logger
    private var chooser = ColumnChooser(includesMetadata: true)
    /// The header's columns as a set, made when they are chosen.
    private var known: Set<String> = []
    private var warnedAbout: Set<String> = []

    /// Creates a sink.
    public init(file: OutputFile, logger: Logger = Logger(label: "analyticskit.output") { _ in SwiftLogNoOpLogHandler() }) {
        self.file = file
        self.logger = logger
    }

    public mutating func write(_ result: DocumentResult) throws {
        // The chooser must be updated before `emit` reads it, so this takes two statements.
        let step = chooser.accept(FlatRecord(result))
        try emit(step)
    }

    public mutating func finish(report: RunReport) throws {
        let step = chooser.finish()
        try emit(step)
        try file.flush()
    }

    private mutating func emit(_ step: (chosen: [String]?, ready: [FlatRecord])) throws {
        if let header = step.chosen {
            known = Set(header)
            try file.write((["id"] + header + ["errors", "warnings"]).map(Self.escape).joined(separator: ",") + "\n")
        }
        for record in step.ready { try writeRow(record) }
    }

    private mutating func writeRow(_ record: FlatRecord) throws {
        let header = chooser.columns ?? []
        let fields = record.metadata + record.columns
        for column in fields where !known.contains(column.key) && !warnedAbout.contains(column.key) {
            warnedAbout.insert(column.key)
            logger.warning("CSV output leaves out a field that the header lacks", metadata: ["field": "\(column.key)", "document": "\(record.id)"])
        }
        var row: [UInt8] = []
        row.reserveCapacity(16 * (header.count + 3))
        Self.append(record.id, to: &row)
        // A record's fields nearly always come in the header's order: each is looked for where the
        // last one was found first, so a row costs one comparison per column, not a search for each.
        var next = 0
        for key in header {
            row.append(UInt8(ascii: ","))
            if next < fields.count && fields[next].key == key {
                Self.append(fields[next].cell, to: &row)
                next += 1
            } else if let found = fields.firstIndex(where: { $0.key == key }) {
                Self.append(fields[found].cell, to: &row)
                next = found + 1
            }
        }
        row.append(UInt8(ascii: ","))
        Self.append(record.errors, to: &row)
        row.append(UInt8(ascii: ","))
        Self.append(record.warnings, to: &row)
        row.append(0x0A)
        try file.write(row)
    }

    /// Appends a field with RFC 4180 quoting: a field with a comma, quote or line break is quoted,
    /// its quotes doubled.
    private static func append(_ field: String, to row: inout [UInt8]) {
        let utf8 = field.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else {
            row.append(contentsOf: utf8)
            return
        }
        row.append(UInt8(ascii: "\""))
        for b in utf8 {
            if b == UInt8(ascii: "\"") { row.append(b) }
            row.append(b)
        }
        row.append(UInt8(ascii: "\""))
    }

    /// RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled.
    static func escape(_ field: String) -> String {
        var bytes: [UInt8] = []
        append(field, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
