import Logging

/// Where results go, one document at a time in input order, then the corpus summary.
public protocol ResultSink {
    /// Writes one document's result.
    mutating func write(_ result: DocumentResult) throws
    /// Writes what comes after the documents (the corpus summary, where the format has a place for it) and flushes.
    mutating func finish(report: RunReport) throws
}

/// A sink whose records the run's workers can encode themselves, all at once, leaving the sink only
/// to write the bytes in input order (`Executor.run(_:encode:write:progress:)`). `PipelineRun` runs
/// such sinks that way; `write(_:)` still takes one result at a time, as for any sink.
public protocol RecordEncodingSink: ResultSink, SendableMetatype {
    /// Appends `result`'s record to `out`. Runs on every worker at once, so it reads nothing but the
    /// result: what goes before a record may depend on its `sequence` (0 is written first), not on
    /// what was written before it.
    static func encode(_ result: DocumentResult, to out: inout JSONBuffer)
    /// Writes the records `encode` made for `results`, which come next in input order.
    mutating func write(encoded: JSONBuffer, of results: [DocumentResult]) throws
}

/// Makes the sink for an output format.
public enum ResultSinks {
    /// A sink writing `format` to `file`; `logger` hears about anything a format has to leave out.
    public static func make(_ format: OutputFormat, file: OutputFile, logger: Logger = Logger(label: "analyticskit.output") { _ in SwiftLogNoOpLogHandler() }) -> any ResultSink {
        switch format {
        case .jsonl: return JSONLSink(file: file)
        case .json: return JSONSink(file: file)
        case .csv: return CSVSink(file: file, logger: logger)
        case .table: return TableSink(file: file)
        case .html: return HTMLSink(file: file)
        }
    }
}

/// One JSON object per line per document: the contract other tools rely on. The corpus summary is not
/// part of this format; write it with `--summary`.
public struct JSONLSink: RecordEncodingSink {
    let file: OutputFile
    private var line = JSONBuffer()

    /// Creates a sink.
    public init(file: OutputFile) { self.file = file }

    public mutating func write(_ result: DocumentResult) throws {
        line.removeAll()
        Self.encode(result, to: &line)
        try file.write(line)
    }

    public static func encode(_ result: DocumentResult, to out: inout JSONBuffer) {
        result.writeRecord(to: &out)
        out.append(0x0A)
    }

    public mutating func write(encoded: JSONBuffer, of results: [DocumentResult]) throws { try file.write(encoded) }

    public mutating func finish(report: RunReport) throws { try file.flush() }
}

/// One JSON document: `{"documents": [...], "corpus": {...}}`, streamed a document at a time.
public struct JSONSink: RecordEncodingSink {
    let file: OutputFile
    private var count = 0

    /// Creates a sink.
    public init(file: OutputFile) { self.file = file }

    public mutating func write(_ result: DocumentResult) throws {
        var bytes = JSONBuffer()
        Self.appendRecord(result, first: count == 0, to: &bytes)
        try file.write(bytes)
        count += 1
    }

    public static func encode(_ result: DocumentResult, to out: inout JSONBuffer) {
        appendRecord(result, first: result.sequence == 0, to: &out)
    }

    public mutating func write(encoded: JSONBuffer, of results: [DocumentResult]) throws {
        try file.write(encoded)
        count += results.count
    }

    /// A record with what goes before it: the opening of the document and its list for the first.
    private static func appendRecord(_ result: DocumentResult, first: Bool, to out: inout JSONBuffer) {
        out.append(literal: first ? "{\"documents\":[\n" : ",\n")
        result.writeRecord(to: &out)
    }

    public mutating func finish(report: RunReport) throws {
        let file = file
        var writer = JSONStreamWriter { try file.write($0) }
        try writer.append(raw: count == 0 ? "{\"documents\":[],\n" : "\n],\n")
        try writer.append(key: "corpus")
        try report.writeCorpus(to: &writer)
        try writer.append(raw: "}\n")
        try writer.finish()
        try file.flush()
    }
}
