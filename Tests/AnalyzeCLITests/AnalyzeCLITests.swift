import Foundation
import Testing

/// Runs the built `analyze` binary and captures what it prints.
struct CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The repository root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// `analyze` next to the test bundle (SwiftPM builds it before the tests), or $ANALYZE_BINARY.
    static let binary: String = {
        // Writing a test's stdin to a child that already exited must fail, not kill the test runner.
        signal(SIGPIPE, SIG_IGN)
        if let explicit = ProcessInfo.processInfo.environment["ANALYZE_BINARY"] { return explicit }
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return here.appendingPathComponent("analyze").path
    }()

    static func run(_ arguments: [String], stdin: String? = nil, in directory: String = root) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        // Output goes to files, so a child that prints a lot can never block on a full pipe.
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        _ = FileManager.default.createFile(atPath: scratch + "/out", contents: nil)
        _ = FileManager.default.createFile(atPath: scratch + "/err", contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch + "/out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch + "/err"))
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: process.terminationStatus,
                      stdout: try String(contentsOfFile: scratch + "/out", encoding: .utf8),
                      stderr: try String(contentsOfFile: scratch + "/err", encoding: .utf8))
    }

    /// A new temporary directory; the caller removes it (`defer`), so that test runs leave nothing behind.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("akcli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ text: String, to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }
}

@Suite("analyze CLI end to end")
struct AnalyzeCLITests {
    @Test func readmeFirstCommandAnalysesTheExamples() throws {
        let result = try CLI.run(["run", "pipelines/news.yml"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        let examples = try FileManager.default.contentsOfDirectory(atPath: CLI.root + "/examples").filter { $0.hasSuffix(".txt") }.sorted()
        #expect(lines.count == examples.count)
        for (line, name) in zip(lines, examples) {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            #expect(object["id"] as? String == name)
            #expect((object["errors"] as? [Any])?.isEmpty == true)
            let results = object["results"] as? [String: Any]
            let terms = results?["terms"] as? [String: Any]
            #expect((terms?["words"] as? Int ?? 0) > 50)
            // `quote_tone` reads `quotes` with `over:`: one score per quote, on the quote's own span
            // (not on its speaker's or cue's).
            let quotes = ((results?["quotes"] as? [String: Any])?["quotes"] as? [[String: Any]]) ?? []
            let scored = ((results?["quote_tone"] as? [String: Any])?["spans"] as? [[String: Any]]) ?? []
            #expect(!quotes.isEmpty)
            #expect(scored.map { ($0["span"] as? [String: Any])?["text"] as? String } == quotes.map { ($0["quote"] as? [String: Any])?["text"] as? String })
        }
        #expect(result.stderr.isEmpty)  // not a terminal: no progress
    }

    /// CSV piped in, as `-` or as `/dev/stdin`: the header row's separator is found and no row is lost.
    @Test func csvOnStandardInput() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        CLI.write("version: 1\nstages:\n  - { id: terms, type: frequency }\n", to: dir + "/p.yml")
        for input in ["-", "/dev/stdin"] {
            let result = try CLI.run(["run", "p.yml", "--input", input, "--input-format", "csv"],
                                     stdin: "id;text\na;Rain fell; rivers rose.\nb;Calm.\n", in: dir)
            #expect(result.status == 0, "\(input): \(result.stderr)")
            let ids = result.stdout.split(separator: "\n").map {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])??["id"] as? String
            }
            #expect(ids == ["a", "b"], "\(input)")
        }
    }

    /// A text piped in through a path (`/dev/stdin`, as `<(command)` gives one) is read like a file;
    /// it was each time an error record, "cannot read file".
    @Test func aPipeNamedByAPathIsReadAsAFile() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        CLI.write("version: 1\nstages:\n  - { id: terms, type: frequency }\n", to: dir + "/p.yml")
        let result = try CLI.run(["run", "p.yml", "--input", "/dev/stdin"], stdin: "Rivers rose after the rain.", in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let record = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(((record?["results"] as? [String: Any])?["terms"] as? [String: Any])?["words"] as? Int == 5)
    }

    @Test func aQuoteInterruptedByItsAttributionIsScoredWithoutIt() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        CLI.write("""
            version: 1
            stages:
              - { id: quotes, type: quotes }
              - { id: quote_tone, type: sentiment, needs: [quotes], with: { over: quotes, drivers: 3 } }
            """, to: dir + "/p.yml")
        let result = try CLI.run(["run", "p.yml", "--input", "-"], stdin: #""The plan is fine," she warned angrily, "and fair.""#, in: dir)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let span = (((object["results"] as! [String: Any])["quote_tone"] as! [String: Any])["spans"] as! [[String: Any]])[0]
        // "warned angrily" is the narrator's, not the quote's.
        #expect((span["compound"] as! Double) > 0)
        let drivers = (span["drivers"] as! [[String: Any]]).map { ($0["span"] as! [String: Any])["text"] as! String }
        #expect(drivers.sorted() == ["fair", "fine"])
    }

    @Test func outputBytesDoNotDependOnJobs() throws {
        let one = try CLI.run(["run", "pipelines/news.yml", "--jobs", "1", "--format", "json"])
        let four = try CLI.run(["run", "pipelines/news.yml", "--jobs", "4", "--format", "json"])
        #expect(one.status == 0)
        #expect(one.stdout == four.stdout)
    }

    @Test func anHTMLOutputPathWritesTheReport() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try CLI.run(["run", "pipelines/news.yml", "--output", dir + "/report.html", "--no-progress"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        let examples = try FileManager.default.contentsOfDirectory(atPath: CLI.root + "/examples").filter { $0.hasSuffix(".txt") }.sorted()
        #expect(examples.count == 5)
        for name in examples { #expect(html.contains("<h2>" + name + "</h2>"), "\(name)") }
        // Each of the news pipeline's stages, and its corpus summary, which this format shows.
        for stage in ["tone", "quotes", "quote_tone", "terms", "reading"] { #expect(html.contains("<h3>" + stage + "</h3>"), "\(stage)") }
        #expect(html.contains("<p>5 document(s), 0 with errors.</p>"))
    }

    @Test func everyShippedPipelineValidates() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: CLI.root + "/pipelines").filter { $0.hasSuffix(".yml") }.sorted()
        #expect(!files.isEmpty)
        let result = try CLI.run(["validate"] + files.map { "pipelines/" + $0 })
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == files.count)
    }

    @Test func invalidPipelineExitsTwoWithLineAndColumn() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        CLI.write("version: 1\nstages:\n  - id: a\n    type: frequency\n    with: { topp: 3 }\n", to: dir + "/bad.yml")
        let result = try CLI.run(["validate", "bad.yml"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.yml:5:13: error: unknown option 'topp'"))
        #expect(result.stderr.contains("did you mean 'top'?"))
        let run = try CLI.run(["run", "bad.yml"], in: dir)
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
    }

    @Test func aDocumentThatFailsMakesTheExitCodeOne() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        CLI.write("Good text here.", to: dir + "/in/a.txt")
        _ = FileManager.default.createFile(atPath: dir + "/in/b.txt", contents: Data([0x41, 0x00, 0x42]))
        CLI.write("version: 1\ninput: in\nstages:\n  - { id: terms, type: frequency }\n", to: dir + "/p.yml")
        let result = try CLI.run(["run", "p.yml"], in: dir)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].contains(#""errors":[{"stage":"input","message":"binary data: NUL byte at offset 1; not analysed"}]"#))
        #expect(result.stderr.contains("1 of 2 document(s) have errors"))
    }

    /// A file over `max_document_bytes` is its error record, named by its path, and the run goes on
    /// to the next file; the exit code says a document failed.
    @Test func aFileOverTheSizeLimitIsItsErrorRecord() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        CLI.write(String(repeating: "A long article. ", count: 100), to: dir + "/in/a.txt")
        CLI.write("A short note.", to: dir + "/in/b.txt")
        CLI.write("version: 1\ninput: in\nmax_document_bytes: 1000\nstages:\n  - { id: terms, type: frequency }\n", to: dir + "/p.yml")
        let result = try CLI.run(["run", "p.yml"], in: dir)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix(#"{"id":"a.txt","metadata":{"path":"# + "\"\(dir)/in/a.txt\"}," +
            #""results":{},"errors":[{"stage":"input","message":"document of 1600 bytes is over max_document_bytes (1000)"#))
        #expect(lines[1].hasPrefix(#"{"id":"b.txt","metadata":{"path":"# + "\"\(dir)/in/b.txt\"},\"results\":{\"terms\":"))
        // The command line overrides the pipeline, and says what to type when the number is wrong.
        let raised = try CLI.run(["run", "p.yml", "--max-document-bytes", "2000"], in: dir)
        #expect(raised.status == 0)
        #expect(raised.stdout.split(separator: "\n").count == 2)
        let lowered = try CLI.run(["run", "p.yml", "--max-document-bytes", "10"], in: dir)
        #expect(lowered.status == 1)
        #expect(lowered.stdout.contains("(analyze run --max-document-bytes N)"))
        let wrong = try CLI.run(["run", "p.yml", "--max-document-bytes", "0"], in: dir)
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("--max-document-bytes must be from 1 to 2147483648"))
    }

    @Test func jsonlFromStandardInputWithSummaryAndCSVOutput() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = """
            {"id": "n1", "text": "Rates rose. Rates fell.", "source": "wire"}
            {"id": "n2", "text": "Rates held steady."}
            """
        let result = try CLI.run(["run", CLI.root + "/pipelines/corpus-terms.yml", "--output", "out/r.csv", "--summary", "out/s.json"],
                                 stdin: input, in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let csv = try String(contentsOfFile: dir + "/out/r.csv", encoding: .utf8)
        // The other JSONL fields come first, as `metadata.` columns; a record without one leaves it empty.
        #expect(csv.hasPrefix("id,metadata.source,terms.tokens,terms.words,"))
        #expect(csv.contains("\nn1,wire,6,4,"))
        #expect(csv.contains("\nn2,,4,3,"))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/out/s.json"))) as! [String: Any]
        #expect(summary["documents"] as? Int == 2)
        let terms = (summary["corpus"] as! [String: Any])["terms"] as! [String: Any]
        let top = (terms["top_terms"] as! [[String: Any]]).first!
        #expect(top["term"] as? String == "rates" && top["count"] as? Int == 3 && top["documents"] as? Int == 2)
    }

    @Test func aSummaryThatCannotBeWrittenStopsTheRunBeforeTheWork() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = #"{"id": "n1", "text": "Rates rose."}"#
        let intoDirectory = try CLI.run(["run", CLI.root + "/pipelines/corpus-terms.yml", "--output", "r.jsonl", "--summary", "."],
                                        stdin: input, in: dir)
        #expect(intoDirectory.status == 2)
        #expect(intoDirectory.stderr.contains("cannot write '"))
        // Stopped before any document: the results file holds nothing.
        #expect(try String(contentsOfFile: dir + "/r.jsonl", encoding: .utf8).isEmpty)
        let samePath = try CLI.run(["run", CLI.root + "/pipelines/corpus-terms.yml", "--output", "r.jsonl", "--summary", "./r.jsonl"],
                                   stdin: input, in: dir)
        #expect(samePath.status == 2)
        #expect(samePath.stderr.contains("give the summary a file of its own"))
        // The same file under another name (a symbolic link) is the same file.
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.json", withDestinationPath: dir + "/r.jsonl")
        let linked = try CLI.run(["run", CLI.root + "/pipelines/corpus-terms.yml", "--output", "r.jsonl", "--summary", "link.json"],
                                 stdin: input, in: dir)
        #expect(linked.status == 2)
        #expect(linked.stderr.contains("give the summary a file of its own"))
        // A device that takes anything, as benchmarks use it, may take both.
        let discarded = try CLI.run(["run", CLI.root + "/pipelines/corpus-terms.yml", "--output", "/dev/null", "--summary", "/dev/null"],
                                    stdin: input, in: dir)
        #expect(discarded.status == 0, "\(discarded.stderr)")
    }

    @Test func resultsAreNeverWrittenOverTheInput() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = #"{"id": "n1", "text": "Rates rose."}"# + "\n"
        CLI.write(input, to: dir + "/in.jsonl")
        for option in ["--output", "--summary"] {
            let result = try CLI.run(["run", CLI.root + "/pipelines/corpus-terms.yml", "--input", "in.jsonl", option, "./in.jsonl"], in: dir)
            #expect(result.status == 2)
            #expect(result.stderr.contains("is also this run's input"))
            #expect(try String(contentsOfFile: dir + "/in.jsonl", encoding: .utf8) == input)
        }
    }

    @Test(.timeLimit(.minutes(2))) func ctrlCStopsTheRunCleanly() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        CLI.write("version: 1\nstages:\n  - { id: terms, type: frequency }\n", to: dir + "/p.yml")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["run", "p.yml", "--input", "-", "--input-format", "jsonl", "--jobs", "1", "--progress",
                             "--output", "out.jsonl", "--summary", "summary.json"]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        _ = FileManager.default.createFile(atPath: dir + "/err", contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/err"))
        let input = Pipe()
        process.standardInput = input
        try process.run()
        func lines(_ range: Range<Int>) -> Data {
            Data(range.map { #"{"id":"d\#($0)","text":"The ferry ran late again today."}"# + "\n" }.joined().utf8)
        }
        // The progress line shows that documents are being written, so the run is under way and its
        // signal handling is in place; then Ctrl-C, while far more input follows.
        input.fileHandleForWriting.write(lines(0..<2_000))
        var waited = 0
        while try !String(contentsOfFile: dir + "/err", encoding: .utf8).contains("documents") && waited < 1_000 {
            usleep(20_000)
            waited += 1
        }
        #expect(waited < 1_000, "no progress while the input was still open")
        kill(process.processIdentifier, SIGINT)
        // The run may stop reading, and exit, before all of this is written: that is what it should do.
        try? input.fileHandleForWriting.write(contentsOf: lines(2_000..<50_000))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let stderr = try String(contentsOfFile: dir + "/err", encoding: .utf8)
        #expect(stderr.contains("stopped after"))
        // Whole records of the input's first documents, in order, and a summary of exactly those.
        let ids = try String(contentsOfFile: dir + "/out.jsonl", encoding: .utf8).split(separator: "\n").map { line in
            (try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any])["id"] as! String
        }
        #expect(ids.count >= 256 && ids.count < 50_000)
        #expect(ids == (0..<ids.count).map { "d\($0)" })
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/summary.json"))) as! [String: Any]
        #expect(summary["documents"] as? Int == ids.count)
    }

    @Test func argumentErrorsExitTwoAndSayWhatToType() throws {
        let unknownFlag = try CLI.run(["run", "pipelines/news.yml", "--bogus"])
        #expect(unknownFlag.status == 2)
        #expect(unknownFlag.stderr.contains("--bogus"))
        for jobs in ["0", "9223372036854775807"] {
            let badJobs = try CLI.run(["run", "pipelines/news.yml", "--jobs", jobs])
            #expect(badJobs.status == 2)
            #expect(badJobs.stderr.contains("--jobs must be from 1 to 1024"))
        }
        let badFormat = try CLI.run(["run", "pipelines/news.yml", "--format", "xml"])
        #expect(badFormat.status == 2)
        #expect(badFormat.stderr.contains("jsonl, json, csv, table"))
        let missingInput = try CLI.run(["run", "pipelines/news.yml", "--input", "/no/such/place"])
        #expect(missingInput.status == 2)
        #expect(missingInput.stderr.contains("does not exist"))
        let missingPipeline = try CLI.run(["validate", "nope.yml"])
        #expect(missingPipeline.status == 2)
    }

    @Test func initWritesAPipelineThatValidatesAndWillNotOverwrite() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try CLI.run(["init", "starter.yml"], in: dir)
        #expect(first.status == 0)
        #expect(try CLI.run(["validate", "starter.yml"], in: dir).status == 0)
        let again = try CLI.run(["init", "starter.yml"], in: dir)
        #expect(again.status == 2)
        #expect(again.stderr.contains("--force"))
    }

    @Test func pluginsListsTypesWithOptions() throws {
        let result = try CLI.run(["plugins"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("frequency  (built-in)"))
        #expect(result.stdout.contains("ngrams: list of int = [1, 2]"))
        #expect(result.stdout.contains("stopwords: string = none"))
    }

    @Test func graphAsMermaidAndDot() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        CLI.write("version: 1\nstages:\n  - { id: a, type: frequency }\n  - { id: b, type: frequency, needs: [a] }\n", to: dir + "/g.yml")
        let mermaid = try CLI.run(["graph", "g.yml"], in: dir)
        #expect(mermaid.status == 0)
        #expect(mermaid.stdout.contains("flowchart LR"))
        #expect(mermaid.stdout.contains("s_a --> s_b"))
        let dot = try CLI.run(["graph", "g.yml", "--format", "dot"], in: dir)
        #expect(dot.stdout.contains("\"a\" -> \"b\";"))
    }

    @Test func textFromStandardInput() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        CLI.write("version: 1\nstages:\n  - { id: terms, type: frequency }\n", to: dir + "/p.yml")
        let result = try CLI.run(["run", "p.yml", "--input", "-"], stdin: "Hello hello world.", in: dir)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix(#"{"id":"-","results":{"terms":{"tokens":4,"words":3,"#))
        // Records piped in without --input-format are one text, with a warning that says what to pass.
        let jsonl = try CLI.run(["run", "p.yml", "--input", "-"], stdin: #"{"id": "a", "text": "Hi."}"# + "\n", in: dir)
        #expect(jsonl.status == 0)
        #expect(jsonl.stdout.contains("it looks like JSONL; pass --input-format jsonl"))
        let array = try CLI.run(["run", "p.yml", "--input", "-"], stdin: #"[{"id": "a", "text": "Hi."}]"#, in: dir)
        #expect(array.stdout.contains("it looks like a JSON array; pass --input-format json"))
        let bracketed = try CLI.run(["run", "p.yml", "--input", "-"], stdin: "[Reuters] {Markets} rose.", in: dir)
        #expect(bracketed.stdout.contains(#""warnings":[]"#))
        let none = try CLI.run(["run", "p.yml"], in: dir)
        #expect(none.status == 2)
        #expect(none.stderr.contains("no input"))
    }

    @Test func aReaderThatClosesThePipeStopsTheRunQuietly() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        CLI.write("version: 1\nstages:\n  - { id: terms, type: frequency }\n", to: dir + "/p.yml")
        // Far more output than a pipe holds, so the run is still writing when `head` has gone.
        let lines = (0..<5_000).map { #"{"id":"d\#($0)","text":"The ferry ran late on day \#($0) of the strike."}"# }
        CLI.write(lines.joined(separator: "\n") + "\n", to: dir + "/in.jsonl")
        let script = #"( "$1" run p.yml --input in.jsonl 2>err.txt; echo $? >status.txt ) | head -c 100 >head.txt"#
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", script, "sh", CLI.binary]
        shell.currentDirectoryURL = URL(fileURLWithPath: dir)
        try shell.run()
        shell.waitUntilExit()
        let read = { (name: String) in try String(contentsOfFile: dir + "/" + name, encoding: .utf8) }
        #expect(try read("head.txt").hasPrefix(#"{"id":"d0","results":{"terms":"#))
        #expect(try read("status.txt") == "2\n")
        #expect(try read("err.txt") == "")
    }

    @Test func textAndIdFieldsFromTheCommandLine() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        CLI.write("version: 1\nstages:\n  - { id: terms, type: frequency }\n", to: dir + "/p.yml")
        let result = try CLI.run(["run", "p.yml", "--input", "-", "--input-format", "jsonl", "--text-field", "body", "--id-field", "key"],
                                 stdin: #"{"key": "k1", "body": "Hello there, hello."}"# + "\n", in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix(#"{"id":"k1","#))
        #expect(result.stdout.contains(#""words":3"#))
    }

    @Test func aJSONArrayFromStandardInput() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        CLI.write("version: 1\nstages:\n  - { id: terms, type: frequency }\n", to: dir + "/p.yml")
        let result = try CLI.run(["run", "p.yml", "--input", "-", "--input-format", "json"],
                                 stdin: #"[{"id": "a", "text": "Hello hello."}, {"id": "b", "text": "World."}]"#, in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").map { $0.prefix(8) } == [#"{"id":"a"#, #"{"id":"b"#])
        let notArray = try CLI.run(["run", "p.yml", "--input", "-", "--input-format", "json"], stdin: #"{"id": "a"}"#, in: dir)
        #expect(notArray.status == 2)
        #expect(notArray.stderr.contains("not an array of documents"))
    }

    /// In a terminal (a pseudo-terminal made by `script`): progress by default when the results go to a
    /// file, none when they go to the same terminal, where the redrawn line would cut into them.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a pseudo-terminal"))
    func progressByDefaultOnlyWhenTheResultsGoElsewhere() throws {
        func inTerminal(_ arguments: String) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qec", "'\(CLI.binary)' run pipelines/news.yml " + arguments, "/dev/null"]
            process.currentDirectoryURL = URL(fileURLWithPath: CLI.root)
            let output = Pipe()
            process.standardOutput = output
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            return String(decoding: data, as: UTF8.self)
        }
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try inTerminal("--output '\(dir)/out.jsonl'").contains("5/5 documents"))
        let shown = try inTerminal("")
        #expect(shown.contains(#"{"id":"council-budget-vote.txt""#))
        #expect(!shown.contains("5/5 documents") && !shown.contains("MB/s"))
    }

    @Test func progressAndVerboseLogGoToStandardError() throws {
        let result = try CLI.run(["run", "pipelines/news.yml", "--progress", "--verbose", "--output", "/dev/null"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("5 documents"))
        #expect(result.stderr.contains("MB/s"))
        #expect(result.stderr.contains("run finished"))
        #expect(result.stdout.isEmpty)
        // A JSONL file's size is known, so the display has a bar; standard input through a pipe has none.
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        CLI.write((0..<50).map { #"{"id":"d\#($0)","text":"Rates rose."}"# }.joined(separator: "\n") + "\n", to: dir + "/in.jsonl")
        let file = try CLI.run(["run", CLI.root + "/pipelines/corpus-terms.yml", "--input", "in.jsonl", "--progress", "--output", "/dev/null"], in: dir)
        #expect(file.stderr.contains("] 100%  50 documents"), "\(file.stderr)")
        let piped = try CLI.run(["run", CLI.root + "/pipelines/corpus-terms.yml", "--input", "-", "--input-format", "jsonl", "--progress",
                                 "--output", "/dev/null"], stdin: #"{"id":"a","text":"Rates rose."}"#, in: dir)
        #expect(piped.stderr.contains("1 documents") && !piped.stderr.contains("%"), "\(piped.stderr)")
    }
}
