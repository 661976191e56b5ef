import AnalyticsKit
import ArgumentParser
import Foundation
import Logging

/// `analyze run`: runs a pipeline over its input and writes the results.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline over its input and write one result per document.",
        discussion: "Options given here override the pipeline file. Progress goes to stderr when it is a terminal."
    )

    @Argument(help: "The pipeline YAML file.", completion: .file(extensions: ["yml", "yaml"]))
    var pipeline: String

    @OptionGroup var plugins: PluginOptions

    @Option(name: .shortAndLong, help: "Input: a file, a directory, a glob such as 'docs/*.txt', or '-' for standard input.")
    var input: String?

    @Option(name: .customLong("input-format"), help: "Input format: auto, text, jsonl, json (an array of objects), csv (comma, semicolon or tab, told by the header) or tsv (auto goes by the file extension).")
    var inputFormat: String?

    @Option(name: .customLong("text-field"), help: "The JSONL field or CSV column that holds the text.")
    var textField: String?

    @Option(name: .customLong("id-field"), help: "The JSONL field or CSV column that holds each document's id.")
    var idField: String?

    @Option(name: .shortAndLong, help: "Output file, or '-' for standard output.")
    var output: String?

    @Option(name: .shortAndLong, help: "Output format: jsonl, json, csv, table or html (default: from the output file's extension, else the pipeline's).")
    var format: String?

    @Option(name: .shortAndLong, help: "Write the corpus summary (JSON) to this file.")
    var summary: String?

    @Option(name: .shortAndLong, help: "Worker threads, 1 to 1024 (default: the pipeline's 'jobs', else one per core).")
    var jobs: Int?

    @Option(name: .customLong("max-document-bytes"), help: "Larger documents get an error record instead of being analysed, 1 to 2147483648 (default: the pipeline's 'max_document_bytes', else the machine's memory / 80).")
    var maxDocumentBytes: Int?

    @Flag(inversion: .prefixedNo, help: "Show progress on stderr (default: when stderr is a terminal and the results do not go to it).")
    var progress: Bool?

    @Flag(name: .shortAndLong, help: "Log the run's start and totals, and each document with errors, to stderr.")
    var verbose = false

    func validate() throws {
        if let jobs, jobs < 1 || jobs > Executor.maxJobs {
            throw ValidationError("--jobs must be from 1 to \(Executor.maxJobs), e.g. --jobs 4")
        }
        if let maxDocumentBytes, maxDocumentBytes < 1 || maxDocumentBytes > Executor.largestDocumentBytes {
            throw ValidationError("--max-document-bytes must be from 1 to \(Executor.largestDocumentBytes), e.g. --max-document-bytes 1000000000")
        }
        if let format, OutputFormat(rawValue: format) == nil {
            throw ValidationError("unknown --format '\(format)'; use one of: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let inputFormat, InputFormat(rawValue: inputFormat) == nil {
            throw ValidationError("unknown --input-format '\(inputFormat)'; use one of: \(InputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        var pipeline = try loadPipelineOrExit(self.pipeline, registry: BuiltinPlugins.registry(adding: plugins.paths))
        let cwd = FileManager.default.currentDirectoryPath
        if let input {
            var spec = pipeline.input ?? InputSpec(path: input)
            spec.path = StageOptions.resolve(input, against: cwd)
            if pipeline.input != nil && inputFormat == nil { spec.format = .auto }
            pipeline.input = spec
        }
        if let inputFormat, let format = InputFormat(rawValue: inputFormat) { pipeline.input?.format = format }
        if let textField { pipeline.input?.textField = textField }
        if let idField { pipeline.input?.idField = idField }
        if let output {
            pipeline.output.path = StageOptions.resolve(output, against: cwd)
            if format == nil { pipeline.output.format = OutputFormat.guess(fromPath: output) ?? pipeline.output.format }
        }
        if let format, let parsed = OutputFormat(rawValue: format) { pipeline.output.format = parsed }
        if let summary { pipeline.summaryPath = StageOptions.resolve(summary, against: cwd) }
        if let maxDocumentBytes { pipeline.maxDocumentBytes = maxDocumentBytes }

        var logger = Logger(label: "analyze") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .debug : .warning
        // Results printed to the terminal would be cut by the progress line redrawn among them.
        let resultsOnTerminal = pipeline.output.path == "-" && isatty(1) == 1
        let display = progress ?? (isatty(2) == 1 && !resultsOnTerminal) ? ProgressDisplay() : nil
        var run = PipelineRun(pipeline: pipeline, jobs: jobs, logger: logger)
        run.stopRequest = StopRequest()
        let signals = StopSignals(run.stopRequest!)
        let report: RunReport
        defer { withExtendedLifetime(signals) {} }
        do {
            report = try run.run(progress: display.map { d in { d.update($0) } })
        } catch let error as InputError {
            display?.clear()
            StandardError.print("error: \(error.message)")
            throw ExitCode(2)
        } catch let error as OutputError {
            display?.clear()
            // `analyze run ... | head`: the reader has what it wanted, so stop without a message, as
            // Unix tools do; the status still says that not every record was written.
            if !error.readerClosed { StandardError.print("error: \(error.message)") }
            throw ExitCode(2)
        }
        display?.finish(report)
        if report.stopped {
            StandardError.print("stopped after \(report.documents) document(s): their records are complete and in input order; the rest of the input was not read")
            throw ExitCode(130)
        }
        if report.failedDocuments > 0 {
            StandardError.print("\(report.failedDocuments) of \(report.documents) document(s) have errors; see their 'errors' records")
            throw ExitCode(1)
        }
    }
}

/// A one-line progress display on stderr, redrawn at most ten times a second: a bar, the percentage
/// and the time left when the input's size is known (a directory's file count, a JSONL file's bytes),
/// and the documents, megabytes and rate in any case.
final class ProgressDisplay {
    private var lastDraw = Date.distantPast

    func update(_ progress: RunProgress) {
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + Self.line(progress)).utf8))
    }

    func finish(_ report: RunReport) {
        let totals = Self.totals(documents: report.documents, expected: nil, bytes: report.bytes, seconds: report.seconds)
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + totals + "\n").utf8))
    }

    func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// The display's text for `progress`, without the control codes that redraw it.
    static func line(_ progress: RunProgress) -> String {
        let totals = totals(documents: progress.documents, expected: progress.expected, bytes: progress.bytes, seconds: progress.seconds)
        guard let fraction = progress.fraction else { return totals }
        let width = 24
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
        var line = bar + String(format: " %3d%%  ", Int((fraction * 100).rounded(.down))) + totals
        if fraction > 0 && fraction < 1 {
            let left = Int((progress.seconds * (1 - fraction) / fraction).rounded())
            line += String(format: "  %d:%02d left", left / 60, left % 60)
        }
        return line
    }

    private static func totals(documents: Int, expected: Int?, bytes: Int, seconds: Double) -> String {
        let count = expected.map { "\(documents)/\($0)" } ?? "\(documents)"
        let megabytes = Double(bytes) / 1_000_000
        let rate = seconds > 0 ? megabytes / seconds : 0
        return String(format: "%@ documents  %.1f MB  %.1f MB/s  %.1f s", count, megabytes, rate, seconds)
    }
}
