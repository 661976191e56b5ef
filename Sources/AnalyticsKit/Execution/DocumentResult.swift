/// Everything the pipeline produced for one document: each stage's output or an error record.
public struct DocumentResult: Sendable {
    /// Position in the input, from 0.
    public let sequence: Int
    /// The document id.
    public let id: String
    /// Fields that came with the document.
    public let metadata: [JSONField]
    /// One successful stage's output, as a tree or as a value that writes its own JSON.
    struct StageResult: Sendable {
        enum JSON: Sendable {
            case tree(JSONValue)
            case writable(any JSONWritable)
        }
        let stage: String
        let json: JSON
    }

    /// Each successful stage's output, in declaration order.
    let stageResults: [StageResult]

    /// Each successful stage's output as JSON, in declaration order. Outputs that write their own JSON
    /// are read back into a tree here; the JSONL and JSON formats write them directly (`writeRecord`).
    public var results: [JSONField] {
        stageResults.map { result in
            switch result.json {
            case .tree(let json): JSONField(result.stage, json)
            case .writable(let output): JSONField(result.stage, output.jsonValue)
            }
        }
    }
    /// What failed: the input itself (stage "input") or individual stages.
    public let errors: [StageErrorRecord]
    /// Things the user should know that did not stop the analysis (replaced invalid UTF-8, an empty text).
    public let warnings: [String]
    /// Each successful stage's typed output, for code that embeds the engine.
    public let outputs: UpstreamOutputs
    /// UTF-8 bytes of text analysed (0 when the input could not be read).
    public let byteCount: Int

    /// Creates a result from stage outputs already in JSON.
    public init(sequence: Int, id: String, metadata: [JSONField], results: [JSONField], errors: [StageErrorRecord],
                warnings: [String], outputs: UpstreamOutputs, byteCount: Int) {
        self.init(sequence: sequence, id: id, metadata: metadata, stageResults: results.map { StageResult(stage: $0.key, json: .tree($0.value)) },
                  errors: errors, warnings: warnings, outputs: outputs, byteCount: byteCount)
    }

    init(sequence: Int, id: String, metadata: [JSONField], stageResults: [StageResult], errors: [StageErrorRecord],
         warnings: [String], outputs: UpstreamOutputs, byteCount: Int) {
        self.sequence = sequence
        self.id = id
        self.metadata = metadata
        self.stageResults = stageResults
        self.errors = errors
        self.warnings = warnings
        self.outputs = outputs
        self.byteCount = byteCount
    }

    /// True when the input or any stage failed.
    public var failed: Bool { !errors.isEmpty }

    /// Appends the text of `record` to `out`, writing the outputs that write their own JSON directly:
    /// the same bytes as `record.write(to:)`, without building the record's tree.
    public func writeRecord(to out: inout JSONBuffer) {
        var writer = JSONWriter(buffer: out)
        out = JSONBuffer()  // the writer holds the only reference, so appending does not copy the bytes
        writer.beginObject()
        writer.fixedKey("id"); writer.string(id)
        if !metadata.isEmpty { writer.fixedKey("metadata"); writer.value(.object(metadata)) }
        writer.fixedKey("results"); writer.beginObject()
        for result in stageResults {
            writer.key(result.stage)
            switch result.json {
            case .tree(let json): writer.value(json)
            case .writable(let output): output.writeJSON(to: &writer)
            }
        }
        writer.endObject()
        writer.fixedKey("errors"); writer.value(.array(errors.map(\.json)))
        writer.fixedKey("warnings"); writer.value(.array(warnings.map(JSONValue.string)))
        writer.endObject()
        out = writer.buffer
    }

    /// `writeRecord(to:)` appending to an array.
    public func writeRecord(to out: inout [UInt8]) {
        var buffer = JSONBuffer()
        writeRecord(to: &buffer)
        buffer.withUnsafeBufferPointer { out.append(contentsOf: $0) }
    }

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
