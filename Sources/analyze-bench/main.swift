import AnalyticsKit
import Foundation
import Quotes
import Readability
import Sentiment

// Throughput benchmark: text layer and text layer + frequency over a JSONL corpus, end to end
// (read, parse JSON, analyse, encode JSONL records), at 1 and 2 workers.
//
//   swift run -c release analyze-bench ../shared/data/corpus/news.jsonl [--jobs 1,2] [--repeat 3]

let arguments = CommandLine.arguments.dropFirst()
guard let corpus = arguments.first, !corpus.hasPrefix("-") else {
    FileHandle.standardError.write(Data("usage: analyze-bench CORPUS.jsonl [--jobs 1,2] [--repeat N] [--only NAME]\n".utf8))
    exit(2)
}

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), arguments.index(after: index) < arguments.endIndex else { return nil }
    return arguments[arguments.index(after: index)]
}

/// The corpus's documents, or exit with a message when it has none (not JSONL, or no "text" field).
func loadDocuments() throws -> [Document] {
    var documents: [Document] = []
    var source = try DocumentSources.open(InputSpec(path: corpus, format: .jsonl))
    while let pending = try source.next() { if case .document(let d, _) = pending.load() { documents.append(d) } }
    guard !documents.isEmpty else {
        FileHandle.standardError.write(Data("error: no document could be read from \(corpus); give a JSONL file with a \"text\" field\n".utf8))
        exit(2)
    }
    return documents
}

if arguments.contains("--sentiment-only") {
    // The sentiment stage alone: documents and layers in memory, the stage run 5 times.
    let documents = try loadDocuments()
    let layers = documents.map { TextLayer(text: $0.text) }
    let stage = try SentimentStage(configuration: StageConfiguration(id: "s", typeName: "sentiment", options: StageOptions([
        "level": .string("document"), "drivers": .int(5), "lexicon_mode": .string("merge")])))
    var sum = 0.0
    let start = Date()
    for _ in 0..<5 { for (d, l) in zip(documents, layers) { sum += try stage.analyze(d, layer: l, upstream: UpstreamOutputs()).document?.compound ?? 0 } }
    let seconds = Date().timeIntervalSince(start)
    let megabytes = Double(documents.reduce(0) { $0 + $1.text.utf8.count }) * 5 / 1_000_000
    print(String(format: "sentiment stage alone: %.1f MB/s (checksum %.3f)", megabytes / seconds, sum))
    exit(0)
}

if arguments.contains("--quotes-only") {
    // The quotes stage alone: documents and layers in memory, the stage run 5 times; then one 5 MB
    // document without quotes and documents dense with quotes, to show the cost stays linear.
    let documents = try loadDocuments()
    let layers = documents.map { TextLayer(text: $0.text) }
    let stage = try QuotesStage(configuration: StageConfiguration(id: "q", typeName: "quotes", options: StageOptions([
        "kinds": .strings(["direct", "indirect", "mixed"]), "corpus_top": .int(25)])))
    var count = 0
    var start = Date()
    for _ in 0..<5 { for (d, l) in zip(documents, layers) { count += try stage.analyze(d, layer: l, upstream: UpstreamOutputs()).quotes.count } }
    var seconds = Date().timeIntervalSince(start)
    let megabytes = Double(documents.reduce(0) { $0 + $1.text.utf8.count }) * 5 / 1_000_000
    print(String(format: "quotes stage alone: %.1f MB/s (%d quotes)", megabytes / seconds, count))
    let plain = String(repeating: "The harbour was calm and the boats stayed in all day long. ", count: 5_000_000 / 60)
    let big = Document(id: "big", text: plain)
    let bigLayer = TextLayer(text: plain)
    start = Date()
    count = try stage.analyze(big, layer: bigLayer, upstream: UpstreamOutputs()).quotes.count
    seconds = Date().timeIntervalSince(start)
    print(String(format: "quotes stage on one %.1f MB document without quotes: %.1f MB/s (%d quotes)", Double(plain.utf8.count) / 1e6, Double(plain.utf8.count) / 1e6 / seconds, count))
    // And one document dense with quotes, speakers and reported speech, at 1 MB and 5 MB: the same
    // MB/s at both sizes shows the cost per quote does not grow with the number of quotes before it.
    let paragraphs = [
        "“The harbour plan will cost twice the estimate,” Maria Lopez said on Monday.",
        "Officials said that the ferry would keep running through the winter season.",
        "The council called the plan “a costly gamble” after the meeting ended.",
        "“Nobody has told us anything about the timetable,” she said.",
    ]
    for megabytesWanted in [1, 5] {
        var dense = ""
        var p = 0
        while dense.utf8.count < megabytesWanted * 1_000_000 { dense += paragraphs[p % paragraphs.count] + "\n\n"; p += 1 }
        let denseLayer = TextLayer(text: dense)
        start = Date()
        count = try stage.analyze(Document(id: "dense", text: dense), layer: denseLayer, upstream: UpstreamOutputs()).quotes.count
        seconds = Date().timeIntervalSince(start)
        print(String(format: "quotes stage on one %.1f MB document dense with quotes: %.1f MB/s (%d quotes)", Double(dense.utf8.count) / 1e6, Double(dense.utf8.count) / 1e6 / seconds, count))
    }
    exit(0)
}

if arguments.contains("--readability-only") {
    // A clean profile of the readability stage: documents and layers in memory, the stage run 5 times.
    let documents = try loadDocuments()
    let layers = documents.map { TextLayer(text: $0.text) }
    let stage = try ReadabilityStage(configuration: StageConfiguration(id: "r", typeName: "readability", options: StageOptions([
        "formulas": .strings(ReadabilityFormula.allCases.map(\.rawValue)), "syllables": .string("dictionary")])))
    var words = 0
    let start = Date()
    for _ in 0..<5 { for (d, l) in zip(documents, layers) { words &+= try stage.analyze(d, layer: l, upstream: UpstreamOutputs()).counts.words } }
    let seconds = Date().timeIntervalSince(start)
    let megabytes = Double(documents.reduce(0) { $0 + $1.text.utf8.count }) * 5 / 1_000_000
    print(String(format: "readability stage alone: %.1f MB/s (%d words)", megabytes / seconds, words))
    exit(0)
}

if arguments.contains("--components") {
    try measureComponents(corpus: corpus)
    exit(0)
}

if arguments.contains("--stage-threshold") {
    try measureStageThreshold(corpus: corpus)
    exit(0)
}

let jobCounts = (option("--jobs") ?? "1,2").split(separator: ",").compactMap { Int($0) }
let repeats = Int(option("--repeat") ?? "3") ?? 3
// `--only NAME` runs the one configuration of that name (as printed): for profiling it.
let only = option("--only")

/// Peak resident memory of this process so far, in MB (VmHWM).
func peakMemoryMB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kb / 1024
}

/// CPU seconds this process has used so far, user and system, on all its threads.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1_000_000 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// A stage that only makes the engine build the text layer.
struct TokenCount: Stage {
    let configuration: StageConfiguration
    func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> Int { layer.tokens.count }
}

let registry = PluginRegistry.builtIn()
try registry.register(StageFactory(typeName: "token_count", summary: "tokens only") { TokenCount(configuration: $0) })
try ReadabilityPlugin.register(into: registry)
try SentimentPlugin.register(into: registry)
try QuotesPlugin.register(into: registry)

if let library = option("--native-plugin") {
    // The example plugin's stage loaded from its library, against the same source compiled into this
    // benchmark (WordLengthBuiltIn.swift is a link to the example's source): the cost of the boundary.
    let builtIn = PluginRegistry.builtIn()
    _ = analyticskitPluginRegister(Unmanaged.passUnretained(builtIn).toOpaque())
    let loaded = PluginRegistry.builtIn()
    try NativePlugins.load(library, into: loaded)
    for (name, registry) in [("word_length built in", builtIn), ("word_length from the plugin library", loaded)] {
        let pipeline = try PipelineLoader(registry: registry).load(yaml: """
            version: 1
            input: { path: "\(corpus)", format: jsonl }
            output: { path: /dev/null, format: jsonl }
            stages:
              - { id: lengths, type: word_length }
            """, file: "bench.yml", baseDirectory: FileManager.default.currentDirectoryPath)
        var best = 0.0
        for _ in 0..<3 {
            let report = try PipelineRun(pipeline: pipeline, jobs: 1).run()
            best = max(best, Double(report.documents) / report.seconds)
        }
        print(String(format: "%@, jobs 1: %.0f documents/s", name as NSString, best))
    }
    exit(0)
}

if let plugin = option("--process-echo") {
    // Per-document overhead of a process stage: a plugin that answers every request at once.
    let pipeline = try PipelineLoader(registry: registry).load(yaml: """
        version: 1
        input: { path: "\(corpus)", format: jsonl }
        output: { path: /dev/null, format: jsonl }
        stages:
          - { id: echo, type: process, with: { command: [python3, "\(plugin)"] } }
        """, file: "bench.yml", baseDirectory: FileManager.default.currentDirectoryPath)
    for jobs in [1, 2] {
        let report = try PipelineRun(pipeline: pipeline, jobs: jobs).run()
        print(String(format: "process stage (echo plugin), jobs %d: %.0f documents/s, %.1f MB/s, %d failed",
                     jobs, Double(report.documents) / report.seconds, Double(report.bytes) / 1_000_000 / report.seconds, report.failedDocuments))
    }
    exit(0)
}


let fullPipeline = ["- { id: tone, type: sentiment }", "- { id: reading, type: readability }", "- { id: quotes, type: quotes }",
                    "- { id: terms, type: frequency, with: { ngrams: [1, 2], stopwords: english } }"].joined(separator: "\n  ")

let configurations: [(String, String)] = [
    ("text layer", "- { id: tokens, type: token_count }"),
    ("text layer + frequency, per document only", "- { id: terms, type: frequency, with: { ngrams: [1, 2], stopwords: english, corpus: false } }"),
    ("text layer + frequency with corpus summary", "- { id: terms, type: frequency, with: { ngrams: [1, 2], stopwords: english } }"),
    ("text layer + readability (all formulas)", "- { id: reading, type: readability }"),
    ("text layer + sentiment", "- { id: tone, type: sentiment }"),
    ("text layer + quotes", "- { id: quotes, type: quotes }"),
    // The default news pipeline: sentiment, readability, quotes, frequency (news.yml less quote_tone),
    // run as pipelines/news-corpus.yml runs it (results only: nothing reads the corpus aggregates, so
    // the run does not collect them), then with its corpus summary written.
    ("full pipeline (4 stages)", fullPipeline),
    ("full pipeline (4 stages) with corpus summary", fullPipeline),
]

/// Left-aligns `text` in `width` columns (String(format:) does not pad `%@`).
func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

print("corpus: \(corpus)")
// MB/s is over wall time, the best of the repeats. MB/CPU-s is over the CPU time the run used, user
// and system on all threads, the least of the repeats: per core, and less moved than wall time by
// other load on a shared machine (a process that waits for a core uses none).
print(pad("configuration", 50) + " jobs       MB/s     docs/s   MB/CPU-s    peak MB")
for (name, stageYAML) in configurations where only == nil || only == name {
    // The whole run as `analyze run` does it, timed from start to end: a configuration "with corpus
    // summary" writes the summary (to /dev/null), so it pays for merging the workers' partials and
    // finishing the summary, not only for collecting it.
    let yaml = """
        version: 1
        input: { path: "\(corpus)", format: jsonl }
        output: { path: /dev/null, format: jsonl }
        \(name.hasSuffix("with corpus summary") ? "summary: /dev/null" : "")
        stages:
          \(stageYAML)
        """
    let pipeline = try PipelineLoader(registry: registry).load(yaml: yaml, file: "bench.yml", baseDirectory: FileManager.default.currentDirectoryPath)
    for jobs in jobCounts {
        var best: (report: RunReport, seconds: Double)?
        var leastCPU = Double.infinity
        for _ in 0..<repeats {
            let start = Date()
            let startCPU = processCPUSeconds()
            let report = try PipelineRun(pipeline: pipeline, jobs: jobs).run()
            let seconds = Date().timeIntervalSince(start)
            leastCPU = min(leastCPU, processCPUSeconds() - startCPU)
            if best == nil || seconds < best!.seconds { best = (report, seconds) }
        }
        let (report, seconds) = best!
        let megabytes = Double(report.bytes) / 1_000_000
        let docs = Double(report.documents) / seconds
        print(pad(name, 50) + String(format: "%5d %10.1f %10.0f %10.1f %10.0f", jobs, megabytes / seconds, docs, megabytes / leastCPU, peakMemoryMB()))
        if report.failedDocuments > 0 {
            // A figure over documents that failed (a file that is not JSONL, a missing text field)
            // measures nothing; say so rather than print it as if it did.
            FileHandle.standardError.write(Data("""
                warning: \(report.failedDocuments) of \(report.documents) documents failed in "\(name)"; their text is not \
                counted. Is \(corpus) JSONL with a "text" field? (`analyze run` on it lists the errors.)

                """.utf8))
        }
    }
}

/// Measures when running two independent stages of one document concurrently pays: documents of
/// growing size, one worker, stages in order versus concurrently. This is how the default of
/// `parallel_stages_min_bytes` was chosen.
func measureStageThreshold(corpus: String) throws {
    var texts: [String] = []
    var source = try DocumentSources.open(InputSpec(path: corpus, format: .jsonl))
    while texts.count < 3000, let pending = try source.next() {
        if case .document(let document, _) = pending.load() { texts.append(document.text) }
    }
    let pipeline = try PipelineLoader(registry: PluginRegistry.builtIn()).load(yaml: """
        version: 1
        stages:
          - { id: a, type: frequency, with: { ngrams: [1, 2], tfidf_top: 0 } }
          - { id: b, type: frequency, with: { ngrams: [1, 3], tfidf_top: 0 } }
        """, file: "threshold.yml", baseDirectory: ".")
    print(" doc bytes  serial MB/s  parallel MB/s   ratio")
    for size in [1_024, 4_096, 16_384, 65_536, 262_144, 1_048_576] {
        var documents: [Document] = []
        var buffer = ""
        var k = 0
        while documents.count * size < 8_000_000 {
            buffer += texts[k % texts.count] + "\n\n"
            k += 1
            if buffer.utf8.count >= size {
                documents.append(Document(id: "\(documents.count)", text: buffer))
                buffer = ""
            }
        }
        func rate(_ threshold: Int) throws -> Double {
            var best = 0.0
            for _ in 0..<3 {
                let report = try Executor(graph: pipeline.graph, jobs: 1, parallelStagesMinBytes: threshold).run(ArraySource(documents)) { _ in }
                best = max(best, Double(report.bytes) / 1_000_000 / report.seconds)
            }
            return best
        }
        let serial = try rate(Int.max)
        let parallel = try rate(0)
        print(String(format: "%10d %12.1f %12.1f %8.2f", size, serial, parallel, parallel / serial))
    }
}

/// Times each part of the text layer + frequency path on documents already in memory, one thread,
/// so that the end-to-end figure can be attributed.
func measureComponents(corpus: String) throws {
    var documents: [Document] = []
    var source = try DocumentSources.open(InputSpec(path: corpus, format: .jsonl))
    var lines: [[UInt8]] = []
    while let pending = try source.next() {
        if case .document(let document, _) = pending.load() {
            documents.append(document)
            lines.append(Array(#"{"id": "x", "text": "#.utf8) + Array(JSONValue.string(document.text).jsonText.utf8) + [0x7D])
        }
    }
    let megabytes = Double(documents.reduce(0) { $0 + $1.text.utf8.count }) / 1_000_000
    func time(_ name: String, _ body: () throws -> Void) rethrows {
        var best = Double.infinity
        for _ in 0..<3 {
            let start = Date()
            try body()
            best = min(best, Date().timeIntervalSince(start))
        }
        print(pad(name, 46) + String(format: "%8.1f MB/s %8.2f µs/doc", megabytes / best, best * 1e6 / Double(documents.count)))
    }
    let stage = try FrequencyStage(configuration: StageConfiguration(id: "t", typeName: "frequency", options: StageOptions([
        "ngrams": .ints([1, 2]), "top": .int(10), "stopwords": .string("english"), "case_fold": .bool(true),
        "numbers": .bool(false), "corpus_top": .int(25), "tfidf_top": .int(10),
    ])))
    var sink = 0
    time("parse JSONL lines") {
        for line in lines { if case .document(let d, _) = JSONLRecordParser.parse(line) { sink &+= d.text.utf8.count } }
    }
    time("text layer") { for d in documents { sink &+= TextLayer(text: d.text).tokens.count } }
    let layers = documents.map { TextLayer(text: $0.text) }
    try time("frequency stage (analyze only)") {
        for (d, layer) in zip(documents, layers) { sink &+= try stage.analyze(d, layer: layer, upstream: UpstreamOutputs()).words }
    }
    let outputs = try zip(documents, layers).map { try stage.analyze($0, layer: $1, upstream: UpstreamOutputs()) }
    time("corpus aggregate add (1,2-grams, tf-idf)") {
        var aggregate = stage.makeAggregate()!
        for (k, (d, output)) in zip(documents, outputs).enumerated() { aggregate.add(output, document: d, sequence: k) }
        sink &+= aggregate.finalize().documents
    }
    time("write outputs as JSON text (JSONWriter, as the engine does)") {
        var writer = JSONWriter()
        for output in outputs {
            writer.buffer.removeAll()
            output.writeJSON(to: &writer)
            sink &+= writer.buffer.count
        }
    }
    var aggregate = stage.makeAggregate()!
    for (k, (d, output)) in zip(documents, outputs).enumerated() { aggregate.add(output, document: d, sequence: k) }
    time("corpus finalize") { sink &+= aggregate.finalize().documents }
    let reading = try ReadabilityStage(configuration: StageConfiguration(id: "r", typeName: "readability", options: StageOptions([
        "formulas": .strings(ReadabilityFormula.allCases.map(\.rawValue)), "syllables": .string("dictionary"),
    ])))
    _ = try reading.analyze(documents[0], layer: layers[0], upstream: UpstreamOutputs())  // loads the dictionary
    try time("readability stage (analyze only)") {
        for (d, layer) in zip(documents, layers) { sink &+= try reading.analyze(d, layer: layer, upstream: UpstreamOutputs()).counts.words }
    }
    let readingOutputs = try zip(documents, layers).map { try reading.analyze($0, layer: $1, upstream: UpstreamOutputs()) }
    time("write readability outputs as JSON text") {
        var writer = JSONWriter()
        for output in readingOutputs {
            writer.buffer.removeAll()
            output.writeJSON(to: &writer)
            sink &+= writer.buffer.count
        }
    }
    print("(checksum \(sink))")
}
