/// The one protocol every analysis step implements, built in or from a plugin.
///
/// A stage is a value made once per pipeline by its factory (which loads heavy resources such as a
/// lexicon and shares them read-only) and then called from many threads at once: it must hold no
/// mutable shared state and never touch a queue or a lock. The engine owns ordering and threading.
public protocol Stage: Sendable {
    /// What the stage produces for one document; it is written to the output through `Encodable`.
    associatedtype Output: Codable & Sendable
    /// A corpus-level result built from every document's output, or `NoCorpusAggregate`.
    associatedtype Aggregate: CorpusAggregate = NoCorpusAggregate<Output> where Aggregate.Input == Output

    /// The stage's type name, instance id, needs and options, as the pipeline declared them.
    var configuration: StageConfiguration { get }

    /// Analyses one document. `upstream` holds the outputs of the stages this one needs.
    /// Throwing records an error for this stage of this document; other stages and documents go on.
    func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> Output

    /// A fresh, empty corpus aggregate, or nil when the stage has none (the default).
    func makeAggregate() -> Aggregate?
}

extension Stage where Aggregate == NoCorpusAggregate<Output> {
    /// Stages without a corpus aggregate need not say so.
    public func makeAggregate() -> Aggregate? { nil }
}

/// A built-in stage whose output carries something that only its corpus aggregate reads (the
/// frequency stage's table of every term, which holds the document's layer until the record is
/// written). For a run that collects no aggregate, the engine runs `withoutCorpus()` instead, whose
/// outputs leave it out; the records are the same.
protocol CorpusOptionalStage: Stage {
    /// The same stage, making outputs without what only its aggregate reads.
    func withoutCorpus() -> Self
}

/// How a pipeline declared one stage: the facts every stage has, whatever its type.
public struct StageConfiguration: Sendable {
    /// The instance id, unique in the pipeline (the key of this stage's results in the output).
    public let id: String
    /// The plugin type name used in YAML (`frequency`, `sentiment`).
    public let typeName: String
    /// Ids of the stages whose outputs this one reads.
    public let needs: [String]
    /// The options after validation against the factory's schema, with defaults filled in.
    public let options: StageOptions

    /// Creates a configuration; the pipeline loader makes these from YAML.
    public init(id: String, typeName: String, needs: [String] = [], options: StageOptions = StageOptions()) {
        self.id = id
        self.typeName = typeName
        self.needs = needs
        self.options = options
    }
}

/// The outputs of the stages a stage needs, by stage id.
public struct UpstreamOutputs: Sendable {
    // A short list searched in order rather than a dictionary: a pipeline has a handful of stages,
    // and this is built for every document, where a dictionary cost an allocation and string hashing.
    private var outputs: [(id: String, output: StageOutput)] = []

    /// An empty set of outputs.
    public init() {}

    /// An empty set with room for `capacity` outputs, so that filling it allocates once.
    init(capacity: Int) {
        outputs.reserveCapacity(capacity)
    }

    /// The output of stage `id` if it ran, succeeded and has type `T`.
    public func output<T>(of id: String, as type: T.Type = T.self) -> T? {
        guard let index = index(of: id) else { return nil }
        return outputs[index].output.value(as: T.self)
    }

    /// Where stage `id`'s output is. A loop over indices: `firstIndex(where:)` copied each entry, its
    /// output's existential included, to compare the id (about 700 instructions a call).
    private func index(of id: String) -> Int? {
        for index in outputs.indices where outputs[index].id == id { return index }
        return nil
    }

    /// Records a stage's output.
    public mutating func set(_ output: any Sendable, for id: String) {
        set(.value(output), for: id)
    }

    /// Records the output of a stage that has none here yet, as the engine holds it. The engine
    /// records each stage of a pipeline once per document, and ids are unique in a pipeline, so it
    /// skips `set`'s search: comparing the ids cost about 1,900 instructions a document for four stages.
    mutating func append(_ output: StageOutput, for id: String) {
        outputs.append((id, output))
    }

    /// Records a stage's output as the engine holds it.
    mutating func set(_ output: StageOutput, for id: String) {
        if let index = index(of: id) {
            outputs[index].output = output
        } else {
            outputs.append((id, output))
        }
    }
}

/// One stage's output for one document as the engine holds it: in a single existential, from which
/// the typed value is read back (`value(as:)`) and, for an output that writes its own JSON, its text
/// is written. Holding it as `any Sendable` beside `any JSONWritable` made a box for each, and a
/// dynamic cast to the protocol, for every output of every document.
enum StageOutput: Sendable {
    /// An output that writes its own JSON.
    case writable(any JSONWritable)
    /// Any other output, with its JSON encoded when the stage ran.
    case encoded(any Sendable, JSONValue)
    /// An output set by code outside the engine, which is never written.
    case value(any Sendable)

    /// The output, if it has type `T`.
    func value<T>(as type: T.Type) -> T? {
        switch self {
        case .writable(let output): output as? T
        case .encoded(let output, _), .value(let output): output as? T
        }
    }

    /// The output's JSON, for its document's record.
    var json: DocumentResult.StageResult.JSON {
        switch self {
        case .writable(let output): .writable(output)
        case .encoded(_, let json): .tree(json)
        case .value: .tree(.null)
        }
    }

    /// Wraps an output whose type is known only at run time (a stage built from closures).
    static func wrapping(_ output: any Encodable & Sendable) throws -> StageOutput {
        if let writable = output as? any JSONWritable { return .writable(writable) }
        return .encoded(output, try JSONValueEncoder().encode(output))
    }

    /// The function that wraps outputs of type `Output`, chosen once per stage so that no document
    /// pays for the dynamic cast to `JSONWritable`.
    static func wrapper<Output: Encodable & Sendable>(for type: Output.Type) -> @Sendable (Output) throws -> StageOutput {
        if let writable = type as? any JSONWritable.Type { return writableWrapper(writable, type) }
        return { .encoded($0, try JSONValueEncoder().encode($0)) }
    }

    /// `W` is `Output` itself: the cast only tells the compiler, and the runtime takes it by comparing
    /// the two types, without a conformance lookup.
    private static func writableWrapper<W: JSONWritable, Output>(_: W.Type, _: Output.Type) -> @Sendable (Output) -> StageOutput {
        { .writable($0 as! W) }
    }
}

/// A stage with its output type erased: what the engine runs and what a plugin loaded at run time hands over.
///
/// No associated types cross this boundary, so a plugin built separately can produce one.
public struct AnyStage: Sendable {
    /// The parts, in one immutable box: a stage is handed around by value (the graph, its levels, the
    /// workers), and a copy of the parts themselves cost a reference count for each string, list and
    /// closure; a copy of the box costs one.
    private final class Parts: Sendable {
        let configuration: StageConfiguration
        let analyze: @Sendable (Document, TextLayer, UpstreamOutputs) throws -> any Encodable & Sendable
        /// `analyze` with the output wrapped as the engine holds it.
        let produce: @Sendable (Document, TextLayer, UpstreamOutputs) throws -> StageOutput
        /// `produce` for a run that collects no corpus aggregate (`CorpusOptionalStage`).
        let produceWithoutCorpus: @Sendable (Document, TextLayer, UpstreamOutputs) throws -> StageOutput
        let makeAggregate: @Sendable () -> AnyCorpusAggregate?

        init(configuration: StageConfiguration,
             analyze: @escaping @Sendable (Document, TextLayer, UpstreamOutputs) throws -> any Encodable & Sendable,
             produce: @escaping @Sendable (Document, TextLayer, UpstreamOutputs) throws -> StageOutput,
             produceWithoutCorpus: @escaping @Sendable (Document, TextLayer, UpstreamOutputs) throws -> StageOutput,
             makeAggregate: @escaping @Sendable () -> AnyCorpusAggregate?) {
            self.configuration = configuration
            self.analyze = analyze
            self.produce = produce
            self.produceWithoutCorpus = produceWithoutCorpus
            self.makeAggregate = makeAggregate
        }
    }

    private let parts: Parts

    /// The stage's declaration.
    public var configuration: StageConfiguration { parts.configuration }

    /// Wraps a typed stage.
    public init<S: Stage>(_ stage: S) {
        let wrap = StageOutput.wrapper(for: S.Output.self)
        let lean = ((stage as? any CorpusOptionalStage)?.withoutCorpus() as? S) ?? stage
        parts = Parts(configuration: stage.configuration,
                      analyze: { try stage.analyze($0, layer: $1, upstream: $2) },
                      produce: { try wrap(stage.analyze($0, layer: $1, upstream: $2)) },
                      produceWithoutCorpus: { try wrap(lean.analyze($0, layer: $1, upstream: $2)) },
                      makeAggregate: { stage.makeAggregate().map(AnyCorpusAggregate.init) })
    }

    /// Builds a stage from closures, for plugins that cannot name a `Stage` type.
    public init(
        configuration: StageConfiguration,
        analyze: @escaping @Sendable (Document, TextLayer, UpstreamOutputs) throws -> any Encodable & Sendable,
        makeAggregate: @escaping @Sendable () -> AnyCorpusAggregate? = { nil }
    ) {
        let produce: @Sendable (Document, TextLayer, UpstreamOutputs) throws -> StageOutput = { try StageOutput.wrapping(analyze($0, $1, $2)) }
        parts = Parts(configuration: configuration, analyze: analyze, produce: produce, produceWithoutCorpus: produce, makeAggregate: makeAggregate)
    }

    /// The stage id.
    public var id: String { parts.configuration.id }

    /// Runs the stage on one document.
    public func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> any Encodable & Sendable {
        try parts.analyze(document, layer, upstream)
    }

    /// Runs the stage on one document, its output wrapped as the engine holds it; `collectingCorpus`
    /// says whether the run adds it to the stage's corpus aggregate.
    func produce(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs, collectingCorpus: Bool) throws -> StageOutput {
        try collectingCorpus ? parts.produce(document, layer, upstream) : parts.produceWithoutCorpus(document, layer, upstream)
    }

    /// A fresh partial aggregate for one worker, or nil.
    public func makeAggregate() -> AnyCorpusAggregate? { parts.makeAggregate() }
}
