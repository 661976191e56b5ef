import Foundation
import Logging

/// One complete batch run: open the input, run the pipeline, write results and the corpus summary.
///
/// This is what `analyze run` does, packaged for programs that embed the engine.
public struct PipelineRun {
    /// The pipeline to run.
    public let pipeline: Pipeline
    /// Worker count; nil uses the pipeline's, or one per core.
    public var jobs: Int?
    /// Where the run reports what it does: `info` for the start and the totals, `debug` for each
    /// document with errors, `warning` for output that had to leave something out.
    public var logger: Logger
    /// Whether the run builds the corpus aggregates (`RunReport.corpus`); nil builds them when
    /// something reads them: a summary file (`pipeline.summaryPath`) or an output format with a place
    /// for them (`OutputFormat.holdsCorpus`). Set it to true to read the report's corpus yourself.
    public var collectsCorpus: Bool?
    /// Ends the run early when stopped (see `Executor.stopRequest`); the summary is still written, for
    /// the documents done.
    public var stopRequest: StopRequest?

    /// Prepares a run.
    public init(pipeline: Pipeline, jobs: Int? = nil, logger: Logger = Logger(label: "analyticskit.run") { _ in SwiftLogNoOpLogHandler() }) {
        self.pipeline = pipeline
        self.jobs = jobs
        self.logger = logger
    }

    /// Runs the pipeline. Throws `InputError` when there is no usable input, `OutputError` when the
    /// results cannot be written; failures of single documents are in their records and counted in the report.
    @discardableResult
    public func run(progress: ((RunProgress) -> Void)? = nil) throws -> RunReport {
        guard let input = pipeline.input else {
            throw InputError("no input: set 'input: { path: ... }' in the pipeline or pass --input PATH")
        }
        for path in [pipeline.output.path, pipeline.summaryPath].compactMap({ $0 }) where DocumentSources.reads(input, file: path) {
            throw OutputError("'\(path)' is also this run's input, and writing it would destroy that; write the results somewhere else")
        }
        let source = try DocumentSources.open(input)
        if let summaryPath = pipeline.summaryPath, Self.sameFile(summaryPath, pipeline.output.path) {
            throw OutputError("the summary and the results would both go to '\(summaryPath)'; give the summary a file of its own")
        }
        let file = try OutputFile(path: pipeline.output.path)
        // Opened before the run, so that a summary that cannot be written stops it before the work,
        // not after; it is written only once the results are.
        let summary = try pipeline.summaryPath.map { try OutputFile(path: $0) }
        var sink = ResultSinks.make(pipeline.output.format, file: file, logger: logger)
        var executor = Executor(pipeline: pipeline, jobs: jobs)
        executor.collectsCorpus = collectsCorpus ?? (pipeline.summaryPath != nil || pipeline.output.format.holdsCorpus)
        executor.stopRequest = stopRequest
        logger.info("run started", metadata: ["input": "\(input.path)", "output": "\(pipeline.output.path)", "jobs": "\(executor.jobs)"])
        let report: RunReport
        if var encoding = sink as? any RecordEncodingSink {
            report = try run(executor, source, encodingInto: &encoding, progress: progress)
            try encoding.finish(report: report)
        } else {
            report = try executor.run(source, write: { [logger] result in
                Self.log(failure: result, logger)
                try sink.write(result)
            }, progress: progress)
            try sink.finish(report: report)
        }
        logger.info("run finished", metadata: [
            "documents": "\(report.documents)", "failed": "\(report.failedDocuments)",
            "MB/s": "\(String(format: "%.1f", Double(report.bytes) / 1_000_000 / max(report.seconds, 1e-9)))",
        ])
        if let summary {
            var writer = JSONStreamWriter { try summary.write($0) }
            try writer.append(raw: "{")
            for (key, value) in [("documents", report.documents), ("failed_documents", report.failedDocuments), ("bytes", report.bytes)] {
                try writer.append(key: key)
                try writer.append(.int(value))
                try writer.append(raw: ",")
            }
            try writer.append(key: "corpus")
            try report.writeCorpus(to: &writer)
            try writer.append(raw: "}\n")
            try writer.finish()
            try summary.flush()
        }
        return report
    }

    /// Runs with the records encoded on the workers (`Executor.run(_:encode:write:progress:)`).
    private func run<Sink: RecordEncodingSink>(_ executor: Executor, _ source: some DocumentSource, encodingInto sink: inout Sink,
                                               progress: ((RunProgress) -> Void)?) throws -> RunReport {
        var writing = sink  // the closure cannot capture the inout parameter; it is copied back below
        defer { sink = writing }
        return try executor.run(source, encode: { Sink.encode($0, to: &$1) }, write: { [logger] results, encoded in
            // By index: a `for … in` loop copied every record to ask whether it failed.
            for k in results.indices where results[k].failed { Self.log(failure: results[k], logger) }
            try writing.write(encoded: encoded, of: results)
        }, progress: progress)
    }

    /// Logs a document's errors, at `debug`.
    private static func log(failure result: DocumentResult, _ logger: Logger) {
        guard result.failed else { return }
        logger.debug("document has errors", metadata: ["id": "\(result.id)", "errors": "\(result.errors.map(\.message))"])
    }

    /// Whether two output paths name one regular file, by identity when it exists (whatever the
    /// spelling), by path when it is still to be made. `/dev/null` and other devices may take both.
    private static func sameFile(_ a: String, _ b: String) -> Bool {
        guard a != "-", b != "-" else { return false }
        if let first = FileIdentity(a), let second = FileIdentity(b) { return first == second && first.isRegular }
        return URL(fileURLWithPath: a).standardizedFileURL == URL(fileURLWithPath: b).standardizedFileURL
    }
}
