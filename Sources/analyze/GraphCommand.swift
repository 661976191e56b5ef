import AnalyticsKit
import ArgumentParser

/// `analyze graph`: draws a pipeline's stage graph.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print a pipeline's stage graph as Mermaid or Graphviz DOT."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case mermaid, dot
    }

    @Argument(help: "The pipeline YAML file.", completion: .file(extensions: ["yml", "yaml"]))
    var pipeline: String

    @OptionGroup var plugins: PluginOptions

    @Option(name: .shortAndLong, help: "mermaid (paste into Markdown) or dot (pipe into Graphviz).")
    var format: Format = .mermaid

    func run() throws {
        let graph = try loadPipelineOrExit(pipeline, registry: BuiltinPlugins.registry(adding: plugins.paths)).graph
        print(format == .mermaid ? graph.mermaid() : graph.dot(), terminator: "")
    }
}
