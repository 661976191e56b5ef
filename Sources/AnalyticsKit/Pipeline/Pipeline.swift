/// A validated pipeline, ready to run: where documents come from, where results go, and the stage graph.
public struct Pipeline: Sendable {
    /// The pipeline's name, if it has one.
    public var name: String?
    /// Where documents come from; nil when the file leaves it to the command line.
    public var input: InputSpec?
    /// Where results go.
    public var output: OutputSpec
    /// Where the corpus summary (JSON) goes, if anywhere.
    public var summaryPath: String?
    /// Worker threads; nil means one per core.
    public var jobs: Int?
    /// Stages of one level run concurrently on documents of at least this many bytes.
    public var parallelStagesMinBytes: Int
    /// Documents larger than this many bytes get an error record instead of being analysed; nil means
    /// `Executor.defaultMaxDocumentBytes`, which this machine's memory sets.
    public var maxDocumentBytes: Int?
    /// The stages.
    public let graph: StageGraph

    /// The default `parallelStagesMinBytes`: below it, dispatching a stage costs more than it saves
    /// (see docs/performance.md for the measurement).
    public static let defaultParallelStagesMinBytes = 16_384

    /// Creates a pipeline in code.
    public init(graph: StageGraph, input: InputSpec? = nil, output: OutputSpec = OutputSpec(), name: String? = nil,
                summaryPath: String? = nil, jobs: Int? = nil, parallelStagesMinBytes: Int = Pipeline.defaultParallelStagesMinBytes,
                maxDocumentBytes: Int? = nil) {
        self.graph = graph
        self.input = input
        self.output = output
        self.name = name
        self.summaryPath = summaryPath
        self.jobs = jobs
        self.parallelStagesMinBytes = parallelStagesMinBytes
        self.maxDocumentBytes = maxDocumentBytes
    }
}

/// Where a pipeline reads documents from.
public struct InputSpec: Sendable, Hashable {
    /// A file, a directory, a glob, or "-" for standard input.
    public var path: String
    /// How to read it; `auto` decides by the file extension (`.jsonl`/`.ndjson`, `.json`, `.csv`,
    /// `.tsv`, else text).
    public var format: InputFormat
    /// The JSONL field or CSV column that holds the text.
    public var textField: String
    /// The JSONL field or CSV column that holds the id; documents without one are named by their line.
    public var idField: String
    /// File extensions read from a directory; each file is read by its own format (`FileListSource`).
    public var extensions: [String]

    /// Creates an input description.
    public init(path: String, format: InputFormat = .auto, textField: String = "text", idField: String = "id",
                extensions: [String] = ["txt", "md"]) {
        self.path = path
        self.format = format
        self.textField = textField
        self.idField = idField
        self.extensions = extensions
    }
}

/// The input formats: `json` is one array of objects, each read as a JSONL line is.
public enum InputFormat: String, Sendable, CaseIterable {
    case auto, text, jsonl, json, csv, tsv
}

/// Where a pipeline writes results.
public struct OutputSpec: Sendable, Hashable {
    /// A file path, or "-" for standard output.
    public var path: String
    /// The format.
    public var format: OutputFormat

    /// Creates an output description.
    public init(path: String = "-", format: OutputFormat = .jsonl) {
        self.path = path
        self.format = format
    }
}

/// The output formats.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// One JSON object per document per line: the contract other tools rely on.
    case jsonl
    /// One JSON document with `documents` and `corpus`.
    case json
    /// One row per document, scalar fields flattened as `stage.field`.
    case csv
    /// A readable summary for a terminal.
    case table
    /// A report to read in a browser: a section per document, then the corpus summary.
    case html

    /// Whether the format writes the corpus summary (`json` holds it, `table` and `html` show it, its
    /// lists cut short): a run to any other format builds no corpus aggregates unless a summary file
    /// is asked for.
    public var holdsCorpus: Bool { self == .json || self == .table || self == .html }

    /// The format a file name suggests, if any.
    public static func guess(fromPath path: String) -> OutputFormat? {
        switch path.split(separator: ".").last.map({ $0.lowercased() }) {
        case "jsonl", "ndjson": return .jsonl
        case "json": return .json
        case "csv": return .csv
        case "txt": return .table
        case "html", "htm": return .html
        default: return nil
        }
    }
}
