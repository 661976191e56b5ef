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
    private var value: any CorpusAggregate

    /// Wraps a typed aggregate.
    public init<A: CorpusAggregate>(_ aggregate: A) {
        value = aggregate
    }

    /// Adds one document's output; an output of another type is ignored.
    public func add(_ output: any Sendable, document: Document, sequence: Int) {
        value = Self.adding(value, output, document, sequence)
    }

    private static func adding<A: CorpusAggregate>(_ aggregate: A, _ output: any Sendable, _ document: Document, _ sequence: Int) -> A {
        guard let input = output as? A.Input else { return aggregate }
        var copy = aggregate
        copy.add(input, document: document, sequence: sequence)
        return copy
    }

    /// Merges another partial of the same stage into this one.
    public func merge(_ other: AnyCorpusAggregate) {
        value = Self.merging(value, other.value)
    }

    private static func merging<A: CorpusAggregate>(_ aggregate: A, _ other: any CorpusAggregate) -> A {
        guard let other = other as? A else { return aggregate }
        var copy = aggregate
        copy.merge(other)
        return copy
    }

    /// The finished summary as JSON.
    public func finalize() throws -> JSONValue {
        try Self.finalizing(value)
    }

    private static func finalizing<A: CorpusAggregate>(_ aggregate: A) throws -> JSONValue {
        try JSONValueEncoder().encode(aggregate.finalize())
    }
}
