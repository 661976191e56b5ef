import Foundation
import Testing

/// Builds the example plugin once for all tests here (it takes a few seconds).
private let builtPlugin: Result<String, any Error> = Result {
    let script = CLI.root + "/Examples/WordLengthPlugin/build.sh"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [script, CLI.binary.contains("/release/") ? "release" : "debug"]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
    return CLI.root + "/Examples/WordLengthPlugin/libWordLength.so"
}

@Suite("Native plugins end to end", .serialized)
struct NativePluginTests {
    @Test func examplePluginListsAndRuns() throws {
        let plugin = try builtPlugin.get()
        let listed = try CLI.run(["plugins", "--plugin", plugin])
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("word_length  (\(plugin))"))
        #expect(listed.stdout.contains("min: int = 1"))

        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: plugin, toPath: dir + "/libWordLength.so")
        CLI.write("""
            version: 1
            plugins: [libWordLength.so]
            stages:
              - { id: lengths, type: word_length, with: { min: 3 } }
              - { id: tone, type: sentiment }
            """, to: dir + "/p.yml")
        let result = try CLI.run(["run", "p.yml", "--input", "-"], stdin: "A wonderful harbour reopened.", in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let record = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let lengths = (record["results"] as! [String: Any])["lengths"] as! [String: Any]
        #expect(lengths["mean_length"] as? Double == 8.0)  // wonderful 9, harbour 7, reopened 8
        #expect((lengths["longest"] as? [String: Any])?["text"] as? String == "wonderful")
        // --plugin works the same as the YAML key, and loading the same library twice is harmless.
        let again = try CLI.run(["run", "p.yml", "--input", "-", "--plugin", "libWordLength.so"], stdin: "Short text.", in: dir)
        #expect(again.status == 0, "\(again.stderr)")
    }

    @Test func badLibrariesAreClearErrors() throws {
        let plugin = try builtPlugin.get()
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        CLI.write("version: 1\nplugins: [missing.so]\nstages:\n  - { id: t, type: frequency }\n", to: dir + "/missing.yml")
        let missing = try CLI.run(["validate", "missing.yml"], in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("missing.yml:2:11: error: plugin '\(dir)/missing.so' no such file"))

        let notAPlugin = try CLI.run(["plugins", "--plugin", "/lib/x86_64-linux-gnu/libm.so.6"])
        #expect(notAPlugin.status == 2)
        #expect(notAPlugin.stderr.contains("is not an AnalyticsKit plugin"))

        // The same types from a second copy of the library: a duplicate, naming both origins.
        try FileManager.default.copyItem(atPath: plugin, toPath: dir + "/copy.so")
        let duplicate = try CLI.run(["plugins", "--plugin", plugin, "--plugin", dir + "/copy.so"])
        #expect(duplicate.status == 2)
        #expect(duplicate.stderr.contains("stage type 'word_length' is registered twice (\(plugin) and \(dir)/copy.so)"))

        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["swiftc", "-emit-library", "-parse-as-library", CLI.root + "/Tests/AnalyzeCLITests/Fixtures/plugins/WrongVersion.swift",
                           "-o", dir + "/libWrong.so"]
        try build.run()
        build.waitUntilExit()
        #expect(build.terminationStatus == 0)
        let wrong = try CLI.run(["plugins", "--plugin", dir + "/libWrong.so"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("was built for plugin API 99 with Swift 5.9; this analyze has plugin API 5 with Swift"))
    }
}
