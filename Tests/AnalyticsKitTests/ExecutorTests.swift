@testable import AnalyticsKit
import Dispatch
import Foundation
import Testing

private func pipeline(_ yaml: String) throws -> Pipeline {
    try PipelineLoader(registry: TestStages.registry()).load(yaml: yaml, file: "p.yml", baseDirectory: "/tmp")
}

/// Runs `graph` over documents and returns the JSONL bytes and the report.
private func runJSONL(_ graph: StageGraph, _ documents: [Document], jobs: Int, threshold: Int = 1 << 30) throws -> (String, RunReport) {
    var lines: [String] = []
    let report = try Executor(graph: graph, jobs: jobs, parallelStagesMinBytes: threshold)
        .run(ArraySource(documents)) { lines.append($0.record.jsonText) }
    return (lines.joined(separator: "\n"), report)
}

private struct Timeout: Error, CustomStringConvertible {
    var description: String { "timed out waiting for the other stage" }
}

@Suite("Executor")
struct ExecutorTests {
    static let corpus: [Document] = (0..<400).map { k in
        let words = ["market", "rose", "fell", "traders", "said", "bank", "rates", "oil", "prices", "growth"]
        let text = (0..<(5 + k % 37)).map { words[($0 * 7 + k) % words.count] }.joined(separator: " ") + ". Done \(k)."
        return Document(id: "doc-\(k)", text: text, metadata: [JSONField("n", .int(k))])
    }

    @Test func outputIsIdenticalWhateverTheWorkerCount() throws {
        let p = try pipeline("""
            version: 1
            stages:
              - { id: terms, type: frequency, with: { ngrams: [1, 2], stopwords: english } }
              - { id: echo, type: echo, needs: [terms] }
            """)
        let (one, reportOne) = try runJSONL(p.graph, Self.corpus, jobs: 1)
        let (eight, reportEight) = try runJSONL(p.graph, Self.corpus, jobs: 8)
        #expect(one == eight)
        #expect(one.split(separator: "\n").count == 400)
        #expect(one.split(separator: "\n").first?.hasPrefix("{\"id\":\"doc-0\",\"metadata\":{\"n\":0},\"results\":{\"terms\":") == true)
        #expect(JSONValue.object(reportOne.corpus).jsonText == JSONValue.object(reportEight.corpus).jsonText)
        #expect(reportOne.documents == 400 && reportOne.failedDocuments == 0)
    }

    @Test func aThrowingStageGivesAnErrorRecordAndTheRestGoesOn() throws {
        let p = try pipeline("""
            version: 1
            stages:
              - { id: boom, type: fail }
              - { id: terms, type: frequency }
              - { id: after, type: echo, needs: [boom] }
              - { id: other, type: echo, needs: [terms] }
            """)
        let docs = [Document(id: "a", text: "fine text"), Document(id: "b", text: "FAIL here"), Document(id: "c", text: "also fine")]
        var results: [DocumentResult] = []
        let report = try Executor(graph: p.graph, jobs: 2).run(ArraySource(docs)) { results.append($0) }
        #expect(report.failedDocuments == 1)
        #expect(results.map(\.id) == ["a", "b", "c"])
        let b = results[1]
        #expect(b.errors == [
            StageErrorRecord(stage: "boom", message: "marker found"),
            StageErrorRecord(stage: "after", message: "skipped: it needs 'boom', which failed"),
        ])
        #expect(b.results.map(\.key) == ["terms", "other"])
        #expect(results[0].results.map(\.key) == ["boom", "terms", "after", "other"])
        #expect(results[0].outputs.output(of: "after", as: EchoStage.Output.self) == EchoStage.Output(words: 2, upstream: ["boom"]))
    }

    @Test func outputsOfEveryKindReachRecordsNeedsAndAggregates() throws {
        // Typed and closure-built stages, each with an output that writes its own JSON (`TermCount`)
        // and one that goes through `Encodable` (`EchoStage.Output`, `Int`): the engine holds each in
        // one form and must give the same record, upstream value and aggregate input from it.
        struct Counted: Stage {
            let configuration: StageConfiguration
            func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> TermCount {
                TermCount(term: document.id, count: layer.tokens.count)
            }
        }
        struct Reader: Stage {
            let configuration: StageConfiguration
            func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> [Int] {
                [upstream.output(of: "typed", as: TermCount.self)?.count ?? -1,
                 upstream.output(of: "closure", as: TermCount.self)?.count ?? -1,
                 upstream.output(of: "plain", as: Int.self) ?? -1]
            }
        }
        let closure = AnyStage(configuration: StageConfiguration(id: "closure", typeName: "c")) { document, layer, _ in
            TermCount(term: "c-" + document.id, count: 2 * layer.tokens.count)
        }
        let plain = AnyStage(configuration: StageConfiguration(id: "plain", typeName: "p")) { _, layer, _ in layer.tokens.count + 1 }
        let graph = try StageGraph(stages: [
            AnyStage(Counted(configuration: StageConfiguration(id: "typed", typeName: "t"))), closure, plain,
            AnyStage(Reader(configuration: StageConfiguration(id: "reader", typeName: "r", needs: ["typed", "closure", "plain"]))),
            AnyStage(try FrequencyStage(configuration: StageConfiguration(id: "terms", typeName: "frequency", options: StageOptions(["top": .int(1)])))),
        ])
        var results: [DocumentResult] = []
        let report = try Executor(graph: graph, jobs: 2).run(ArraySource([Document(id: "a", text: "one two three")])) { results.append($0) }
        var line: [UInt8] = []
        results[0].writeRecord(to: &line)
        #expect(String(decoding: line, as: UTF8.self) == #"{"id":"a","results":{"typed":{"term":"a","count":3},"closure":{"term":"c-a","count":6},"#
            + #""plain":4,"reader":[3,6,4],"terms":{"tokens":3,"words":3,"distinct_words":3,"type_token_ratio":1.0,"hapax_legomena":3,"#
            + #""top_words":[{"term":"one","count":1}],"top_ngrams":[{"n":2,"terms":[{"term":"one two","count":1}]}]}},"errors":[],"warnings":[]}"#)
        #expect(results[0].record.jsonText == String(decoding: line, as: UTF8.self))
        #expect(results[0].outputs.output(of: "closure", as: TermCount.self) == TermCount(term: "c-a", count: 6))
        #expect(results[0].outputs.output(of: "plain", as: String.self) == nil)
        let summary = try #require(report.corpus.first { $0.key == "terms" }?.value)
        #expect(summary.jsonText.contains(#""documents":1"#))
    }

    /// Two stages that can only both finish if they run at the same time.
    private func rendezvousGraph(wait: Double) throws -> StageGraph {
        let first = DispatchSemaphore(value: 0)
        let second = DispatchSemaphore(value: 0)
        func stage(_ id: String, signal: DispatchSemaphore, await other: DispatchSemaphore) -> AnyStage {
            AnyStage(configuration: StageConfiguration(id: id, typeName: "rendezvous")) { _, _, _ in
                signal.signal()
                guard other.wait(timeout: .now() + wait) == .success else { throw Timeout() }
                return id
            }
        }
        return try StageGraph(stages: [stage("a", signal: first, await: second), stage("b", signal: second, await: first)])
    }

    @Test(.timeLimit(.minutes(1))) func independentStagesRunConcurrentlyOnLargeDocuments() throws {
        let graph = try rendezvousGraph(wait: 20)
        #expect(graph.levels == [[0, 1]])
        let (_, report) = try runJSONL(graph, [Document(id: "big", text: String(repeating: "word ", count: 100))], jobs: 1, threshold: 100)
        #expect(report.failedDocuments == 0)
    }

    @Test(.timeLimit(.minutes(1))) func smallDocumentsRunTheirStagesInOrder() throws {
        // Below the threshold the stages run one after the other, so the rendezvous cannot happen:
        // this is the check that the test above can fail.
        let graph = try rendezvousGraph(wait: 0.5)
        let (out, report) = try runJSONL(graph, [Document(id: "small", text: "word")], jobs: 1, threshold: 100)
        #expect(report.failedDocuments == 1)
        #expect(out.contains("timed out"))
    }

    /// The records each worker encodes for its batches (`run(_:encode:write:progress:)`) are the bytes
    /// the ordered, one-result-at-a-time path writes, with the results handed over in input order,
    /// at every worker count (400 documents are two batches).
    @Test func recordsEncodedOnTheWorkersAreWrittenInInputOrder() throws {
        let p = try pipeline("version: 1\nstages:\n  - { id: terms, type: frequency, with: { ngrams: [1, 2] } }\n")
        var expected = JSONBuffer()
        try Executor(graph: p.graph, jobs: 1).run(ArraySource(Self.corpus)) { JSONLSink.encode($0, to: &expected) }
        for jobs in [1, 2, 8] {
            var written = JSONBuffer()
            var sequences: [Int] = []
            var batches = 0
            let report = try Executor(graph: p.graph, jobs: jobs).run(ArraySource(Self.corpus), encode: { JSONLSink.encode($0, to: &$1) }) { results, encoded in
                written.append(contentsOf: encoded)
                sequences += results.map(\.sequence)
                batches += 1
            }
            #expect(written == expected, "jobs \(jobs)")
            #expect(sequences == Array(0..<400))
            #expect(batches == 2)
            #expect(report.documents == 400)
        }
    }

    /// The JSON-text sinks write the same file from records encoded on two workers, over two batches,
    /// as from one result at a time: the JSON format's opening comes with document 0 and its closing
    /// knows that documents were written.
    @Test(arguments: [OutputFormat.jsonl, .json]) func sinksWriteTheSameFileFromEncodedRecords(format: OutputFormat) throws {
        let p = try pipeline("version: 1\nstages:\n  - { id: terms, type: frequency }\n")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("encoded-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func written<Sink: RecordEncodingSink>(_: Sink.Type, encoded: Bool) throws -> String {
            let path = dir + "/\(encoded)"
            var sink = ResultSinks.make(format, file: try OutputFile(path: path)) as! Sink
            let executor = Executor(graph: p.graph, jobs: 2)
            let report = encoded
                ? try executor.run(ArraySource(Self.corpus), encode: { Sink.encode($0, to: &$1) }) { try sink.write(encoded: $1, of: $0) }
                : try executor.run(ArraySource(Self.corpus)) { try sink.write($0) }
            try sink.finish(report: report)
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        let (oneByOne, encoded) = format == .json
            ? (try written(JSONSink.self, encoded: false), try written(JSONSink.self, encoded: true))
            : (try written(JSONLSink.self, encoded: false), try written(JSONLSink.self, encoded: true))
        #expect(encoded == oneByOne)
        #expect(encoded.split(separator: "\n").count >= 400)
        if format == .json {
            let object = try JSONSerialization.jsonObject(with: Data(encoded.utf8)) as? [String: Any]
            #expect((object?["documents"] as? [Any])?.count == 400)
        }
    }

    /// Makes an encoder and an ordered writer each of which, for the first document of each of the
    /// two batches of `corpus`, waits for the other batch's to arrive: only possible when two
    /// workers do that at the same time.
    private func rendezvous(wait: Double) -> (encode: @Sendable (DocumentResult, inout JSONBuffer) -> Void,
                                             write: ([DocumentResult], JSONBuffer) throws -> Void) {
        let first = DispatchSemaphore(value: 0)
        let second = DispatchSemaphore(value: 0)
        @Sendable func meet(_ result: DocumentResult) throws {
            guard result.sequence == 0 || result.sequence == 256 else { return }
            let (mine, other) = result.sequence == 0 ? (first, second) : (second, first)
            mine.signal()
            guard other.wait(timeout: .now() + wait) == .success else { throw Timeout() }
        }
        let encode: @Sendable (DocumentResult, inout JSONBuffer) -> Void = { result, out in
            out.append(literal: (try? meet(result)) == nil ? "timed out\n" : "met\n")
        }
        let write: ([DocumentResult], JSONBuffer) throws -> Void = { results, _ in
            for result in results { try meet(result) }
        }
        return (encode, write)
    }

    @Test(.timeLimit(.minutes(1))) func workersEncodeTheirRecordsAtTheSameTime() throws {
        let p = try pipeline("version: 1\nstages:\n  - { id: terms, type: frequency }\n")
        let (encode, _) = rendezvous(wait: 20)
        var lines: [String] = []
        try Executor(graph: p.graph, jobs: 2).run(ArraySource(Self.corpus), encode: encode) { _, encoded in
            lines += String(decoding: encoded.array, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        #expect(lines.count == 400)
        #expect(lines.filter { $0 == "met" }.count == 400)
    }

    @Test(.timeLimit(.minutes(1))) func theOrderedWriteRunsOneBatchAtATime() throws {
        // The same meeting in the ordered write cannot happen: this is the check that the test above
        // can fail, as it did when the records were encoded there.
        let p = try pipeline("version: 1\nstages:\n  - { id: terms, type: frequency }\n")
        let (_, write) = rendezvous(wait: 0.5)
        #expect(throws: Timeout.self) {
            try Executor(graph: p.graph, jobs: 2).run(ArraySource(Self.corpus), encode: { _, _ in }, write: write)
        }
    }

    /// Within a batch each stage runs over every document before the next stage starts (so that a
    /// stage's tables stay in the cache), levels in order; the records do not depend on it.
    @Test func aBatchRunsStageByStage() throws {
        final class CallLog: @unchecked Sendable {
            private let lock = NSLock()
            private var calls: [String] = []
            func record(_ call: String) { lock.withLock { calls.append(call) } }
            var all: [String] { lock.withLock { calls } }
        }
        struct LoggingStage: Stage {
            let configuration: StageConfiguration
            let log: CallLog
            func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> Int {
                log.record("\(configuration.id):\(document.id)")
                return layer.tokens.count
            }
        }
        let log = CallLog()
        let registry = PluginRegistry.builtIn()
        try registry.register(StageFactory(typeName: "log", summary: "records each call") { LoggingStage(configuration: $0, log: log) })
        let p = try PipelineLoader(registry: registry).load(yaml: """
            version: 1
            stages:
              - { id: a, type: log }
              - { id: b, type: log }
              - { id: c, type: log, needs: [a] }
            """, file: "p.yml", baseDirectory: "/tmp")
        let documents = (0..<4).map { Document(id: "d\($0)", text: "Words for document \($0).") }
        var results: [DocumentResult] = []
        try Executor(graph: p.graph, jobs: 1).run(ArraySource(documents)) { results.append($0) }
        let order = ["a", "b", "c"].flatMap { stage in documents.map { "\(stage):\($0.id)" } }
        #expect(log.all == order)
        #expect(results.map(\.id) == documents.map(\.id))
        #expect(results.allSatisfy { $0.results.map(\.key) == ["a", "b", "c"] && !$0.failed })
    }

    /// `PipelineRun` collects the corpus aggregates only when something reads them: a summary file,
    /// an output format that holds the corpus, or the caller asking; the documents' records are the same.
    @Test func pipelineRunCollectsTheCorpusOnlyWhenItIsRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("collects-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in.jsonl"
        try Self.corpus.prefix(20).map { #"{"id":"\#($0.id)","text":"\#($0.text)"}"# }.joined(separator: "\n")
            .write(toFile: input, atomically: true, encoding: .utf8)
        func run(format: String, summary: Bool, collects: Bool? = nil) throws -> (report: RunReport, output: String) {
            let output = dir + "/out-\(format)-\(summary)-\(String(describing: collects))"
            let p = try pipeline("""
                version: 1
                input: { path: "\(input)", format: jsonl }
                output: { path: "\(output)", format: \(format) }
                \(summary ? "summary: \(dir)/summary.json" : "")
                stages:
                  - { id: terms, type: frequency }
                """)
            var run = PipelineRun(pipeline: p, jobs: 2)
            run.collectsCorpus = collects
            let report = try run.run()
            return (report, try String(contentsOfFile: output, encoding: .utf8))
        }
        let plain = try run(format: "jsonl", summary: false)
        #expect(plain.report.corpus.isEmpty)
        #expect(plain.output.split(separator: "\n").count == 20)
        let asked = try run(format: "jsonl", summary: false, collects: true)
        #expect(asked.report.corpus.map(\.key) == ["terms"])
        #expect(asked.output == plain.output)
        let withSummary = try run(format: "jsonl", summary: true)
        #expect(withSummary.report.corpus.map(\.key) == ["terms"])
        #expect(try String(contentsOfFile: dir + "/summary.json", encoding: .utf8).contains(#""terms":{"documents":20"#))
        let json = try run(format: "json", summary: false)
        #expect(json.output.contains(#""corpus":{"terms":{"documents":20"#))
        let html = try run(format: "html", summary: false)
        #expect(html.report.corpus.map(\.key) == ["terms"])
        #expect(html.output.contains("<h2>Corpus</h2>"))
        // These formats are written from records the workers encode: the same bytes the sinks write
        // a result at a time.
        for (format, sink) in [("jsonl", OutputFormat.jsonl), ("json", .json), ("html", .html)] {
            let direct = dir + "/direct-" + format
            let file = try OutputFile(path: direct)
            var oneByOne = ResultSinks.make(sink, file: file)
            let p = try pipeline("version: 1\nstages:\n  - { id: terms, type: frequency }\n")
            var executor = Executor(graph: p.graph, jobs: 1)
            executor.collectsCorpus = format != "jsonl"
            let documents = Self.corpus.prefix(20).map { Document(id: $0.id, text: $0.text) }
            let report = try executor.run(ArraySource(documents)) { try oneByOne.write($0) }
            try oneByOne.finish(report: report)
            #expect(try String(contentsOfFile: direct, encoding: .utf8) == ["json": json, "html": html][format, default: plain].output, "\(format)")
        }
        #expect(try run(format: "table", summary: false).report.corpus.map(\.key) == ["terms"])
    }

    /// The frequency stage's table of every term is read only by its corpus aggregate, and holds the
    /// document's layer until the record is written: a run that collects no aggregate runs the stage
    /// without it (`CorpusOptionalStage`), and its records are the same.
    @Test func aRunWithoutTheCorpusKeepsNoTermTables() throws {
        let p = try pipeline("version: 1\nstages:\n  - { id: terms, type: frequency }\n")
        let documents = Self.corpus.prefix(20).map { Document(id: $0.id, text: $0.text) }
        func run(collecting: Bool) throws -> (tables: [Bool], records: [String]) {
            var executor = Executor(graph: p.graph, jobs: 2)
            executor.collectsCorpus = collecting
            var tables: [Bool] = [], records: [String] = []
            try executor.run(ArraySource(documents)) { result in
                tables.append(result.outputs.output(of: "terms", as: FrequencyOutput.self)?.table != nil)
                var record: [UInt8] = []
                result.writeRecord(to: &record)
                records.append(String(decoding: record, as: UTF8.self))
            }
            return (tables, records)
        }
        let collecting = try run(collecting: true)
        let notCollecting = try run(collecting: false)
        #expect(collecting.tables == Array(repeating: true, count: 20))
        #expect(notCollecting.tables == Array(repeating: false, count: 20))
        #expect(notCollecting.records == collecting.records)
        // Called directly, the stage keeps its table, as its `corpus` option says.
        let layer = TextLayer(text: documents[0].text)
        let stage = try #require(p.graph.stages.first)
        let direct = try stage.analyze(documents[0], layer: layer, upstream: UpstreamOutputs())
        #expect((direct as? FrequencyOutput)?.table != nil)
    }

    @Test func failingSourceStopsTheRunWithItsError() throws {
        struct Broken: DocumentSource {
            var count = 0
            var expectedCount: Int? { nil }
            mutating func next() throws -> PendingDocument? {
                count += 1
                if count > 100 { throw InputError("disk went away") }
                return PendingDocument(Document(id: "\(count)", text: "text"))
            }
        }
        let p = try pipeline("version: 1\nstages:\n  - { id: terms, type: frequency }\n")
        #expect(throws: InputError.self) { try Executor(graph: p.graph, jobs: 2).run(Broken()) { _ in } }
    }

    @Test func failingWriterStopsTheRun() throws {
        let p = try pipeline("version: 1\nstages:\n  - { id: terms, type: frequency }\n")
        var written = 0
        #expect(throws: OutputError.self) {
            try Executor(graph: p.graph, jobs: 2).run(ArraySource(Self.corpus)) { _ in
                written += 1
                if written == 10 { throw OutputError("disk full") }
            }
        }
        #expect(written == 10)
    }

    @Test func aStopRequestEndsTheRunAfterTheDocumentsTaken() throws {
        let p = try pipeline("version: 1\nstages:\n  - { id: terms, type: frequency }\n")
        let documents = (0..<(3 * Executor.batchDocuments)).map { Document(id: "d\($0)", text: "word \($0 % 7) and more words") }
        var executor = Executor(graph: p.graph, jobs: 1)
        executor.stopRequest = StopRequest()
        var ids: [String] = []
        // Asked while the first batch is written: the one worker has taken no other batch yet.
        let report = try executor.run(ArraySource(documents)) { result in
            executor.stopRequest?.stop()
            ids.append(result.id)
        }
        #expect(report.stopped)
        #expect(report.documents == Executor.batchDocuments)
        #expect(ids == documents.prefix(Executor.batchDocuments).map(\.id))
        // A request never made changes nothing.
        executor.stopRequest = StopRequest()
        let whole = try executor.run(ArraySource(documents)) { _ in }
        #expect(!whole.stopped && whole.documents == documents.count)
    }

    @Test func progressOfAJSONLFileCountsItsBytes() throws {
        let p = try pipeline("version: 1\nstages:\n  - { id: terms, type: frequency }\n")
        // Over one batch, so that progress is reported part way; CRLF line ends, and no break at the end.
        let lines = (0..<(Executor.batchDocuments + 40)).map { #"{"id":"d\#($0)","text":"word \#($0)"}"# }
        let bytes = Array(lines.joined(separator: "\r\n").utf8)
        let root = try makeTree(["in.jsonl": bytes])
        defer { try? FileManager.default.removeItem(atPath: root) }
        var seen: [RunProgress] = []
        try Executor(graph: p.graph, jobs: 1).run(try DocumentSources.open(InputSpec(path: root + "/in.jsonl")), write: { _ in }) { seen.append($0) }
        #expect(seen.count == 2)
        #expect(seen.allSatisfy { $0.expected == nil && $0.expectedInputBytes == bytes.count })
        #expect(seen[0].fraction! > 0.5 && seen[0].fraction! < 1)
        #expect(seen[1].fraction == 1)
        #expect(seen[1].inputBytes == bytes.count)
    }

    @Test func windowKeepsReadingAheadBounded() throws {
        // A source that counts how far reading runs ahead of writing.
        final class Counter: @unchecked Sendable {
            let lock = NSLock()
            var read = 0
            var written = 0
            var maxAhead = 0
        }
        struct Counting: DocumentSource {
            let counter: Counter
            var expectedCount: Int? { nil }
            mutating func next() throws -> PendingDocument? {
                counter.lock.withLock {
                    counter.read += 1
                    counter.maxAhead = max(counter.maxAhead, counter.read - counter.written)
                }
                return counter.read > 20_000 ? nil : PendingDocument(Document(id: "x", text: "a b c"))
            }
        }
        let counter = Counter()
        let p = try pipeline("version: 1\nstages:\n  - { id: terms, type: frequency, with: { tfidf_top: 0 } }\n")
        try Executor(graph: p.graph, jobs: 2).run(Counting(counter: counter)) { _ in counter.lock.withLock { counter.written += 1 } }
        #expect(counter.written == 20_000)
        // jobs * 4 batches of at most 64 documents may be in flight, plus the batch being read.
        #expect(counter.maxAhead <= 2 * 4 * Executor.batchDocuments + Executor.batchDocuments + 1)
    }

    /// A document over `maxDocumentBytes` is its error record, saying what to do; the others are analysed.
    @Test func aDocumentOverTheSizeLimitIsAnErrorRecord() throws {
        let p = try pipeline("version: 1\nmax_document_bytes: 100\nstages:\n  - { id: terms, type: frequency }\n")
        let documents = [Document(id: "small", text: "A short text."), Document(id: "large", text: String(repeating: "words ", count: 40)),
                         Document(id: "also small", text: "Another short one.")]
        var results: [DocumentResult] = []
        let report = try Executor(pipeline: p).run(ArraySource(documents)) { results.append($0) }
        #expect(results.map(\.id) == ["small", "large", "also small"])
        #expect(report.failedDocuments == 1)
        #expect(results[1].results.isEmpty)
        #expect(results[1].errors.map(\.stage) == ["input"])
        #expect(results[1].errors.first?.message.hasPrefix("document of 240 bytes is over max_document_bytes (100)") == true)
        #expect(results[1].errors.first?.message.contains("split it, or raise max_document_bytes") == true)
        #expect(!results[0].failed && !results[2].failed)
    }

    /// The default limit is set by the machine's memory, within the layer's 32-bit offsets.
    @Test func theDefaultSizeLimitFitsTheMachine() {
        let limit = Executor.defaultMaxDocumentBytes
        #expect(limit <= DocumentProcessor.offsetLimit)
        #expect(UInt64(limit) <= max(ProcessInfo.processInfo.physicalMemory / UInt64(Executor.memoryPerDocumentByte), 1 << 24))
        #expect(limit >= 1 << 24)
    }

    /// With several workers, batches holding a document over `maxDocumentBytes / jobs` are analysed one
    /// at a time. The stage waits, inside `analyze`, for a second document to be inside it too: with
    /// small documents the two workers' first documents meet (the wait ends), with large ones they never do.
    @Test(.timeLimit(.minutes(1))) func largeDocumentsAreAnalysedOneAtATime() throws {
        final class Meeting: @unchecked Sendable {
            private let condition = NSCondition()
            private var inside = 0
            private(set) var most = 0
            /// Enters, waits up to `patience` seconds for someone else to be inside (until two have
            /// met once), and leaves.
            func enter(patience: Double) {
                condition.lock()
                inside += 1
                most = max(most, inside)
                condition.broadcast()
                let deadline = Date().addingTimeInterval(patience)
                while most < 2 && condition.wait(until: deadline) {}
                condition.unlock()
                condition.lock()
                inside -= 1
                condition.unlock()
            }
        }
        struct MeetingStage: Stage {
            let configuration: StageConfiguration
            let meeting: Meeting
            let patience: Double
            func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> Int {
                meeting.enter(patience: patience)
                return layer.tokens.count
            }
        }
        // Four documents of 600 KB: a batch closes past 1 MB, so they make two batches of two.
        let text = String(repeating: "The harbour board met again. ", count: 600_000 / 29)
        let documents = (0..<4).map { Document(id: "d\($0)", text: text) }
        func most(limit: Int, patience: Double) throws -> Int {
            let meeting = Meeting()
            let registry = PluginRegistry.builtIn()
            try registry.register(StageFactory(typeName: "meet", summary: "waits for company") {
                MeetingStage(configuration: $0, meeting: meeting, patience: patience)
            })
            let p = try PipelineLoader(registry: registry).load(yaml: "version: 1\nmax_document_bytes: \(limit)\nstages:\n  - { id: m, type: meet }\n",
                                                                file: "p.yml", baseDirectory: "/tmp")
            var results: [DocumentResult] = []
            try Executor(pipeline: p, jobs: 2).run(ArraySource(documents)) { results.append($0) }
            #expect(results.count == 4 && results.allSatisfy { !$0.failed })
            return meeting.most
        }
        #expect(try most(limit: 1 << 30, patience: 20) == 2)  // 600 KB is small against 1 GB: both workers at once
        #expect(try most(limit: 1_000_000, patience: 0.3) == 1)  // over 1 MB / 2 workers: one at a time
    }

    @Test(.timeLimit(.minutes(3))) func aFiftyMegabyteDocument() throws {
        let sentence = "The central bank said on Tuesday that the rates would stay at 2.5% until growth returns. "
        let text = String(repeating: sentence, count: 50_000_000 / sentence.utf8.count + 1)
        #expect(text.utf8.count >= 50_000_000)
        let p = try pipeline("version: 1\nstages:\n  - { id: terms, type: frequency, with: { ngrams: [1, 2] } }\n")
        var result: DocumentResult?
        try Executor(graph: p.graph, jobs: 1).run(ArraySource([Document(id: "huge", text: text)])) { result = $0 }
        let output = try #require(result?.outputs.output(of: "terms", as: FrequencyOutput.self))
        let copies = text.utf8.count / sentence.utf8.count
        #expect(output.words == copies * 15)
        #expect(output.topWords.first == TermCount(term: "the", count: 2 * copies))
        #expect(result?.failed == false)
    }
}
