/// Everything the pipeline produced for one document: each stage's output or an error record.
public struct DocumentResult: Sendable {
    /// Position in the input, from 0.
    public let sequence: Int
    /// The document id.
    public let id: String
    /// Fields that came with the document.
    public let metadata: [JSONField]
    /// Each successful stage's output as JSON, in declaration order.
    public let results: [JSONField]
    /// What failed: the input itself (stage "input") or individual stages.
    public let errors: [StageErrorRecord]
    /// Things the user should know that did not stop the analysis (replaced invalid UTF-8, an empty text).
    public let warnings: [String]
    /// Each successful stage's typed output, for code that embeds the engine.
    public let outputs: UpstreamOutputs
    /// UTF-8 bytes of text analysed (0 when the input could not be read).
    public let byteCount: Int

    /// True when the input or any stage failed.
    public var failed: Bool { !errors.isEmpty }

    /// The output record of the JSONL contract:
    /// `{"id", "metadata"?, "results": {stage: output}, "errors": [{"stage", "message"}], "warnings": [...]}`.
    public var record: JSONValue {
        var fields = [JSONField("id", .string(id))]
        if !metadata.isEmpty { fields.append(JSONField("metadata", .object(metadata))) }
        fields.append(JSONField("results", .object(results)))
        fields.append(JSONField("errors", .array(errors.map(\.json))))
        fields.append(JSONField("warnings", .array(warnings.map(JSONValue.string))))
        return .object(fields)
    }
}

/// One failure in a document's record.
public struct StageErrorRecord: Sendable, Hashable {
    /// The stage id, or "input" when the document could not be read.
    public let stage: String
    /// What went wrong.
    public let message: String

    /// Creates a record.
    public init(stage: String, message: String) {
        self.stage = stage
        self.message = message
    }

    var json: JSONValue { .object([JSONField("stage", .string(stage)), JSONField("message", .string(message))]) }
}
