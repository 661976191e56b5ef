import Foundation

/// Runs a stage graph on one document: builds its text layer once, then runs the stages level by level.
///
/// Stages of one level run concurrently when the document has at least `parallelStagesMinBytes` bytes;
/// each extra stage gets its own serial Dispatch queue, which libdispatch backs with a thread of its own,
/// so they truly overlap even when every worker is busy. Smaller documents run their stages in order on
/// the calling thread, where dispatching would cost more than it saves.
struct DocumentProcessor: Sendable {
    let graph: StageGraph
    let parallelStagesMinBytes: Int
    /// Documents larger than this are refused with an error record (offsets are 32-bit).
    static let maxDocumentBytes = 1 << 31

    /// Processes one document, adding successful outputs to this worker's partial aggregates.
    func process(_ pending: PendingDocument, sequence: Int, aggregates: [AnyCorpusAggregate?]) -> DocumentResult {
        let document: Document
        let warnings: [String]
        switch pending.load() {
        case .failed(let id, let metadata, let reason):
            return DocumentResult(sequence: sequence, id: id, metadata: metadata, results: [],
                                  errors: [StageErrorRecord(stage: "input", message: reason)], warnings: [], outputs: UpstreamOutputs(),
                                  byteCount: 0)
        case .document(let doc, let docWarnings):
            document = doc
            warnings = docWarnings
        }
        let size = document.text.utf8.count
        guard size <= Self.maxDocumentBytes else {
            return DocumentResult(sequence: sequence, id: document.id, metadata: document.metadata, results: [],
                                  errors: [StageErrorRecord(stage: "input", message: "document of \(size) bytes is over the limit of \(Self.maxDocumentBytes) bytes; split it")],
                                  warnings: warnings, outputs: UpstreamOutputs(), byteCount: 0)
        }
        let layer = TextLayer(text: document.text)
        let stageCount = graph.stages.count
        var outcomes = [StageOutcome?](repeating: nil, count: stageCount)
        var upstream = UpstreamOutputs(capacity: stageCount)
        var runnable: [Int] = []
        runnable.reserveCapacity(stageCount)
        for level in graph.levels {
            runnable.removeAll(keepingCapacity: true)
            for index in level {
                let failedNeed = graph.dependencies[index].first { outcomes[$0]?.isSuccess != true }
                if let failedNeed {
                    outcomes[index] = .failed("skipped: it needs '\(graph.stages[failedNeed].id)', which failed")
                } else {
                    runnable.append(index)
                }
            }
            // Stages of one level see only the levels before, whether they run concurrently or not.
            let input = upstream
            if runnable.count > 1 && size >= parallelStagesMinBytes {
                let concurrent = ConcurrentOutcomes(count: stageCount)
                let group = DispatchGroup()
                for index in runnable.dropFirst() {
                    DispatchQueue(label: "analyticskit.stage.\(graph.stages[index].id)").async(group: group) {
                        concurrent.set(index, run(index, document, layer, input))
                    }
                }
                outcomes[runnable[0]] = run(runnable[0], document, layer, input)
                group.wait()
                for index in runnable.dropFirst() { outcomes[index] = concurrent.outcome(index) }
            } else {
                for index in runnable { outcomes[index] = run(index, document, layer, input) }
            }
            for index in runnable {
                guard let output = outcomes[index]?.output else { continue }
                upstream.set(output, for: graph.stages[index].id)
                aggregates[index]?.add(output, document: document, sequence: sequence)
            }
        }
        var results: [DocumentResult.StageResult] = []
        results.reserveCapacity(stageCount)
        var errors: [StageErrorRecord] = []
        for index in graph.stages.indices {
            let id = graph.stages[index].id
            switch outcomes[index] {
            case .succeeded(_, let json)?: results.append(.init(stage: id, json: json))
            case .failed(let message)?: errors.append(StageErrorRecord(stage: id, message: message))
            case nil: errors.append(StageErrorRecord(stage: id, message: "did not run"))
            }
        }
        return DocumentResult(sequence: sequence, id: document.id, metadata: document.metadata, stageResults: results,
                              errors: errors, warnings: warnings, outputs: upstream, byteCount: size)
    }

    private func run(_ index: Int, _ document: Document, _ layer: TextLayer, _ upstream: UpstreamOutputs) -> StageOutcome {
        do {
            let output = try graph.stages[index].analyze(document, layer: layer, upstream: upstream)
            // An output that writes its own JSON is written straight into the record later; the others
            // are encoded now, so that an encoding failure is this stage's error record.
            if let writable = output as? any JSONWritable {
                return .succeeded(output: output, json: .writable(writable))
            }
            return .succeeded(output: output, json: .tree(try JSONValueEncoder().encode(output)))
        } catch {
            return .failed(String(describing: error))
        }
    }
}

/// What became of one stage on one document.
private enum StageOutcome {
    case succeeded(output: any Sendable, json: DocumentResult.StageResult.JSON)
    case failed(String)

    var output: (any Sendable)? {
        if case .succeeded(let output, _) = self { return output }
        return nil
    }

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
