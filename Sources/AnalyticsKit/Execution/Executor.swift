import Foundation

/// Runs a stage graph over a stream of documents on a pool of Dispatch workers, results in input order.
///
/// The executor owns all concurrency. `jobs` workers each run on their own Dispatch queue and take
/// batches of documents from the source; at most `jobs * 4` batches are in flight, so memory stays
/// bounded however large the input (back-pressure: a worker that gets too far ahead of the writer
/// waits). Finished batches are handed to the sink strictly in input order, so the output does not
/// depend on the number of workers. Each worker keeps its own partial corpus aggregates; they are
/// merged when all documents are done.
public struct Executor: Sendable {
    /// The stages to run.
    public let graph: StageGraph
    /// Worker count, at least 1.
    public let jobs: Int
    /// Stages of one level run concurrently on documents of at least this many bytes.
    public let parallelStagesMinBytes: Int
    /// Documents larger than this many bytes get an error record ("split it") instead of being read
    /// and analysed: analysing a document takes up to about `memoryPerDocumentByte` times its size
    /// in memory, and a document too large for the machine would end the whole run out of memory.
    public var maxDocumentBytes = Executor.defaultMaxDocumentBytes
    /// Whether stages with a corpus aggregate add each document to it. Off, the report's corpus is
    /// empty and the run skips that work (a tenth of the default news pipeline's time).
    public var collectsCorpus = true
    /// Set from any thread (a signal handler, a user interface) to end the run early: no document is
    /// taken after it, the documents already taken are finished and written in order, and the report
    /// says the run was stopped.
    public var stopRequest: StopRequest?
    /// A batch closes at this many documents... A stage runs over a whole batch before the next
    /// one (`DocumentProcessor`), so a larger batch warms each stage's tables for more documents:
    /// the default news stages ran 4% faster with 256 than with 64 (128: 2%, 512 and 1024 slower
    /// again), for 3-4 MB more memory at one worker.
    static let batchDocuments = 256
    /// ...or this many bytes of input, whichever comes first.
    static let batchBytes = 1 << 20

    /// Bytes of memory that analysing one byte of text may take with every built-in stage, at most:
    /// the text layer keeps 32 bytes per token, and each stage its working state per word. Measured
    /// with the default news stages: 18 for news text (a 100 MB document peaked at 1.8 GB), 42 for
    /// text of one-letter words, 80 for one-letter words each in quotation marks (`"a" "a" …`).
    public static let memoryPerDocumentByte = 80

    /// The largest `maxDocumentBytes` there can be: the text layer's offsets are 32-bit.
    public static let largestDocumentBytes = DocumentProcessor.offsetLimit

    /// The default `maxDocumentBytes`: the largest document whose analysis fits this machine's memory
    /// whatever its text (`ProcessInfo.physicalMemory / memoryPerDocumentByte`: 300 MB on 24 GB),
    /// at least 16 MB, within the 2 GB the layer's 32-bit offsets allow.
    public static let defaultMaxDocumentBytes: Int = {
        let fitting = ProcessInfo.processInfo.physicalMemory / UInt64(memoryPerDocumentByte)
        return Int(min(UInt64(largestDocumentBytes), max(fitting, 1 << 24)))
    }()

    /// The most workers an executor runs; more are asked for by mistake (`jobs: 1000000`), and each
    /// is a thread of its own.
    public static let maxJobs = 1024

    /// Creates an executor; `jobs` nil means one worker per active core, and a count over `maxJobs`
    /// runs `maxJobs` (the CLI and the pipeline loader refuse it with an error first).
    public init(graph: StageGraph, jobs: Int? = nil, parallelStagesMinBytes: Int = Pipeline.defaultParallelStagesMinBytes) {
        self.graph = graph
        self.jobs = min(Self.maxJobs, max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount))
        self.parallelStagesMinBytes = parallelStagesMinBytes
    }

    /// Creates an executor for a loaded pipeline; `jobs` overrides the pipeline's.
    public init(pipeline: Pipeline, jobs: Int? = nil) {
        self.init(graph: pipeline.graph, jobs: jobs ?? pipeline.jobs, parallelStagesMinBytes: pipeline.parallelStagesMinBytes)
        if let limit = pipeline.maxDocumentBytes { maxDocumentBytes = limit }
    }

    /// Runs every document of `source`, calling `write` with each result in input order (on one thread
    /// at a time) and `progress` after each batch. A throwing `write` or source stops the run and is rethrown.
    @discardableResult
    public func run(
        _ source: some DocumentSource,
        write: @escaping (DocumentResult) throws -> Void,
        progress: ((RunProgress) -> Void)? = nil
    ) throws -> RunReport {
        try run(source, encode: nil, write: { results, _ in
            for result in results { try write(result) }
        }, progress: progress)
    }

    /// Runs every document of `source` as `run(_:write:progress:)` does, with each document's output
    /// record made on the worker that analysed it: `encode` appends a result's record to its batch's
    /// bytes, and `write` gets each batch's results with those bytes, in input order (on one thread at
    /// a time). `encode` runs on every worker at once. Encoding the records is a tenth of the default
    /// news pipeline's work; done by the ordered write, it ran on one thread at a time, and two
    /// workers could not reach twice the speed of one.
    @discardableResult
    public func run(
        _ source: some DocumentSource,
        encode: @escaping @Sendable (DocumentResult, inout JSONBuffer) -> Void,
        write: @escaping ([DocumentResult], JSONBuffer) throws -> Void,
        progress: ((RunProgress) -> Void)? = nil
    ) throws -> RunReport {
        try run(source, encode: .some(encode), write: write, progress: progress)
    }

    private func run(
        _ source: some DocumentSource,
        encode: (@Sendable (DocumentResult, inout JSONBuffer) -> Void)?,
        write: @escaping ([DocumentResult], JSONBuffer) throws -> Void,
        progress: ((RunProgress) -> Void)?
    ) throws -> RunReport {
        let started = Date()
        let collectsCorpus = self.collectsCorpus
        let processor = DocumentProcessor(graph: graph, parallelStagesMinBytes: parallelStagesMinBytes, maxDocumentBytes: maxDocumentBytes,
                                          largeDocumentBytes: jobs > 1 ? maxDocumentBytes / jobs : nil)
        let state = RunState(source: source, window: jobs * 4, write: write, progress: progress, started: started, stopRequest: stopRequest)
        let group = DispatchGroup()
        for worker in 0..<jobs {
            DispatchQueue(label: "analyticskit.worker.\(worker)").async(group: group) {
                let aggregates = graph.stages.map { collectsCorpus ? $0.makeAggregate() : nil }
                // A batch's records: the worker's own memory again once the batch is written, which
                // is mostly before `complete` returns; one still waiting for its turn keeps it, and the
                // next batch gets new memory. So a batch's megabyte is not mapped, faulted in and
                // freed again every time.
                var encoded = JSONBuffer()
                var lastEncodedBytes = 0
                while let batch = state.nextBatch() {
                    let results = processor.process(batch.documents, firstSequence: batch.firstSequence, aggregates: aggregates)
                    if let encode {
                        encoded.removeAll()
                        // Room for the last batch's records and a quarter more, so that the bytes are
                        // rarely copied to grow; for the first, four bytes per byte of input (the
                        // default news stages write about three), at most 4 MB.
                        encoded.reserveAppending(lastEncodedBytes > 0 ? lastEncodedBytes + lastEncodedBytes / 4
                                                                      : min(4 * batch.inputBytes, 4 << 20))
                        for result in results { encode(result, &encoded) }
                        lastEncodedBytes = encoded.count
                    }
                    state.complete(batch: batch, results: results, encoded: encoded)
                }
                state.finish(worker: worker, aggregates: aggregates)
            }
        }
        group.wait()
        return try state.report(graph: graph, workers: jobs)
    }
}

/// How far a run has got, for progress displays.
public struct RunProgress: Sendable {
    /// Documents written so far.
    public let documents: Int
    /// Documents expected in all, when the source knows.
    public let expected: Int?
    /// Bytes of text in the written documents.
    public let bytes: Int
    /// Bytes of input behind the written documents, as the source counts them (`PendingDocument.byteCount`).
    public let inputBytes: Int
    /// The source's `expectedBytes`: the input's size, when known.
    public let expectedInputBytes: Int?
    /// Seconds since the run started.
    public let seconds: Double

    /// How much of the input is done, from 0 to 1: by documents when their number is known, else by
    /// bytes of input when its size is; nil when neither is.
    public var fraction: Double? {
        if let expected { return expected == 0 ? 1 : min(1, Double(documents) / Double(expected)) }
        if let expectedInputBytes { return expectedInputBytes == 0 ? 1 : min(1, Double(inputBytes) / Double(expectedInputBytes)) }
        return nil
    }
}

/// A request that a run end early, made from any thread; see `Executor.stopRequest`.
public final class StopRequest: @unchecked Sendable {
    // Unchecked: `requested` is read and written only under `lock`.
    private let lock = NSLock()
    private var requested = false

    /// A request not yet made.
    public init() {}

    /// Asks the run to take no more documents; those it has taken are finished and written.
    public func stop() { lock.withLock { requested = true } }

    /// Whether `stop()` has been called.
    public var isRequested: Bool { lock.withLock { requested } }
}

/// What a finished run did.
public struct RunReport: Sendable {
    /// Documents written.
    public let documents: Int
    /// True when the run ended early at a `StopRequest`: the documents written are the input's first
    /// `documents`, and the corpus summary covers exactly those.
    public let stopped: Bool
    /// Documents with at least one error record.
    public let failedDocuments: Int
    /// Bytes of input analysed.
    public let bytes: Int
    /// Wall-clock seconds.
    public let seconds: Double
    /// The merged corpus aggregates, finished only when asked for.
    let summaries: CorpusSummaries

    /// Each stage's corpus summary, by stage id, for stages that have one; empty when the run did not
    /// collect them (`Executor.collectsCorpus`). Built in memory on first use;
    /// `writeCorpus(to:)` writes the same JSON without holding it whole.
    public var corpus: [JSONField] { summaries.fields }

    /// `corpus` with every list cut to its first `limit` items, made without building the whole
    /// summary where a stage can (the frequency stage's TF-IDF lists): what a display shows.
    public func corpusPreview(limit: Int) -> [JSONField] { summaries.preview(limit: limit) }

    /// Writes `{"<stage id>": summary, ...}`, the JSON of `corpus`, a piece at a time: a summary with an
    /// entry per document (TF-IDF) is never held in memory whole.
    public func writeCorpus(to writer: inout JSONStreamWriter) throws {
        try summaries.write(to: &writer)
    }
}

/// Each stage's merged aggregate, finished on demand: a run that never reads the summary never builds
/// it (and `PipelineRun` does not even collect the aggregates when its output has no place for them).
final class CorpusSummaries: @unchecked Sendable {
    // Unchecked: the cache is guarded by `lock`; the aggregates are only read once the run is over.
    private let stages: [(id: String, aggregate: AnyCorpusAggregate)]
    /// The run's worker count: the threads a summary may use once the documents are done.
    private let workers: Int
    private let lock = NSLock()
    private var cached: [JSONField]?

    init(stages: [(id: String, aggregate: AnyCorpusAggregate)], workers: Int) {
        self.stages = stages
        self.workers = workers
    }

    var fields: [JSONField] {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        let built = stages.map { stage in JSONField(stage.id, Self.summary { try stage.aggregate.finalize() }) }
        cached = built
        return built
    }

    /// Each stage's summary with its lists cut to `limit` items (`CorpusAggregate.preview`), made
    /// afresh: a display's view, not cached.
    func preview(limit: Int) -> [JSONField] {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached.map { JSONField($0.key, $0.value.cuttingLists(to: limit)) } }
        return stages.map { stage in JSONField(stage.id, Self.summary { try stage.aggregate.preview(limit: limit) }) }
    }

    /// A stage's summary, or an object saying why it could not be encoded.
    private static func summary(_ make: () throws -> JSONValue) -> JSONValue {
        do {
            return try make()
        } catch {
            return .object([JSONField("error", .string("cannot encode the corpus summary: \(error)"))])
        }
    }

    func write(to writer: inout JSONStreamWriter) throws {
        lock.lock()
        defer { lock.unlock() }
        try writer.append(raw: "{")
        for (k, stage) in stages.enumerated() {
            if k > 0 { try writer.append(raw: ",") }
            try writer.append(key: stage.id)
            if let cached {
                try writer.append(cached[k].value)
            } else {
                try stage.aggregate.writeSummary(to: &writer, workers: workers)
            }
        }
        try writer.append(raw: "}")
    }
}

/// The state the workers share: the source, the reorder buffer, the sink and the finished partials.
/// Everything goes through `condition`'s lock.
private final class RunState: @unchecked Sendable {
    struct Batch {
        let index: Int
        let firstSequence: Int
        let documents: [PendingDocument]
        /// The documents' input bytes, for progress.
        let inputBytes: Int
    }

    private let condition = NSCondition()
    private var source: any DocumentSource
    private let window: Int
    private let expected: Int?
    private let expectedBytes: Int?
    private let write: ([DocumentResult], JSONBuffer) throws -> Void
    private let progress: ((RunProgress) -> Void)?
    private let started: Date
    private let stopRequest: StopRequest?
    private var stopped = false
    private var nextBatchIndex = 0
    private var nextSequence = 0
    private var nextToWrite = 0
    private var done: [Int: (results: [DocumentResult], encoded: JSONBuffer, inputBytes: Int)] = [:]
    private var exhausted = false
    private var failure: (any Error)?
    private var written = 0
    private var failedDocuments = 0
    private var bytes = 0
    private var inputBytes = 0
    private var partials: [(worker: Int, aggregates: [AnyCorpusAggregate?])] = []

    init(source: any DocumentSource, window: Int, write: @escaping ([DocumentResult], JSONBuffer) throws -> Void,
         progress: ((RunProgress) -> Void)?, started: Date, stopRequest: StopRequest?) {
        self.source = source
        self.stopRequest = stopRequest
        self.window = window
        expected = source.expectedCount
        expectedBytes = source.expectedBytes
        self.write = write
        self.progress = progress
        self.started = started
    }

    /// The next batch to process, or nil when the input is exhausted or the run failed.
    func nextBatch() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while !exhausted && failure == nil && nextBatchIndex - nextToWrite >= window { condition.wait() }
        if !exhausted && stopRequest?.isRequested == true {
            exhausted = true
            stopped = true
        }
        guard !exhausted, failure == nil else { return nil }
        var documents: [PendingDocument] = []
        var size = 0
        do {
            while documents.count < Executor.batchDocuments && size < Executor.batchBytes, let pending = try source.next() {
                documents.append(pending)
                size += pending.byteCount
            }
        } catch {
            failure = error
            condition.broadcast()
            return nil
        }
        if documents.count < Executor.batchDocuments && size < Executor.batchBytes { exhausted = true }
        guard !documents.isEmpty else {
            condition.broadcast()
            return nil
        }
        let batch = Batch(index: nextBatchIndex, firstSequence: nextSequence, documents: documents, inputBytes: size)
        nextBatchIndex += 1
        nextSequence += documents.count
        return batch
    }

    /// Records a finished batch, with its records' bytes when the workers encode them, and writes
    /// every batch that is now next in order.
    func complete(batch: Batch, results: [DocumentResult], encoded: JSONBuffer) {
        condition.lock()
        defer { condition.unlock() }
        done[batch.index] = (results, encoded, batch.inputBytes)
        while failure == nil, let ready = done.removeValue(forKey: nextToWrite) {
            inputBytes += ready.inputBytes
            do {
                try write(ready.results, ready.encoded)
                // By index: a `for … in` loop copied every record to read two of its fields.
                for k in ready.results.indices {
                    written += 1
                    bytes += ready.results[k].byteCount
                    if ready.results[k].failed { failedDocuments += 1 }
                }
            } catch {
                failure = error
            }
            nextToWrite += 1
            condition.broadcast()
        }
        progress?(RunProgress(documents: written, expected: expected, bytes: bytes, inputBytes: inputBytes, expectedInputBytes: expectedBytes,
                              seconds: Date().timeIntervalSince(started)))
    }

    /// Hands over a worker's partial aggregates when it has no more work.
    func finish(worker: Int, aggregates: [AnyCorpusAggregate?]) {
        condition.lock()
        partials.append((worker, aggregates))
        condition.unlock()
    }

    /// Merges the partials and summarises the run; rethrows a failure of the source or the sink.
    func report(graph: StageGraph, workers: Int) throws -> RunReport {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
        var merged: [(id: String, aggregate: AnyCorpusAggregate)] = []
        let ordered = partials.sorted { $0.worker < $1.worker }.map(\.aggregates)
        for (index, stage) in graph.stages.enumerated() {
            let parts = ordered.compactMap { $0[index] }
            guard let first = parts.first else { continue }
            for other in parts.dropFirst() { first.merge(other) }
            merged.append((stage.id, first))
        }
        return RunReport(documents: written, stopped: stopped, failedDocuments: failedDocuments, bytes: bytes,
                         seconds: Date().timeIntervalSince(started), summaries: CorpusSummaries(stages: merged, workers: workers))
    }

}
