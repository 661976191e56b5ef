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
        let outcomes = StageOutcomes(count: graph.stages.count)
        var upstream = UpstreamOutputs()
        for level in graph.levels {
            let runnable = level.filter { index in
                let failedNeed = graph.dependencies[index].first { outcomes.output(index: $0) == nil }
                if let failedNeed {
                    outcomes.fail(index, "skipped: it needs '\(graph.stages[failedNeed].id)', which failed")
                    return false
                }
                return true
            }
            let input = upstream
            if runnable.count > 1 && size >= parallelStagesMinBytes {
                let group = DispatchGroup()
                for index in runnable.dropFirst() {
                    DispatchQueue(label: "analyticskit.stage.\(graph.stages[index].id)").async(group: group) {
                        run(index, document, layer, input, outcomes)
                    }
                }
                run(runnable[0], document, layer, input, outcomes)
                group.wait()
            } else {
                for index in runnable { run(index, document, layer, input, outcomes) }
            }
            for index in runnable {
                guard let output = outcomes.output(index: index) else { continue }
                upstream.set(output, for: graph.stages[index].id)
                aggregates[index]?.add(output, document: document, sequence: sequence)
            }
        }
        var results: [DocumentResult.StageResult] = []
        var errors: [StageErrorRecord] = []
        for (index, stage) in graph.stages.enumerated() {
            switch outcomes.outcome(index: index) {
            case .encoded(let json)?: results.append(.init(stage: stage.id, json: .tree(json)))
            case .writable(let output)?: results.append(.init(stage: stage.id, json: .writable(output)))
            case .failed(let message)?: errors.append(StageErrorRecord(stage: stage.id, message: message))
            case nil: errors.append(StageErrorRecord(stage: stage.id, message: "did not run"))
            }
        }
        return DocumentResult(sequence: sequence, id: document.id, metadata: document.metadata, stageResults: results,
                              errors: errors, warnings: warnings, outputs: upstream, byteCount: size)
    }

    private func run(_ index: Int, _ document: Document, _ layer: TextLayer, _ upstream: UpstreamOutputs, _ outcomes: StageOutcomes) {
        let stage = graph.stages[index]
        do {
            let output = try stage.analyze(document, layer: layer, upstream: upstream)
            // An output that writes its own JSON is written straight into the record later; the others
            // are encoded now, so that an encoding failure is this stage's error record.
            if let writable = output as? any JSONWritable {
                outcomes.succeed(index, output: output, outcome: .writable(writable))
            } else {
                outcomes.succeed(index, output: output, outcome: .encoded(try JSONValueEncoder().encode(output)))
            }
        } catch {
            outcomes.fail(index, String(describing: error))
        }
    }
}

/// The per-stage outcomes of one document, written by the threads that run its stages.
private final class StageOutcomes: @unchecked Sendable {
    // Unchecked: every access goes through `lock`.
    enum Outcome {
        case encoded(JSONValue)
        case writable(any JSONWritable)
        case failed(String)
    }

    private let lock = NSLock()
    private var outcomes: [Outcome?]
    private var outputs: [(any Sendable)?]

    init(count: Int) {
        outcomes = Array(repeating: nil, count: count)
        outputs = Array(repeating: nil, count: count)
    }

    func succeed(_ index: Int, output: any Sendable, outcome: Outcome) {
        lock.withLock {
            outcomes[index] = outcome
            outputs[index] = output
        }
    }

    func fail(_ index: Int, _ message: String) {
        lock.withLock { outcomes[index] = .failed(message) }
    }

    func output(index: Int) -> (any Sendable)? { lock.withLock { outputs[index] } }
    func outcome(index: Int) -> Outcome? { lock.withLock { outcomes[index] } }
}
