import AnalyticsKit
import ArgumentParser
import Foundation
import Quotes
import Readability
import Sentiment

/// The `analyze` command: text analytics pipelines declared in YAML.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Run text analytics pipelines declared in YAML.",
        discussion: """
            Exit codes: 0 every document was analysed; 1 some documents have error records; \
            2 the pipeline, the arguments, the input or the output could not be used; \
            130 a run stopped by Ctrl-C (its records so far are written).
            """,
        version: "0.1.0",
        subcommands: [RunCommand.self, ValidateCommand.self, PluginsCommand.self, GraphCommand.self, InitCommand.self, SyllablesCommand.self]
    )
}

/// The registry `analyze` uses: every stage type built into the binary.
enum BuiltinPlugins {
    static func registry() -> PluginRegistry {
        let registry = PluginRegistry.builtIn()
        try! ReadabilityPlugin.register(into: registry)
        try! SentimentPlugin.register(into: registry)
        try! QuotesPlugin.register(into: registry)
        return registry
    }

    /// The built-in registry plus the plugin libraries named with --plugin; exits with 2 on a bad one.
    static func registry(adding plugins: [String]) throws -> PluginRegistry {
        let registry = registry()
        for path in plugins {
            do {
                try NativePlugins.load(StageOptions.resolve(path, against: FileManager.default.currentDirectoryPath), into: registry)
            } catch {
                StandardError.print("error: \(error)")
                throw ExitCode(2)
            }
        }
        return registry
    }
}

/// `--plugin PATH`, shared by the subcommands that read pipelines or list stage types.
struct PluginOptions: ParsableArguments {
    @Option(name: .customLong("plugin"), help: ArgumentHelp("A stage plugin library (.so) to load; repeat for more.", valueName: "path"))
    var paths: [String] = []
}

/// Writes to standard error.
enum StandardError {
    static func print(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// Loads a pipeline for a subcommand, printing its diagnostics and exiting with 2 when it is invalid.
func loadPipelineOrExit(_ path: String, registry: PluginRegistry) throws -> Pipeline {
    do {
        return try PipelineLoader(registry: registry).load(file: path)
    } catch let error as PipelineError {
        StandardError.print(error.description)
        throw ExitCode(2)
    }
}
