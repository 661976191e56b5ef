import AnalyticsKit
import ArgumentParser
import Foundation

/// `analyze init`: writes a commented starter pipeline.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented starter pipeline."
    )

    @Argument(help: "Where to write it.")
    var path: String = "pipeline.yml"

    @Flag(help: "Overwrite the file if it exists.")
    var force = false

    func run() throws {
        if FileManager.default.fileExists(atPath: path) && !force {
            StandardError.print("error: '\(path)' exists; pass --force to overwrite it, or name another file")
            throw ExitCode(2)
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(Self.template.utf8)) else {
            StandardError.print("error: cannot write '\(path)'")
            throw ExitCode(2)
        }
        print("wrote \(path); run it with: analyze run \(path)")
    }

    static let template = """
        # An AnalyticsKit pipeline. Check it with `analyze validate`, run it with `analyze run`.
        version: 1
        name: starter

        # Where documents come from: a file, a directory (read recursively), a glob, or "-" for stdin.
        # Relative paths are relative to this file. For JSONL, JSON, CSV or TSV, set format and text_field.
        input:
          path: docs
          format: auto          # auto | text | jsonl | json | csv | tsv
          extensions: [txt, md] # files read from a directory (add jsonl, json, csv, tsv to read those)
          # text_field: text    # JSONL field / CSV column holding the text
          # id_field: id

        # Where results go: "-" is standard output.
        output:
          path: "-"
          format: jsonl         # jsonl | json | csv | table | html

        # summary: out/summary.json   # corpus aggregates as JSON
        jobs: auto                    # worker threads: auto (one per core) or a number
        # max_document_bytes: auto    # larger documents get an error record (auto: memory / 80)

        # Each stage has an id (its key in the results), a type (see `analyze plugins`),
        # options under `with`, and the ids it `needs`.
        stages:
          - id: terms
            type: frequency
            with:
              ngrams: [1, 2]
              top: 10
              stopwords: english

        """
}
