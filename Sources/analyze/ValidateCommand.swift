import AnalyticsKit
import ArgumentParser

/// `analyze validate`: checks pipelines without running them.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check pipeline files: YAML, keys, stage types, options, needs and cycles.",
        discussion: "Prints 'ok' per valid file; problems go to stderr as file:line:column: error: message. Exit 2 if any is invalid."
    )

    @Argument(help: "One or more pipeline YAML files.", completion: .file(extensions: ["yml", "yaml"]))
    var pipelines: [String]

    @OptionGroup var plugins: PluginOptions

    func run() throws {
        let loader = PipelineLoader(registry: try BuiltinPlugins.registry(adding: plugins.paths))
        var invalid = 0
        for path in pipelines {
            do {
                let pipeline = try loader.load(file: path)
                print("ok: \(path) (\(pipeline.graph.stages.count) stage(s) in \(pipeline.graph.levels.count) level(s))")
            } catch let error as PipelineError {
                StandardError.print(error.description)
                invalid += 1
            }
        }
        if invalid > 0 { throw ExitCode(2) }
    }
}
