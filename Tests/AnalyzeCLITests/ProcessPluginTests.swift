import Foundation
import Testing

@Suite("Process plugins end to end")
struct ProcessPluginTests {
    static let plugins = CLI.root + "/Tests/AnalyzeCLITests/Fixtures/plugins"

    private func records(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test(.timeLimit(.minutes(2))) func pythonPluginWithMisbehavingDocuments() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        CLI.write("""
            version: 1
            stages:
              - { id: terms, type: frequency, with: { corpus: false } }
              - id: shout
                type: process
                needs: [terms]
                with:
                  command: [python3, \(Self.plugins)/shout.py]
                  options: [suffix=!]
                  timeout: 2
            """, to: dir + "/p.yml")
        let input = ["calm words here", "CRASH", "after the crash", "SLEEP", "GARBAGE", "WRONGID", "FAIL", "last one"]
            .enumerated().map { #"{"id": "d\#($0.offset)", "text": "\#($0.element)"}"# }.joined(separator: "\n")
        let result = try CLI.run(["run", "p.yml", "--input", "-", "--input-format", "jsonl", "--jobs", "1"], stdin: input, in: dir)
        #expect(result.status == 1)
        let out = try records(result.stdout)
        #expect(out.count == 8)
        func shout(_ k: Int) -> [String: Any]? { (out[k]["results"] as? [String: Any])?["shout"] as? [String: Any] }
        func error(_ k: Int) -> String? { ((out[k]["errors"] as? [[String: Any]])?.first?["message"]) as? String }
        #expect(shout(0)?["shout"] as? String == "CALM WORDS HERE!")
        #expect(shout(0)?["words"] as? Int == 3)
        #expect(shout(0)?["needs"] as? [String] == ["terms"])
        #expect(error(1)?.contains("exited") == true)
        #expect(shout(2)?["shout"] as? String == "AFTER THE CRASH!")  // a fresh process took over
        #expect(error(3)?.contains("no response within 2") == true)
        #expect(error(4)?.contains("not JSON") == true)
        #expect(error(5)?.contains("someone-else") == true)
        #expect(error(6)?.contains("cannot shout at FAIL") == true)
        #expect(shout(7)?["shout"] as? String == "LAST ONE!")
        // The frequency stage ran on every document, whatever the plugin did.
        #expect(out.allSatisfy { ($0["results"] as? [String: Any])?["terms"] != nil })
    }

    /// Numbers no run can use are option errors with their line, not a crash at run time.
    @Test func optionsOutOfRangeAreErrors() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        CLI.write("""
            version: 1
            stages:
              - { id: echo, type: process, with: { command: [sh, \(Self.plugins)/echo-length.sh], max_response_bytes: 0 } }
              - { id: quotes, type: quotes, with: { corpus_top: -1 } }
            """, to: dir + "/p.yml")
        let result = try CLI.run(["validate", "p.yml"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("p.yml:3:") && result.stderr.contains("'max_response_bytes': must be at least 1 byte, not 0"))
        #expect(result.stderr.contains("p.yml:4:") && result.stderr.contains("'corpus_top': must be 0 or more, not -1"))
    }

    @Test func shellPluginAcrossWorkers() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        CLI.write("""
            version: 1
            stages:
              - { id: echo, type: process, with: { command: [sh, \(Self.plugins)/echo-length.sh] } }
            """, to: dir + "/p.yml")
        let input = (0..<50).map { #"{"id": "n\#($0)", "text": "\#(String(repeating: "x", count: $0))"}"# }.joined(separator: "\n")
        let one = try CLI.run(["run", "p.yml", "--input", "-", "--input-format", "jsonl", "--jobs", "1"], stdin: input, in: dir)
        let four = try CLI.run(["run", "p.yml", "--input", "-", "--input-format", "jsonl", "--jobs", "4"], stdin: input, in: dir)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout == four.stdout)
        let out = try records(one.stdout)
        #expect(out.count == 50)
        let bytes = out.map { (($0["results"] as? [String: Any])?["echo"] as? [String: Any])?["request_bytes"] as? Int ?? -1 }
        #expect(zip(bytes, bytes.dropFirst()).allSatisfy { $0 < $1 })  // one more x each time
    }

    @Test func badSetupIsAValidationError() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        CLI.write("""
            version: 1
            stages:
              - id: shout
                type: process
                with:
                  command: [python3, \(Self.plugins)/shout.py]
                  options: [volume=11]
            """, to: dir + "/p.yml")
        let unknown = try CLI.run(["validate", "p.yml"], in: dir)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("p.yml:7:"))
        #expect(unknown.stderr.contains("plugin 'shout' has no option 'volume'; its options: suffix"))
        CLI.write("version: 1\nstages:\n  - { id: x, type: process, with: { command: [no-such-program-here] } }\n", to: dir + "/q.yml")
        let missing = try CLI.run(["validate", "q.yml"], in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no handshake") || missing.stderr.contains("cannot start"))
    }
}
