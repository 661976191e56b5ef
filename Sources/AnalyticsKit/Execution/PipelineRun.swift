import Foundation

/// One complete batch run: open the input, run the pipeline, write results and the corpus summary.
///
/// This is what `analyze run` does, packaged for programs that embed the engine.
public struct PipelineRun {
    /// The pipeline to run.
    public let pipeline: Pipeline
    /// Worker count; nil uses the pipeline's, or one per core.
    public var jobs: Int?

    /// Prepares a run.
    public init(pipeline: Pipeline, jobs: Int? = nil) {
        self.pipeline = pipeline
        self.jobs = jobs
    }

    /// Runs the pipeline. Throws `InputError` when there is no usable input, `OutputError` when the
    /// results cannot be written; failures of single documents are in their records and counted in the report.
    @discardableResult
    public func run(progress: ((RunProgress) -> Void)? = nil) throws -> RunReport {
        guard let input = pipeline.input else {
            throw InputError("no input: set 'input: { path: ... }' in the pipeline or pass --input PATH")
        }
        let source = try DocumentSources.open(input)
        let file = try OutputFile(path: pipeline.output.path)
        var sink = ResultSinks.make(pipeline.output.format, file: file)
        let executor = Executor(pipeline: pipeline, jobs: jobs)
        let report = try executor.run(source, write: { try sink.write($0) }, progress: progress)
        try sink.finish(report: report)
        if let summaryPath = pipeline.summaryPath {
            let summary = try OutputFile(path: summaryPath)
            var bytes: [UInt8] = []
            JSONValue.object([
                JSONField("documents", .int(report.documents)),
                JSONField("failed_documents", .int(report.failedDocuments)),
                JSONField("bytes", .int(report.bytes)),
                JSONField("corpus", .object(report.corpus)),
            ]).write(to: &bytes)
            bytes.append(0x0A)
            try summary.write(bytes)
            try summary.flush()
        }
        return report
    }
}
