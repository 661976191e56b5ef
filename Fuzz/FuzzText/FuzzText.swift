import AnalyticsKit
import Quotes
import Readability
import Sentiment

// One document made of the fuzzer's bytes, read as `analyze run` reads a text file (a NUL byte
// rejects it, invalid UTF-8 is replaced), through every stage of the news pipeline. It fails when a
// stage throws on a decoded text or when the record written is not a JSON object: with the rest
// (a crash, a hang, an out-of-bounds read under the address sanitizer) that is what it looks for.

/// The news pipeline's stages, with every readability formula and quotes whose speakers are resolved.
let executor: Executor = {
    let registry = PluginRegistry.builtIn()
    try! ReadabilityPlugin.register(into: registry)
    try! SentimentPlugin.register(into: registry)
    try! QuotesPlugin.register(into: registry)
    let pipeline = try! PipelineLoader(registry: registry).load(yaml: """
        version: 1
        stages:
          - { id: tone, type: sentiment, with: { drivers: 3 } }
          - { id: quotes, type: quotes }
          - { id: quote_tone, type: sentiment, needs: [quotes], with: { over: quotes } }
          - { id: terms, type: frequency, with: { ngrams: [1, 2, 3], stopwords: english, numbers: true } }
          - { id: raw_terms, type: frequency, with: { ngrams: [2], case_fold: false } }
          - { id: readability, type: readability }
        """, file: "fuzz.yml", baseDirectory: ".")
    return Executor(pipeline: pipeline, jobs: 1)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzText(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let decoding = DocumentDecoding.decode(Array(UnsafeBufferPointer(start: data, count: size)))
    let pending = PendingDocument(fallbackID: "fuzz", byteCount: size) {
        switch decoding {
        case .text(let text, let warnings): .document(Document(id: "fuzz", text: text), warnings: warnings)
        case .rejected(let reason): .failed(id: "fuzz", metadata: [], reason: reason)
        }
    }
    var decoded = true
    if case .rejected = decoding { decoded = false }
    var record: [UInt8] = []
    var errors: [StageErrorRecord] = []
    let report = try! executor.run(ArraySource(pending: [pending])) { result in
        result.writeRecord(to: &record)
        errors = result.errors
    }
    precondition(report.documents == 1, "one document in, \(report.documents) results out")
    precondition(!decoded || errors.isEmpty, "a stage failed on a text: \(errors)")
    guard case .object? = try? JSONParser.parse(record) else {
        preconditionFailure("the record is not a JSON object: \(String(decoding: record, as: UTF8.self))")
    }
    return 0
}
