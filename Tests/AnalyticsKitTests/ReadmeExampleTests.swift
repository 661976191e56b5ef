import AnalyticsKit
import Foundation
import Testing

/// The README's library example, kept word for word between the markers and run here.
@Suite("README library example")
struct ReadmeExampleTests {
    @Test func exampleRunsAndPrintsWhatTheReadmeSays() throws {
        var printed: [String] = []
        func print(_ item: Any) { printed.append("\(item)") }
        // README-BEGIN
        let registry = PluginRegistry.builtIn()
        let pipeline = try PipelineLoader(registry: registry).load(yaml: """
            version: 1
            stages:
              - id: terms
                type: frequency
                with: { ngrams: [1, 2], stopwords: english }
            """, file: "inline.yml", baseDirectory: ".")

        let documents = [
            Document(id: "a", text: "The council approved the harbour bridge budget."),
            Document(id: "b", text: "Harbour traffic rose after the bridge reopened."),
        ]
        var results: [DocumentResult] = []
        let report = try Executor(pipeline: pipeline).run(ArraySource(documents)) { results.append($0) }

        let terms = results[0].outputs.output(of: "terms", as: FrequencyOutput.self)
        print(terms?.topWords.first?.term ?? "-")   // approved
        print(results[1].record.jsonText)           // the JSONL line for "b"
        print(report.corpus.map(\.key))             // ["terms"]: the corpus summary per stage
        // README-END
        #expect(printed[0] == "approved")
        #expect(printed[1].hasPrefix(#"{"id":"b","results":{"terms":{"tokens":8,"words":7,"#))
        #expect(printed[2] == #"["terms"]"#)
    }

    @Test func stageExampleCompilesAndRuns() throws {
        let registry = PluginRegistry.builtIn()
        // STAGE-BEGIN
        struct LongWords: Stage {
            let configuration: StageConfiguration
            func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> Int {
                let minimum = configuration.options.int("min") ?? 10
                return layer.tokens.filter { $0.kind == .word && $0.byteCount >= minimum }.count
            }
        }

        try registry.register(StageFactory(
            typeName: "long_words", summary: "counts words of at least `min` bytes",
            options: [OptionSpec("min", .int, default: .int(10), doc: "the shortest word counted")]
        ) { LongWords(configuration: $0) })
        // STAGE-END
        let pipeline = try PipelineLoader(registry: registry).load(
            yaml: "version: 1\nstages:\n  - { id: long, type: long_words, with: { min: 6 } }\n", file: "p.yml", baseDirectory: ".")
        var results: [DocumentResult] = []
        try Executor(pipeline: pipeline).run(ArraySource([Document(id: "x", text: "A harbour bridge reopened today")])) { results.append($0) }
        #expect(results[0].outputs.output(of: "long", as: Int.self) == 3)
    }

    /// The lines between two markers of this file, without their common indentation.
    private func block(_ begin: String, _ end: String) throws -> [String] {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8).components(separatedBy: "\n")
        let start = source.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "// \(begin)" }! + 1
        let stop = source.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "// \(end)" }!
        let lines = Array(source[start..<stop])
        let indent = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return lines.map { $0.count >= indent ? String($0.dropFirst(indent)) : $0 }
    }

    /// The code blocks of the README, each as lines.
    private func readmeSwiftBlocks() throws -> [[String]] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        var blocks: [[String]] = []
        var current: [String]?
        for line in try String(contentsOf: readme, encoding: .utf8).components(separatedBy: "\n") {
            if line == "```swift" { current = [] } else if line == "```", let done = current {
                blocks.append(done)
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test func readmeShowsExactlyTheCodeTestedHere() throws {
        let blocks = try readmeSwiftBlocks()
        #expect(blocks.count == 2)
        #expect(blocks[0] == ["import AnalyticsKit", ""] + (try block("README-BEGIN", "README-END")))
        #expect(blocks[1] == (try block("STAGE-BEGIN", "STAGE-END")))
    }
}
