import AnalyticsKit
import AnalyticsKitTestSupport
import Testing

/// A stage whose spans are deliberately off by one, to show that the conformance check catches it.
private struct OffByOneSpans: Stage {
    struct Output: Codable, Sendable { let words: [TextSpan] }
    let configuration: StageConfiguration
    func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> Output {
        Output(words: layer.tokens.filter { $0.kind == .word }.map { token in
            let span = layer.span(bytes: token.byteRange)
            return TextSpan(start: span.start + 1, end: span.end + 1, text: span.text)
        })
    }
}

/// A stage that is not deterministic.
private struct Counter: Stage {
    final class Box: @unchecked Sendable { var n = 0 }
    let configuration: StageConfiguration
    let box = Box()
    func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> Int {
        box.n += 1
        return box.n
    }
}

/// Correct spans, for the positive case.
private struct WordSpans: Stage {
    struct Output: Codable, Sendable { let words: [TextSpan] }
    let configuration: StageConfiguration
    func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> Output {
        Output(words: layer.tokens.filter { $0.kind == .word || $0.kind == .emoji }.map { layer.span(bytes: $0.byteRange) })
    }
}

@Suite("Test support: harness and conformance checker")
struct TestSupportTests {
    @Test func harnessRunsAStageOnAString() throws {
        let output = try StageHarness().run("frequency", options: ["top": .int(1)], on: "b a b", as: FrequencyOutput.self)
        #expect(output.topWords == [TermCount(term: "b", count: 2)])
        #expect(throws: OptionError.self) { try StageHarness().makeStage("frequency", options: ["topp": .int(1)]) }
        let json = try StageHarness().json("frequency", on: "x")
        #expect(json["words"] == .int(1))
    }

    @Test func frequencyConforms() {
        let problems = StageConformance.check(
            typeName: "frequency",
            options: [[:], ["ngrams": .ints([1, 2, 3]), "stopwords": .string("english"), "case_fold": .bool(false), "numbers": .bool(true)]],
            schema: FrequencyStage.factory.options,
            make: { try FrequencyStage(configuration: $0) })
        #expect(problems.isEmpty, "\(problems)")
        #expect(StageConformance.check(factory: FrequencyStage.factory).isEmpty)
        let generated = StageConformance.check(
            typeName: "frequency", options: [["ngrams": .ints([1, 2, 3]), "numbers": .bool(true), "case_fold": .bool(false)]],
            schema: FrequencyStage.factory.options, texts: StageConformance.generatedTexts(count: 1_000, seed: 14),
            make: { try FrequencyStage(configuration: $0) })
        #expect(generated.isEmpty, "\(generated)")
    }

    @Test func correctSpansPassIncludingNonASCII() {
        #expect(StageConformance.check(typeName: "spans", make: { WordSpans(configuration: $0) }).isEmpty)
    }

    @Test func theCheckerCatchesBadSpansAndNondeterminism() {
        let spans = StageConformance.check(typeName: "bad", make: { OffByOneSpans(configuration: $0) })
        #expect(spans.contains { $0.contains("span") })
        let counter = StageConformance.check(typeName: "counter", make: { Counter(configuration: $0) })
        #expect(counter.contains { $0.contains("two runs gave different output") })
    }
}
