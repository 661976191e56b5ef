import Foundation

/// Runs a stage graph on a batch of documents: builds each text layer once, then runs the stages level
/// by level, and within a level one stage over every document of the batch before the next stage.
///
/// Stage by stage rather than document by document because each stage reads its own tables (a
/// lexicon, a pronouncing dictionary, word lists) for every word: run over the whole batch, a stage
/// finds them in the cache the previous document left, where going from stage to stage on each
/// document evicted one stage's tables with the next one's. Outputs do not depend on the order, and
/// each corpus aggregate still sees the batch's documents in input order.
///
/// Stages of one level run concurrently on a document of at least `parallelStagesMinBytes` bytes;
/// each extra stage gets its own serial Dispatch queue, which libdispatch backs with a thread of its own,
/// so they truly overlap even when every worker is busy. Smaller documents run their stages on the
/// calling thread, where dispatching would cost more than it saves.
struct DocumentProcessor: Sendable {
    let graph: StageGraph
    let parallelStagesMinBytes: Int
    /// Documents larger than this are refused with an error record (`Executor.maxDocumentBytes`).
    let maxDocumentBytes: Int
    /// A batch holding a document of more bytes than this is processed by one worker at a time
    /// (`largeDocuments`), so that several workers never hold large documents' layers together;
    /// nil with one worker.
    let largeDocumentBytes: Int?
    private let largeDocuments = NSLock()
    /// The largest document the text layer can hold: its offsets are 32-bit.
    static let offsetLimit = 1 << 31

    init(graph: StageGraph, parallelStagesMinBytes: Int, maxDocumentBytes: Int = DocumentProcessor.offsetLimit, largeDocumentBytes: Int? = nil) {
        self.graph = graph
        self.parallelStagesMinBytes = parallelStagesMinBytes
        self.maxDocumentBytes = min(maxDocumentBytes, Self.offsetLimit)
        self.largeDocumentBytes = largeDocumentBytes
    }

    /// One readable document of a batch and what its stages have produced so far.
    private struct Work {
        /// Position in the batch.
        let offset: Int
        let document: Document
        let warnings: [String]
        let size: Int
        /// Built just before the document's first stage runs, so that the first stage reads it while
        /// it is still in the cache (built for the whole batch at once, the layers evicted each other).
        var layer: TextLayer?
        /// One slot per stage of the pipeline, in the batch's memory for them (`processBatch`): an
        /// array per document cost an allocation and a generic destruction of its slots.
        let outcomes: UnsafeMutablePointer<StageOutcome?>
        var upstream: UpstreamOutputs
        /// The stages of the current level that do not run because a need failed: nearly always none,
        /// and an empty array costs no allocation, where a list of the stages that run cost one per
        /// document.
        var skipped: [Int] = []
        /// Whether the current level's stages run at the same time on this document.
        var concurrent = false

        mutating func buildLayer() {
            if layer == nil { layer = TextLayer(text: document.text) }
        }

        mutating func builtLayer() -> TextLayer {
            buildLayer()
            return layer!
        }
    }

    /// Processes a batch, adding successful outputs to this worker's partial aggregates; the results
    /// are in batch order, the first with sequence number `firstSequence`.
    func process(_ batch: [PendingDocument], firstSequence: Int, aggregates: [AnyCorpusAggregate?]) -> [DocumentResult] {
        if let large = largeDocumentBytes, batch.contains(where: { $0.byteCount > large }) {
            largeDocuments.lock()
            defer { largeDocuments.unlock() }
            return processBatch(batch, firstSequence: firstSequence, aggregates: aggregates)
        }
        return processBatch(batch, firstSequence: firstSequence, aggregates: aggregates)
    }

    private func processBatch(_ batch: [PendingDocument], firstSequence: Int, aggregates: [AnyCorpusAggregate?]) -> [DocumentResult] {
        // Every document's stage outcomes, a run of `stageCount` slots each: the `Work` of the
        // document at `offset` points at its run. Outcomes are moved out into the records.
        let stageCount = graph.stages.count
        let slotCount = batch.count * stageCount
        let outcomes = UnsafeMutablePointer<StageOutcome?>.allocate(capacity: max(slotCount, 1))
        outcomes.initialize(repeating: nil, count: slotCount)
        defer {
            outcomes.deinitialize(count: slotCount)
            outcomes.deallocate()
        }
        var unreadable: [Int: DocumentResult] = [:]
        var work: [Work] = []
        work.reserveCapacity(batch.count)
        for (offset, pending) in batch.enumerated() {
            switch read(pending, offset: offset, sequence: firstSequence + offset, outcomes: outcomes + offset * stageCount) {
            case .work(let document): work.append(document)
            case .unreadable(let record): unreadable[offset] = record
            }
        }
        for (number, level) in graph.levels.enumerated() {
            for w in work.indices { prepare(&work[w], for: level) }
            // Stages of one level see only the levels before, whether they run concurrently or not.
            for w in work.indices where work[w].concurrent { runConcurrently(&work[w], level: level, aggregates: aggregates) }
            // After the graph's last stage a document's layer is dropped at once, so that the next
            // document's is built in the memory just freed, still in the cache.
            let last = number == graph.levels.count - 1 ? level.last : nil
            for index in level {
                for w in work.indices where !work[w].skipped.contains(index) {
                    if !work[w].concurrent {
                        work[w].buildLayer()
                        // The outcome stored after the call: a call that wrote it while reading the
                        // document and the outputs had them copied out first, a retain and a release for
                        // each of their arrays per stage and document (+1% end to end).
                        let outcome = run(index, on: &work[w], collectingCorpus: aggregates[index] != nil)
                        work[w].outcomes[index] = outcome
                        if index == last { work[w].layer = nil }
                    }
                    // Added at once, in batch order, while the output is still in the cache: added after
                    // the whole batch, each document's terms were read back from memory.
                    if let aggregate = aggregates[index] { add(index, of: &work[w], to: aggregate, firstSequence: firstSequence) }
                }
            }
            // Into the inputs of the next levels only now: stages of one level see only the levels before.
            for w in work.indices {
                for index in level where !work[w].skipped.contains(index) {
                    guard case .succeeded(let output)? = work[w].outcomes[index] else { continue }
                    work[w].upstream.append(output, for: graph.stages[index].id)
                }
            }
        }
        // `work` is in batch order: the records are it and the unreadable documents, merged.
        var results: [DocumentResult] = []
        results.reserveCapacity(batch.count)
        var next = 0
        for offset in batch.indices {
            if let record = unreadable[offset] {
                results.append(record)
            } else {
                results.append(result(&work[next], sequence: firstSequence + offset))
                next += 1
            }
        }
        return results
    }

    /// A document of the batch as read: work to do, or the record of why there is none.
    private enum Read {
        case work(Work)
        case unreadable(DocumentResult)
    }

    /// Reads one document of the batch: its work, or its error record when it cannot be read or is too
    /// large. `outcomes` is where the work keeps its stages' outcomes.
    private func read(_ pending: PendingDocument, offset: Int, sequence: Int, outcomes: UnsafeMutablePointer<StageOutcome?>) -> Read {
        // A file known to be too large is not read at all: reading it could already take the memory.
        guard pending.byteCount <= maxDocumentBytes else {
            return .unreadable(DocumentResult(
                sequence: sequence, id: pending.fallbackID, metadata: pending.fallbackMetadata, results: [],
                errors: [StageErrorRecord(stage: "input", message: tooLarge(pending.byteCount))], warnings: [], outputs: UpstreamOutputs(), byteCount: 0))
        }
        switch pending.load() {
        case .failed(let id, let metadata, let reason):
            return .unreadable(DocumentResult(
                sequence: sequence, id: id, metadata: metadata, results: [], errors: [StageErrorRecord(stage: "input", message: reason)],
                warnings: [], outputs: UpstreamOutputs(), byteCount: 0))
        case .document(let document, let warnings):
            let size = document.text.utf8.count
            guard size <= maxDocumentBytes else {
                return .unreadable(DocumentResult(
                    sequence: sequence, id: document.id, metadata: document.metadata, results: [],
                    errors: [StageErrorRecord(stage: "input", message: tooLarge(size))], warnings: warnings, outputs: UpstreamOutputs(), byteCount: 0))
            }
            return .work(Work(offset: offset, document: document, warnings: warnings, size: size,
                              outcomes: outcomes, upstream: UpstreamOutputs(capacity: graph.stages.count)))
        }
    }

    /// Why a document of `size` bytes is not analysed, and what to do about it.
    private func tooLarge(_ size: Int) -> String {
        if maxDocumentBytes >= Self.offsetLimit {
            return "document of \(size) bytes is over the limit of \(Self.offsetLimit) bytes (the text layer's offsets are 32-bit); split it"
        }
        return "document of \(size) bytes is over max_document_bytes (\(maxDocumentBytes)): analysing it would take up to "
            + "\(Executor.memoryPerDocumentByte) times its size in memory; split it, or raise max_document_bytes in the pipeline "
            + "(analyze run --max-document-bytes N)"
    }

    /// Decides which stages of `level` run on the document (those whose needs succeeded; the others
    /// get their "skipped" error) and whether they run at the same time.
    private func prepare(_ w: inout Work, for level: [Int]) {
        w.skipped.removeAll(keepingCapacity: true)
        for index in level {
            if let failedNeed = graph.dependencies[index].first(where: { w.outcomes[$0]?.isSuccess != true }) {
                w.outcomes[index] = .failed("skipped: it needs '\(graph.stages[failedNeed].id)', which failed")
                w.skipped.append(index)
            }
        }
        w.concurrent = level.count - w.skipped.count > 1 && w.size >= parallelStagesMinBytes
    }

    /// The document's record: each stage's output or error, in declaration order. The outcomes are
    /// moved out of `w`, not copied: a copy of an outcome and its release cost about 300 instructions.
    private func result(_ w: inout Work, sequence: Int) -> DocumentResult {
        var results: [DocumentResult.StageResult] = []
        results.reserveCapacity(graph.stages.count)
        var errors: [StageErrorRecord] = []
        for index in graph.stages.indices {
            let id = graph.stages[index].id
            switch w.outcomes[index].take() {
            case .succeeded(let output)?: results.append(.init(stage: id, json: output.json))
            case .failed(let message)?: errors.append(StageErrorRecord(stage: id, message: message))
            case nil: errors.append(StageErrorRecord(stage: id, message: "did not run"))
            }
        }
        return DocumentResult(sequence: sequence, id: w.document.id, metadata: w.document.metadata, stageResults: results,
                              errors: errors, warnings: w.warnings, outputs: w.upstream, byteCount: w.size)
    }

    /// Runs the stages of `level` that are not skipped on one document at the same time, one on this thread.
    private func runConcurrently(_ w: inout Work, level: [Int], aggregates: [AnyCorpusAggregate?]) {
        let runnable = level.filter { !w.skipped.contains($0) }
        let concurrent = ConcurrentOutcomes(count: graph.stages.count)
        let group = DispatchGroup()
        let (document, layer, input) = (w.document, w.builtLayer(), w.upstream)
        for index in runnable.dropFirst() {
            DispatchQueue(label: "analyticskit.stage.\(graph.stages[index].id)").async(group: group) {
                concurrent.set(index, run(index, document, layer, input, collectingCorpus: aggregates[index] != nil))
            }
        }
        w.outcomes[runnable[0]] = run(runnable[0], document, layer, input, collectingCorpus: aggregates[runnable[0]] != nil)
        group.wait()
        for index in runnable.dropFirst() { w.outcomes[index] = concurrent.outcome(index) }
    }

    /// `run` on the document of `w`, whose layer is built: its parts are passed as they lie in `w`,
    /// where read out of the batch's array for the call they were copied (a retain and a release of
    /// each of them per stage and document).
    private func run(_ index: Int, on w: inout Work, collectingCorpus: Bool) -> StageOutcome {
        run(index, w.document, w.layer!, w.upstream, collectingCorpus: collectingCorpus)
    }

    /// Adds stage `index`'s output for the document of `w`, if it succeeded, to `aggregate`: the
    /// output and the document are read where they lie in `w`, not copied out (as `run(_:on:)` does).
    /// `firstSequence` is the batch's first sequence number.
    private func add(_ index: Int, of w: inout Work, to aggregate: AnyCorpusAggregate, firstSequence: Int) {
        guard case .succeeded(let output)? = w.outcomes[index] else { return }
        aggregate.add(output, document: w.document, sequence: firstSequence + w.offset)
    }

    /// `collectingCorpus`: whether this worker has the stage's corpus aggregate, which reads its output.
    private func run(_ index: Int, _ document: Document, _ layer: TextLayer, _ upstream: UpstreamOutputs, collectingCorpus: Bool) -> StageOutcome {
        do {
            // An output that writes its own JSON is written straight into the record later; the others
            // are encoded now, so that an encoding failure is this stage's error record.
            return .succeeded(try graph.stages[index].produce(document, layer: layer, upstream: upstream, collectingCorpus: collectingCorpus))
        } catch {
            return .failed(String(describing: error))
        }
    }
}

/// What became of one stage on one document.
private enum StageOutcome {
    case succeeded(StageOutput)
    case failed(String)

    /// Whether the stage succeeded, asked without copying its output out.
    var isSuccess: Bool {
        if case .succeeded = self { return true }
        return false
    }
}

/// The outcomes of the stages of one level that run on other threads: each slot is written by the
/// one thread that runs its stage and read after the level's `DispatchGroup.wait()`, which orders
/// those writes before the reads, so no lock is needed.
private final class ConcurrentOutcomes: @unchecked Sendable {
    // Unchecked: see above; slots are raw memory so that writers of different slots share no array header.
    private let slots: UnsafeMutablePointer<StageOutcome?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func set(_ index: Int, _ outcome: StageOutcome) { slots[index] = outcome }
    func outcome(_ index: Int) -> StageOutcome? { slots[index] }
}
