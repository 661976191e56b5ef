@testable import AnalyticsKit
import Foundation
import Testing

/// Loads YAML and returns the diagnostics it produced (empty when it is valid).
private func diagnostics(_ yaml: String, registry: PluginRegistry = TestStages.registry()) -> [PipelineDiagnostic] {
    do {
        _ = try PipelineLoader(registry: registry).load(yaml: yaml, file: "p.yml", baseDirectory: "/tmp")
        return []
    } catch let error as PipelineError {
        return error.diagnostics
    } catch {
        Issue.record("unexpected error \(error)")
        return []
    }
}

private func single(_ yaml: String) -> (line: Int, column: Int, message: String)? {
    let found = diagnostics(yaml)
    guard found.count == 1, let location = found[0].location else {
        Issue.record("expected one diagnostic with a location, got \(found)")
        return nil
    }
    #expect(location.file == "p.yml")
    return (location.line, location.column, found[0].message)
}

/// The test registry and `weighed`, a stage with an option of type number (no built-in stage that
/// loads without side effects has one).
private func registryWithANumberOption() -> PluginRegistry {
    let registry = TestStages.registry()
    try! registry.register(StageFactory(
        typeName: "weighed", summary: "echo with a number option",
        options: [OptionSpec("weight", .double, default: .double(1), doc: "a number")]
    ) { EchoStage(configuration: $0) })
    return registry
}

@Suite("Pipeline loading and validation")
struct PipelineLoaderTests {
    @Test func validPipelineLoadsWithDefaults() throws {
        let pipeline = try PipelineLoader(registry: TestStages.registry()).load(yaml: """
            version: 1
            name: demo
            input: { path: docs, format: jsonl, text_field: body }
            output: { path: out/r.csv }
            jobs: 3
            stages:
              - id: terms
                type: frequency
                with: { ngrams: 2, stopwords: english }
              - id: echo
                type: echo
                needs: terms
            """, file: "p.yml", baseDirectory: "/base")
        #expect(pipeline.name == "demo")
        #expect(pipeline.input == InputSpec(path: "/base/docs", format: .jsonl, textField: "body"))
        #expect(pipeline.output == OutputSpec(path: "/base/out/r.csv", format: .csv))
        #expect(pipeline.jobs == 3)
        #expect(pipeline.graph.levels == [[0], [1]])
        #expect(pipeline.graph.stages[0].configuration.options.ints("ngrams") == [2])
        #expect(pipeline.graph.stages[0].configuration.options.int("top") == 10)
    }

    @Test func malformedYAML() {
        let d = single("version: 1\nstages: [\n  - id: a\n")
        #expect(d?.message.hasPrefix("malformed YAML") == true)
        #expect(d?.line == 3)
    }

    @Test func aPipelinePathThatIsNoFileSaysWhy() throws {
        let loader = PipelineLoader(registry: TestStages.registry())
        let directory = FileManager.default.temporaryDirectory.path
        #expect { try loader.load(file: directory) } throws: { "\($0)".contains("it is a directory; give a pipeline's .yml file") }
        #expect { try loader.load(file: directory + "/no-such-\(UUID().uuidString).yml") } throws: { "\($0)".hasSuffix("no such file") }
    }

    @Test func missingOrWrongVersion() {
        let missing = single("stages:\n  - id: a\n    type: frequency\n")
        #expect(missing?.message.contains("version: 1") == true)
        #expect(missing?.line == 1)
        let wrong = single("version: 2\nstages:\n  - id: a\n    type: frequency\n")
        #expect(wrong.map { "\($0.line):\($0.column)" } == "1:10")
        let quoted = single("version: \"1\"\nstages:\n  - id: a\n    type: frequency\n")
        #expect(quoted?.message == "'version' is the text \"1\"; write version: 1, a number without quotes")
    }

    @Test func aTabWhereIndentationBelongsIsNamed() {
        let d = single("version: 1\nstages:\n\t- { id: a, type: frequency }\n")
        #expect(d.map { "\($0.line):\($0.column)" } == "3:1")
        #expect(d?.message.hasSuffix("; YAML indents with spaces, not tabs") == true)
        // With Windows line ends too.
        #expect(single("version: 1\r\nstages:\r\n\t- { id: a, type: frequency }\r\n")?.message.hasSuffix("not tabs") == true)
        // Other scanner errors say nothing of tabs.
        #expect(single("version: 1\nstages: [\n  - id: a\n")?.message.contains("tabs") == false)
    }

    @Test func aKeyGivenTwiceIsNamedWhereItIsRepeated() {
        let d = single("name: x\nversion: 1\nversion: 2\nstages:\n  - { id: a, type: frequency }\n")
        #expect(d.map { "\($0.line):\($0.column)" } == "3:1")
        #expect(d?.message == "'version' is given again here (first at 2:1); give each key once")
        // In a stage's mapping, past a deeper one and a comment; with Windows line ends; quoted.
        let nested = single("version: 1\nstages:\n  - id: a\n    with:\n      id: 3\n    # note\n    type: frequency\n    id: b\n  - id: c\n    type: quotes\n")
        #expect(nested.map { "\($0.line):\($0.column)" } == "8:5")
        #expect(nested?.message == "'id' is given again here (first at 3:5); give each key once")
        #expect(single("version: 1\r\nversion: 1\r\nstages: []\r\n").map { "\($0.line):\($0.column)" } == "2:1")
        #expect(single("version: 1\nstages:\n  - id: a\n    type: frequency\n    'type': quotes\n").map { "\($0.line):\($0.column)" } == "5:5")
        // Two keys: both named, the first (in sorted order) located.
        let two = single("version: 1\nname: x\nstages:\n  - { id: a, type: frequency }\nname: y\nversion: 1\n")
        #expect(two.map { "\($0.line):\($0.column)" } == "5:1")
        #expect(two?.message == "'name', 'version' are given more than once in this mapping, 'name' again here (first at 2:1); give each key once")
        // In a flow mapping the repeat is not looked for: the first use is named.
        let flow = single("version: 1\nstages: [{ id: a, type: frequency, id: b }]\n")
        #expect(flow.map { "\($0.line):\($0.column)" } == "2:12")
        #expect(flow?.message == "'id' is given more than once in this mapping (first here); give each key once")
    }

    @Test func unknownTopLevelKeySuggestsTheClosest() {
        let d = single("version: 1\nstage:\n  - id: a\n    type: frequency\nstages:\n  - id: a\n    type: frequency\n")
        #expect(d.map { "\($0.line):\($0.column)" } == "2:1")
        #expect(d?.message.contains("unknown key 'stage'") == true)
        #expect(d?.message.contains("did you mean 'stages'?") == true)
    }

    @Test func unknownStageTypeListsKnownTypes() {
        let d = single("version: 1\nstages:\n  - id: a\n    type: frequncy\n")
        #expect(d.map { "\($0.line):\($0.column)" } == "4:11")
        #expect(d?.message.contains("unknown stage type 'frequncy'") == true)
        #expect(d?.message.contains("did you mean 'frequency'?") == true)
        #expect(d?.message.contains("known types: echo, fail, frequency, process") == true)
    }

    @Test func unknownOptionSuggestsTheClosest() {
        let d = single("version: 1\nstages:\n  - id: a\n    type: frequency\n    with:\n      ngram: [1]\n")
        #expect(d.map { "\($0.line):\($0.column)" } == "6:7")
        #expect(d?.message.contains("unknown option 'ngram'") == true)
        #expect(d?.message.contains("did you mean 'ngrams'?") == true)
    }

    @Test func wrongOptionType() {
        let d = single("version: 1\nstages:\n  - id: a\n    type: frequency\n    with: { top: lots }\n")
        #expect(d.map { "\($0.line):\($0.column)" } == "5:18")
        #expect(d?.message == "option 'top' of stage 'a' must be a whole number, not 'lots'")
        let list = single("version: 1\nstages:\n  - id: a\n    type: frequency\n    with: { ngrams: [1, x] }\n")
        #expect(list.map { "\($0.line):\($0.column)" } == "5:25")
    }

    /// YAML 1.1 reads `1:30` as the base-60 number 90, and Yams traps when such a number overflows on
    /// the way, even where the number itself would fit (a long-run fuzzer found it on `version:`).
    @Test func baseSixtyNumbersAreAnErrorNotATrap() {
        let overflowing = "1:1:1:1:1:1:1:1:1:1:1:1"
        for value in [overflowing, "1:30"] {
            let d = single("version: 1\nstages:\n  - id: a\n    type: frequency\n    with: { top: \(value) }\n")
            #expect(d.map { "\($0.line):\($0.column)" } == "5:18")
            #expect(d?.message == "option 'top' of stage 'a' must be a whole number, not '\(value)'")
        }
        let list = single("version: 1\nstages:\n  - id: a\n    type: frequency\n    with: { ngrams: [1, \(overflowing)] }\n")
        #expect(list?.message.contains("must be a list of whole numbers; '\(overflowing)' is not one") == true)
        let version = single("version: \(overflowing)\nstages:\n  - { id: a, type: frequency }\n")
        #expect(version?.message == "unsupported version '\(overflowing)'; this analyze reads 'version: 1'")
        let jobs = single("version: 1\njobs: \(overflowing)\nstages:\n  - { id: a, type: frequency }\n")
        #expect(jobs.map { "\($0.line):\($0.column)" } == "2:7")
        let weight = diagnostics("version: 1\nstages:\n  - { id: a, type: weighed, with: { weight: \(overflowing) } }\n",
                                 registry: registryWithANumberOption())
        #expect(weight.map(\.message) == ["option 'weight' of stage 'a' must be a number, not '\(overflowing)'"])
    }

    @Test func numbersInTheirOtherYAMLFormsStillRead() throws {
        let pipeline = try PipelineLoader(registry: TestStages.registry()).load(
            yaml: "version: 1\njobs: 0x10\nparallel_stages_min_bytes: 1_000\nstages:\n  - { id: a, type: frequency, with: { top: +7 } }\n",
            file: "p.yml", baseDirectory: "/tmp")
        #expect(pipeline.jobs == 16)
        #expect(pipeline.parallelStagesMinBytes == 1000)
        for weight in ["2.5e1", "1e3", "-3", ".5"] {
            #expect(diagnostics("version: 1\nstages:\n  - { id: a, type: weighed, with: { weight: \(weight) } }\n",
                                registry: registryWithANumberOption()).isEmpty)
        }
    }

    @Test func optionRejectedByTheFactoryPointsAtTheOption() {
        let d = single("version: 1\nstages:\n  - id: a\n    type: frequency\n    with:\n      ngrams: [1, 12]\n")
        #expect(d.map { "\($0.line):\($0.column)" } == "6:15")
        #expect(d?.message.contains("out of range") == true)
    }

    @Test func jobsOutOfRangeIsAnError() {
        let d = single("version: 1\njobs: 9223372036854775807\nstages:\n  - { id: a, type: frequency }\n")
        #expect(d.map { "\($0.line):\($0.column)" } == "2:7")
        #expect(d?.message == "'jobs' must be 'auto' or a whole number from 1 to \(Executor.maxJobs)")
        #expect(single("version: 1\njobs: 0\nstages:\n  - { id: a, type: frequency }\n") != nil)
        #expect(diagnostics("version: 1\njobs: 8\nstages:\n  - { id: a, type: frequency }\n").isEmpty)
    }

    @Test func maxDocumentBytesIsAutoOrAPositiveNumberOfBytes() throws {
        let d = single("version: 1\nmax_document_bytes: 0\nstages:\n  - { id: a, type: frequency }\n")
        #expect(d.map { "\($0.line):\($0.column)" } == "2:21")
        #expect(d?.message == "'max_document_bytes' must be 'auto' or a whole number of bytes from 1 to \(DocumentProcessor.offsetLimit)")
        #expect(single("version: 1\nmax_document_bytes: lots\nstages:\n  - { id: a, type: frequency }\n") != nil)
        #expect(single("version: 1\nmax_document_bytes: 4294967296\nstages:\n  - { id: a, type: frequency }\n") != nil)
        let loader = PipelineLoader(registry: PluginRegistry.builtIn())
        let set = try loader.load(yaml: "version: 1\nmax_document_bytes: 5000\nstages:\n  - { id: a, type: frequency }\n", file: "p.yml", baseDirectory: "/tmp")
        #expect(set.maxDocumentBytes == 5000)
        #expect(Executor(pipeline: set).maxDocumentBytes == 5000)
        let auto = try loader.load(yaml: "version: 1\nmax_document_bytes: auto\nstages:\n  - { id: a, type: frequency }\n", file: "p.yml", baseDirectory: "/tmp")
        #expect(auto.maxDocumentBytes == nil)
        #expect(Executor(pipeline: auto).maxDocumentBytes == Executor.defaultMaxDocumentBytes)
    }

    @Test func duplicateStageID() {
        let d = single("version: 1\nstages:\n  - id: a\n    type: frequency\n  - id: a\n    type: echo\n")
        #expect(d.map { "\($0.line):\($0.column)" } == "5:9")
        #expect(d?.message.contains("duplicate stage id 'a' (first declared at 3:5)") == true)
    }

    @Test func needsNamingAMissingStage() {
        let d = single("version: 1\nstages:\n  - id: terms\n    type: frequency\n  - id: b\n    type: echo\n    needs: [term]\n")
        #expect(d.map { "\($0.line):\($0.column)" } == "7:13")
        #expect(d?.message.contains("needs 'term', which is not a stage") == true)
        #expect(d?.message.contains("did you mean 'terms'?") == true)
        // A stage is never offered as what it needs itself.
        let own = single("version: 1\nstages:\n  - id: tone\n    type: echo\n    needs: [tones]\n")
        #expect(own?.message == "stage 'tone' needs 'tones', which is not a stage in this pipeline; stages: tone")
    }

    @Test func cycleIsPrinted() {
        let d = single("""
            version: 1
            stages:
              - id: a
                type: echo
                needs: [c]
              - id: b
                type: echo
                needs: [a]
              - id: c
                type: echo
                needs: [b]
            """)
        #expect(d.map { "\($0.line):\($0.column)" } == "3:5")
        #expect(d?.message.contains("cycle: a -> c -> b -> a") == true)
    }

    @Test func severalProblemsAreReportedTogetherInFileOrder() {
        let found = diagnostics("version: 1\nbogus: 1\nstages:\n  - id: a\n    type: nope\n  - id: b\n    type: frequency\n    with: { top: x }\n")
        #expect(found.map { $0.location?.line } == [2, 5, 8])
        #expect(found[0].description.hasPrefix("p.yml:2:1: error: "))
    }

    /// Stages are made side by side; what their factories refuse is still reported in file order.
    @Test func stagesRefusedByTheirFactoriesAreReportedInFileOrder() {
        let stages = (1...6).map { "  - id: s\($0)\n    type: frequency\n    with: { ngrams: [\($0 % 2 == 0 ? "1" : "1, 12")] }\n" }
        let found = diagnostics("version: 1\nstages:\n" + stages.joined())
        #expect(found.map { $0.location?.line } == [5, 11, 17])
        #expect(found.allSatisfy { $0.message.contains("out of range") })
        #expect(found.map { $0.message.prefix(10) } == ["stage 's1'", "stage 's3'", "stage 's5'"])
    }

    @Test func aliasesAreAllowed() {
        #expect(diagnostics("version: 1\nstages:\n  - id: a\n    type: frequency\n    with: &opts { top: 3 }\n  - id: b\n    type: frequency\n    with: *opts\n").isEmpty)
    }

    @Test(.timeLimit(.minutes(1))) func billionLaughsIsRefused() {
        var yaml = "version: 1\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ")
            yaml += "l\(level): &l\(level) [\(refs)]\n"
        }
        yaml += "stages:\n  - id: a\n    type: frequency\n"
        let found = diagnostics(yaml)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("expands to more than") == true)
    }

    @Test func emptyFileAndMissingFile() throws {
        #expect(single("")?.message.contains("empty") == true)
        #expect(throws: PipelineError.self) { try PipelineLoader(registry: .builtIn()).load(file: "/nonexistent/p.yml") }
    }
}
