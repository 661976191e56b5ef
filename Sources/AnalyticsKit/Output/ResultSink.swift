import Logging

/// Where results go, one document at a time in input order, then the corpus summary.
public protocol ResultSink {
    /// Writes one document's result.
    mutating func write(_ result: DocumentResult) throws
    /// Writes what comes after the documents (the corpus summary, where the format has a place for it) and flushes.
    mutating func finish(report: RunReport) throws
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
        }
    }
}

/// One JSON object per line per document: the contract other tools rely on. The corpus summary is not
/// part of this format; write it with `--summary`.
public struct JSONLSink: ResultSink {
    let file: OutputFile
    private var line = JSONBuffer()

    /// Creates a sink.
    public init(file: OutputFile) { self.file = file }

    public mutating func write(_ result: DocumentResult) throws {
        line.removeAll()
        result.writeRecord(to: &line)
        line.append(0x0A)
        try file.write(line)
    }

    public mutating func finish(report: RunReport) throws { try file.flush() }
}

/// One JSON document: `{"documents": [...], "corpus": {...}}`, streamed a document at a time.
public struct JSONSink: ResultSink {
    let file: OutputFile
    private var count = 0

    /// Creates a sink.
    public init(file: OutputFile) { self.file = file }

    public mutating func write(_ result: DocumentResult) throws {
        var bytes = JSONBuffer()
        bytes.append(literal: count == 0 ? "{\"documents\":[\n" : ",\n")
        result.writeRecord(to: &bytes)
        try file.write(bytes)
        count += 1
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
