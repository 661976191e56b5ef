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
            try file.write((["id"] + header + ["errors", "warnings"]).map(Self.escape).joined(separator: ",") + "\n")
        }
        for record in step.ready { try writeRow(record) }
    }

    private mutating func writeRow(_ record: FlatRecord) throws {
        let header = chooser.columns ?? []
        let known = Set(header)
        for column in record.metadata + record.columns where !known.contains(column.key) && !warnedAbout.contains(column.key) {
            warnedAbout.insert(column.key)
            logger.warning("CSV output leaves out a field that the header lacks", metadata: ["field": "\(column.key)", "document": "\(record.id)"])
        }
        var cells = [record.id]
        for key in header {
            cells.append(FlatRecord.cell(record.value(of: key)))
        }
        cells.append(record.errors)
        cells.append(record.warnings)
        try file.write(cells.map(Self.escape).joined(separator: ",") + "\n")
    }

    /// RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled.
    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
