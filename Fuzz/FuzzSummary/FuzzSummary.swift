import AnalyticsKit

// Documents made of the fuzzer's bytes, one per line, read as `analyze run` reads text files (a NUL
// byte rejects one, invalid UTF-8 is replaced), through two frequency stages that keep a corpus
// summary. It fails when the summary streamed as `--summary` writes it (its TF-IDF lists written from
// the spilled records' bytes) is not the JSON of the summary built whole: with the rest (a crash, a
// hang, an out-of-bounds read under the address sanitizer) that is what it looks for.

/// Words, bigrams and trigrams with TF-IDF lists, and case-kept bigrams.
let executor: Executor = {
    let pipeline = try! PipelineLoader(registry: PluginRegistry.builtIn()).load(yaml: """
        version: 1
        stages:
          - { id: terms, type: frequency, with: { ngrams: [1, 2, 3], stopwords: english, numbers: true, tfidf_top: 3 } }
          - { id: raw_terms, type: frequency, with: { ngrams: [2], case_fold: false, top: 2 } }
        """, file: "fuzz.yml", baseDirectory: ".")
    return Executor(pipeline: pipeline, jobs: 1)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSummary(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let lines = UnsafeBufferPointer(start: data, count: size).split(separator: 0x0A, omittingEmptySubsequences: false)
    let pending = lines.enumerated().map { k, line in
        // Every third id needs escapes in JSON and is not ASCII: ids go through the spill as bytes.
        let id = k % 3 == 0 ? "d\"\(k)\\é" : "d\(k)"
        let decoding = DocumentDecoding.decode(Array(line))
        return PendingDocument(fallbackID: id, byteCount: line.count) {
            switch decoding {
            case .text(let text, let warnings): .document(Document(id: id, text: text), warnings: warnings)
            case .rejected(let reason): .failed(id: id, metadata: [], reason: reason)
            }
        }
    }
    let report = try! executor.run(ArraySource(pending: pending)) { _ in }
    precondition(report.documents == lines.count, "\(lines.count) documents in, \(report.documents) results out")
    var streamed: [UInt8] = []
    var writer = JSONStreamWriter(chunkSize: 4_096) { streamed += $0.array }
    try! report.writeCorpus(to: &writer)
    try! writer.finish()
    let whole = JSONValue.object(report.corpus).jsonText
    precondition(String(decoding: streamed, as: UTF8.self) == whole,
                 "the streamed summary differs from the one built whole:\n\(String(decoding: streamed, as: UTF8.self))\n\(whole)")
    return 0
}
