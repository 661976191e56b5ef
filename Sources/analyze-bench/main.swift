import AnalyticsKit
import Foundation

// Throughput benchmark: text layer and text layer + frequency over a JSONL corpus, end to end
// (read, parse JSON, analyse, encode JSONL records), at 1 and 2 workers.
//
//   swift run -c release analyze-bench ../shared/data/corpus/news.jsonl [--jobs 1,2] [--repeat 3]

let arguments = CommandLine.arguments.dropFirst()
guard let corpus = arguments.first, !corpus.hasPrefix("-") else {
    FileHandle.standardError.write(Data("usage: analyze-bench CORPUS.jsonl [--jobs 1,2] [--repeat N]\n".utf8))
    exit(2)
}

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), arguments.index(after: index) < arguments.endIndex else { return nil }
    return arguments[arguments.index(after: index)]
}

let jobCounts = (option("--jobs") ?? "1,2").split(separator: ",").compactMap { Int($0) }
let repeats = Int(option("--repeat") ?? "3") ?? 3

/// Peak resident memory of this process so far, in MB (VmHWM).
func peakMemoryMB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kb / 1024
}

/// A stage that only makes the engine build the text layer.
struct TokenCount: Stage {
    let configuration: StageConfiguration
    func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> Int { layer.tokens.count }
}

let registry = PluginRegistry.builtIn()
try registry.register(StageFactory(typeName: "token_count", summary: "tokens only") { TokenCount(configuration: $0) })

let configurations: [(String, String)] = [
    ("text layer", "- { id: tokens, type: token_count }"),
    ("text layer + frequency (1,2-grams, stop words)", "- { id: terms, type: frequency, with: { ngrams: [1, 2], stopwords: english } }"),
]

print("corpus: \(corpus)")
print(String(format: "%-50@ %5@ %10@ %10@ %10@", "configuration" as NSString, "jobs" as NSString, "MB/s" as NSString, "docs/s" as NSString, "peak MB" as NSString))
for (name, stageYAML) in configurations {
    let yaml = """
        version: 1
        input: { path: "\(corpus)", format: jsonl }
        output: { path: /dev/null, format: jsonl }
        stages:
          \(stageYAML)
        """
    let pipeline = try PipelineLoader(registry: registry).load(yaml: yaml, file: "bench.yml", baseDirectory: FileManager.default.currentDirectoryPath)
    for jobs in jobCounts {
        var best: RunReport?
        for _ in 0..<repeats {
            let report = try PipelineRun(pipeline: pipeline, jobs: jobs).run()
            if best == nil || report.seconds < best!.seconds { best = report }
        }
        let report = best!
        let mbps = Double(report.bytes) / 1_000_000 / report.seconds
        let docs = Double(report.documents) / report.seconds
        print(String(format: "%-50@ %5d %10.1f %10.0f %10.0f", name as NSString, jobs, mbps, docs, peakMemoryMB()))
    }
}
