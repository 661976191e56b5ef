import AnalyticsKit
import ArgumentParser

/// `analyze plugins`: lists every stage type with its options.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List every stage type with its options, their types, defaults and docs."
    )

    @OptionGroup var plugins: PluginOptions

    func run() throws {
        var lines: [String] = []
        for factory in try BuiltinPlugins.registry(adding: plugins.paths).allFactories {
            lines.append("\(factory.typeName)  (\(factory.origin))")
            lines.append("  \(factory.summary)")
            if factory.options.isEmpty { lines.append("  no options") }
            for option in factory.options {
                let value = option.defaultValue.map { " = \($0)" } ?? ""
                lines.append("  \(option.name): \(option.type)\(value)")
                lines.append("      \(option.doc)")
            }
            lines.append("")
        }
        print(lines.joined(separator: "\n"), terminator: "")
    }
}
