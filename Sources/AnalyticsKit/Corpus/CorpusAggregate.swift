/// A corpus-level result built from per-document outputs in mergeable partials.
///
/// Each worker keeps its own partial (no lock, no sharing); the engine merges them at the end.
/// `merge` must be associative and commutative and `add` order-independent, so that any split of the
/// corpus into shards merges to the same summary as one run. Use `sequence` (the input position) to
/// order anything kept per document.
public protocol CorpusAggregate: Sendable {
    /// The stage output this aggregate reads.
    associatedtype Input: Sendable
    /// The finished corpus-level result.
    associatedtype Summary: Encodable

    /// Adds one document's output.
    mutating func add(_ output: Input, document: Document, sequence: Int)
    /// Folds another partial of the same stage into this one.
    mutating func merge(_ other: Self)
    /// The corpus-level result.
    func finalize() -> Summary
    /// Writes the corpus-level result as JSON. The default encodes `finalize()`; an aggregate whose
    /// summary has an entry per document writes it piece by piece instead, so that it never sits in
    /// memory whole. Must write the same JSON as encoding `finalize()`.
    func writeSummary(to writer: inout JSONStreamWriter) throws
    /// `writeSummary(to:)` using up to `workers` threads for what can be made apart (the engine
    /// passes its worker count, idle by then). The default ignores `workers`. Must write the same JSON
    /// whatever the count.
    func writeSummary(to writer: inout JSONStreamWriter, workers: Int) throws
    /// The corpus-level result as JSON with every list cut to its first `limit` items, for a display
    /// that shows no more (the table output). The default encodes `finalize()` and cuts its lists;
    /// an aggregate whose summary has an entry per document should make only the entries shown.
    func preview(limit: Int) throws -> JSONValue
}

extension CorpusAggregate {
    public func preview(limit: Int) throws -> JSONValue {
        try JSONValueEncoder().encode(finalize()).cuttingLists(to: limit)
    }

    public func writeSummary(to writer: inout JSONStreamWriter) throws {
        try writer.append(JSONValueEncoder().encode(finalize()))
    }

    public func writeSummary(to writer: inout JSONStreamWriter, workers: Int) throws {
        try writeSummary(to: &writer)
    }
}

/// The aggregate of a stage that has none.
public struct NoCorpusAggregate<Input: Sendable>: CorpusAggregate {
    public mutating func add(_ output: Input, document: Document, sequence: Int) {}
    public mutating func merge(_ other: Self) {}
    public func finalize() -> JSONValue { .null }
}

/// A partial corpus aggregate with its types erased; owned by one worker at a time.
public final class AnyCorpusAggregate: @unchecked Sendable {
    // Unchecked: a partial is mutated only by the worker that owns it, and handed over only after it is done.
    private let box: any AggregateBox

    /// Wraps a typed aggregate.
    public init<A: CorpusAggregate>(_ aggregate: A) {
        box = TypedAggregateBox(aggregate)
    }

    /// Adds one document's output; an output of another type is ignored.
    public func add(_ output: any Sendable, document: Document, sequence: Int) {
        box.add(.value(output), document: document, sequence: sequence)
    }

    /// Adds one document's output as the engine holds it.
    func add(_ output: StageOutput, document: Document, sequence: Int) {
        box.add(output, document: document, sequence: sequence)
    }

    /// Merges another partial of the same stage into this one.
    public func merge(_ other: AnyCorpusAggregate) {
        box.merge(other.box)
    }

    /// The finished summary as JSON.
    public func finalize() throws -> JSONValue {
        try box.finalize()
    }

    /// Writes the finished summary as JSON text, piece by piece where the aggregate can, with up to
    /// `workers` threads where it can use them.
    public func writeSummary(to writer: inout JSONStreamWriter, workers: Int = 1) throws {
        try box.writeSummary(to: &writer, workers: workers)
    }

    /// The finished summary as JSON with every list cut to its first `limit` items (`CorpusAggregate.preview`).
    public func preview(limit: Int) throws -> JSONValue {
        try box.preview(limit: limit)
    }
}

private protocol AggregateBox: AnyObject {
    func add(_ output: StageOutput, document: Document, sequence: Int)
    func merge(_ other: any AggregateBox)
    func finalize() throws -> JSONValue
    func writeSummary(to writer: inout JSONStreamWriter, workers: Int) throws
    func preview(limit: Int) throws -> JSONValue
}

/// Holds the aggregate in a class so that `add` mutates it in place: copying a value with large
/// dictionaries out of an existential and back would copy them on every document.
private final class TypedAggregateBox<A: CorpusAggregate>: AggregateBox {
    var aggregate: A

    init(_ aggregate: A) { self.aggregate = aggregate }

    func add(_ output: StageOutput, document: Document, sequence: Int) {
        guard let input = output.value(as: A.Input.self) else { return }
        aggregate.add(input, document: document, sequence: sequence)
    }

    func merge(_ other: any AggregateBox) {
        guard let other = other as? TypedAggregateBox<A> else { return }
        aggregate.merge(other.aggregate)
    }

    func finalize() throws -> JSONValue {
        try JSONValueEncoder().encode(aggregate.finalize())
    }

    func writeSummary(to writer: inout JSONStreamWriter, workers: Int) throws {
        try aggregate.writeSummary(to: &writer, workers: workers)
    }

    func preview(limit: Int) throws -> JSONValue {
        try aggregate.preview(limit: limit)
    }
}

extension JSONValue {
    /// The value with every array, at any depth, cut to its first `limit` elements.
    public func cuttingLists(to limit: Int) -> JSONValue {
        switch self {
        case .array(let elements): return .array(elements.prefix(limit).map { $0.cuttingLists(to: limit) })
        case .object(let fields): return .object(fields.map { JSONField($0.key, $0.value.cuttingLists(to: limit)) })
        default: return self
        }
    }
}
