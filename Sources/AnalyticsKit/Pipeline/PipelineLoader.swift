import Foundation
internal import Yams

/// Reads a pipeline YAML file into a validated `Pipeline`, pointing every problem at its line and column.
///
/// The YAML is read through Yams' node tree (not `Decodable`), because only the nodes carry marks.
/// Every problem found is reported at once, in file order, as a `PipelineError`. Anchors and aliases
/// are allowed; a document that expands to more than `maxNodes` nodes (the "billion laughs" attack) is
/// refused before anything walks it.
public struct PipelineLoader: Sendable {
    /// The stage types the pipeline may use.
    public let registry: PluginRegistry
    /// The most YAML nodes a pipeline may expand to, aliases counted at every use.
    public static let maxNodes = 10_000

    static let topLevelKeys = ["version", "name", "description", "plugins", "input", "output", "summary", "jobs",
                               "parallel_stages_min_bytes", "max_document_bytes", "stages"]
    static let inputKeys = ["path", "format", "text_field", "id_field", "extensions"]
    static let outputKeys = ["path", "format"]
    static let stageKeys = ["id", "type", "needs", "with", "description"]

    /// Creates a loader for the types in `registry`.
    public init(registry: PluginRegistry) {
        self.registry = registry
    }

    /// Loads the pipeline in `path`. Relative paths inside it are resolved against its directory.
    /// - Throws: `PipelineError`.
    public func load(file path: String) throws -> Pipeline {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let reason = !exists ? "no such file" : isDirectory.boolValue ? "it is a directory; give a pipeline's .yml file" : "not readable"
            throw PipelineError("cannot read pipeline file '\(path)': \(reason)", at: nil)
        }
        guard let yaml = String(data: data, encoding: .utf8) else {
            throw PipelineError("pipeline file is not UTF-8 text", at: SourceLocation(file: path, line: 1, column: 1))
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try load(yaml: yaml, file: path, baseDirectory: directory)
    }

    /// Loads a pipeline from YAML text; `file` names it in errors, `baseDirectory` anchors relative paths.
    /// - Throws: `PipelineError`.
    public func load(yaml: String, file: String, baseDirectory: String) throws -> Pipeline {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw PipelineError("the pipeline is empty; `analyze init` writes a starter pipeline",
                                    at: SourceLocation(file: file, line: 1, column: 1))
            }
            root = node
        } catch let error as PipelineError {
            throw error
        } catch let error as YamlError {
            throw Self.diagnose(error, file: file)
        } catch {
            throw PipelineError("cannot parse YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
        var budget = Self.maxNodes
        if let overflow = Self.exceedsBudget(root, &budget) {
            throw PipelineError(
                "the YAML expands to more than \(Self.maxNodes) nodes (aliases nested inside aliases?); refusing to load it",
                at: overflow.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) })
        }
        var reader = PipelineReader(file: file, baseDirectory: baseDirectory, registry: registry)
        return try reader.read(root)
    }

    /// Returns the node at which the budget ran out, if it did.
    private static func exceedsBudget(_ node: Node, _ budget: inout Int) -> Node? {
        budget -= 1
        if budget < 0 { return node }
        switch node {
        case .mapping(let mapping):
            for pair in mapping {
                if let over = exceedsBudget(pair.key, &budget) ?? exceedsBudget(pair.value, &budget) { return over }
            }
        case .sequence(let sequence):
            for element in sequence {
                if let over = exceedsBudget(element, &budget) { return over }
            }
        default:
            break
        }
        return nil
    }

    /// The text's lines as Unicode scalars, as LibYAML counts columns ("\r\n" is two of them, where it
    /// is one `Character`, which kept a CRLF file from splitting into lines at all).
    private static func lines(of yaml: String) -> [[Unicode.Scalar]] {
        yaml.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
    }

    /// The scalar at a LibYAML mark (line and column counted from 1).
    private static func scalar(in yaml: String, at mark: Mark) -> Unicode.Scalar? {
        let lines = lines(of: yaml)
        guard mark.line >= 1, mark.column >= 1, mark.line <= lines.count, mark.column <= lines[mark.line - 1].count else { return nil }
        return lines[mark.line - 1][mark.column - 1]
    }

    /// Where a key of a block mapping, first at `first`, is given again: the next line that has it at the
    /// same column, before a line that starts left of that column (which ends the mapping). Nil for a
    /// key in a flow mapping (`{ a: 1, a: 2 }`) or one not found so.
    private static func repeatedKey(_ key: String, after first: Mark, in yaml: String) -> (line: Int, column: Int)? {
        let lines = lines(of: yaml)
        let column = first.column - 1
        guard first.line >= 1, first.line <= lines.count, column >= 0, column <= lines[first.line - 1].count,
              lines[first.line - 1][..<column].allSatisfy({ $0 == " " || $0 == "-" }) else { return nil }
        let spellings = [key, "\"\(key)\"", "'\(key)'"].map { Array($0.unicodeScalars) }
        for index in first.line..<lines.count {
            let line = lines[index]
            guard let indent = line.firstIndex(where: { $0 != " " }), line[indent] != "#", line[indent] != "\r" else { continue }
            if indent < column { return nil }
            guard indent == column else { continue }
            for spelling in spellings where line[indent...].starts(with: spelling) {
                // The key, then spaces and a colon that ends the key: `version:`, not `versions:`.
                let rest = line[(indent + spelling.count)...].drop { $0 == " " }
                if rest.first == ":" && (rest.count == 1 || rest.dropFirst().first == " " || rest.dropFirst().first == "\r") {
                    return (index + 1, first.column)
                }
            }
        }
        return nil
    }

    private static func diagnose(_ error: YamlError, file: String) -> PipelineError {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case let .scanner(context, problem, mark, yaml), let .parser(context, problem, mark, yaml), let .composer(context, problem, mark, yaml):
            let prefix = context.map { "\($0.text) " } ?? ""
            // LibYAML reads a tab where indentation belongs as a character that starts no token.
            let tab = scalar(in: yaml, at: mark) == "\t" ? "; YAML indents with spaces, not tabs" : ""
            return PipelineError("malformed YAML: \(prefix)\(problem)\(tab)", at: at(mark))
        case let .duplicatedKeysInMapping(duplicates, context):
            // Yams marks the first use of the first key (in sorted order); the repeat is found in the text.
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            let first = context.mark
            guard let key = duplicates.first, let repeated = repeatedKey(key, after: first, in: context.text) else {
                return PipelineError("\(keys) \(duplicates.count == 1 ? "is" : "are") given more than once in this mapping (first here); give each key once",
                                     at: at(first))
            }
            let given = duplicates.count == 1 ? "'\(key)' is given again here" : "\(keys) are given more than once in this mapping, '\(key)' again here"
            return PipelineError("\(given) (first at \(first.line):\(first.column)); give each key once",
                                 at: SourceLocation(file: file, line: repeated.line, column: repeated.column))
        case let .reader(problem, _, _, _):
            return PipelineError("malformed YAML: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
        default:
            return PipelineError("malformed YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}

/// Walks the YAML node tree once, collecting the pipeline and every problem in it.
private struct PipelineReader {
    let file: String
    let baseDirectory: String
    let registry: PluginRegistry
    var diagnostics: [PipelineDiagnostic] = []

    init(file: String, baseDirectory: String, registry: PluginRegistry) {
        self.file = file
        self.baseDirectory = baseDirectory
        self.registry = registry
    }

    mutating func read(_ root: Node) throws -> Pipeline {
        guard let top = pairs(root, what: "the pipeline") else { throw PipelineError(diagnostics) }
        checkKeys(top, allowed: PipelineLoader.topLevelKeys, in: "the pipeline")

        if let version = top.first(where: { $0.key == "version" }) {
            if wholeNumber(version.value) != 1 {
                if version.value.string == "1" {
                    error("'version' is the text \"1\"; write version: 1, a number without quotes", version.value)
                } else {
                    error("unsupported version '\(version.value.string ?? "?")'; this analyze reads 'version: 1'", version.value)
                }
            }
        } else {
            error("missing 'version: 1' at the top of the pipeline", root)
        }
        // Plugin libraries first: the stages below may use their types.
        if let plugins = top.first(where: { $0.key == "plugins" })?.value, let paths = strings(plugins, "plugins") {
            let items: [Node]
            if case .sequence(let s) = plugins { items = Array(s) } else { items = [plugins] }
            for (path, node) in zip(paths, items) {
                do {
                    try NativePlugins.load(StageOptions.resolve(path, against: baseDirectory), into: registry)
                } catch {
                    self.error("\(error)", node)
                }
            }
        }
        var input: InputSpec?
        var output = OutputSpec()
        var name: String?
        var summary: String?
        var jobs: Int?
        var threshold = Pipeline.defaultParallelStagesMinBytes
        var maxDocumentBytes: Int?
        var stageNode: Node?
        for (key, _, value) in top {
            switch key {
            case "name": name = string(value, "name")
            case "input": input = readInput(value)
            case "output": output = readOutput(value)
            case "summary": summary = string(value, "summary").map { StageOptions.resolve($0, against: baseDirectory) }
            case "jobs":
                if value.string == "auto" { jobs = nil } else if let n = wholeNumber(value), n >= 1, n <= Executor.maxJobs { jobs = n } else {
                    error("'jobs' must be 'auto' or a whole number from 1 to \(Executor.maxJobs)", value)
                }
            case "parallel_stages_min_bytes":
                if let n = wholeNumber(value), n >= 0 { threshold = n } else {
                    error("'parallel_stages_min_bytes' must be a whole number of bytes, 0 or more", value)
                }
            case "max_document_bytes":
                if value.string == "auto" { maxDocumentBytes = nil } else if let n = wholeNumber(value), n >= 1, n <= Executor.largestDocumentBytes {
                    maxDocumentBytes = n
                } else {
                    error("'max_document_bytes' must be 'auto' or a whole number of bytes from 1 to \(Executor.largestDocumentBytes)", value)
                }
            case "stages": stageNode = value
            default: break
            }
        }
        var stages: [AnyStage] = []
        var locations: [StageLocation?] = []
        if let stageNode {
            (stages, locations) = readStages(stageNode)
        } else {
            error("missing 'stages:'; a pipeline needs at least one stage (see `analyze plugins` for the types)", root)
        }
        guard diagnostics.isEmpty else { throw PipelineError(diagnostics) }
        let graph = try StageGraph(stages: stages, locations: locations)
        return Pipeline(graph: graph, input: input, output: output, name: name, summaryPath: summary, jobs: jobs,
                        parallelStagesMinBytes: threshold, maxDocumentBytes: maxDocumentBytes)
    }

    // MARK: Sections

    private mutating func readInput(_ node: Node) -> InputSpec? {
        if let path = node.string, case .scalar = node {
            return InputSpec(path: StageOptions.resolve(path, against: baseDirectory))
        }
        guard let fields = pairs(node, what: "'input'") else { return nil }
        checkKeys(fields, allowed: PipelineLoader.inputKeys, in: "'input'")
        guard let pathNode = fields.first(where: { $0.key == "path" })?.value, let path = string(pathNode, "input.path") else {
            error("'input' needs a 'path': a file, a directory, a glob or '-' for standard input", node)
            return nil
        }
        var spec = InputSpec(path: StageOptions.resolve(path, against: baseDirectory))
        for (key, _, value) in fields {
            switch key {
            case "format":
                if let format = choice(value, InputFormat.self, "input.format") { spec.format = format }
            case "text_field": if let s = string(value, "input.text_field") { spec.textField = s }
            case "id_field": if let s = string(value, "input.id_field") { spec.idField = s }
            case "extensions":
                if let list = strings(value, "input.extensions") {
                    spec.extensions = list.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }
                }
            default: break
            }
        }
        return spec
    }

    private mutating func readOutput(_ node: Node) -> OutputSpec {
        guard let fields = pairs(node, what: "'output'") else { return OutputSpec() }
        checkKeys(fields, allowed: PipelineLoader.outputKeys, in: "'output'")
        var spec = OutputSpec()
        var explicitFormat = false
        for (key, _, value) in fields {
            switch key {
            case "path": if let s = string(value, "output.path") { spec.path = StageOptions.resolve(s, against: baseDirectory) }
            case "format":
                if let format = choice(value, OutputFormat.self, "output.format") {
                    spec.format = format
                    explicitFormat = true
                }
            default: break
            }
        }
        if !explicitFormat, let guessed = OutputFormat.guess(fromPath: spec.path) { spec.format = guessed }
        return spec
    }

    private mutating func readStages(_ node: Node) -> ([AnyStage], [StageLocation?]) {
        guard case .sequence(let sequence) = node else {
            error("'stages' must be a list of stages, each with an 'id' and a 'type'", node)
            return ([], [])
        }
        if sequence.isEmpty { error("'stages' is empty; a pipeline needs at least one stage", node) }
        // Each stage's YAML is read first; the stages are made afterwards (`makeSideBySide`).
        var declared: [(configuration: StageConfiguration, factory: StageFactory, element: Node, location: StageLocation, optionNodes: [String: Node])] = []
        for element in sequence {
            guard let fields = pairs(element, what: "a stage") else { continue }
            checkKeys(fields, allowed: PipelineLoader.stageKeys, in: "a stage")
            let idNode = fields.first { $0.key == "id" }?.value
            let typeNode = fields.first { $0.key == "type" }?.value
            guard let idNode, let id = string(idNode, "id") else {
                error("a stage needs an 'id' (a name for its results, unique in the pipeline)", element)
                continue
            }
            if id.isEmpty || !id.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }) {
                error("stage id '\(id)' may hold only letters, digits, '_' and '-'", idNode)
            }
            guard let typeNode, let type = string(typeNode, "type") else {
                error("stage '\(id)' needs a 'type'; known types: \(registry.typeNames.joined(separator: ", "))", element)
                continue
            }
            guard let factory = registry.factory(for: type) else {
                error("unknown stage type '\(type)'\(Suggestion.didYouMean(type, in: registry.typeNames)); known types: \(registry.typeNames.joined(separator: ", "))", typeNode)
                continue
            }
            var needs: [String] = []
            var needLocations: [SourceLocation?] = []
            if let needsNode = fields.first(where: { $0.key == "needs" })?.value {
                let items: [Node]
                if case .sequence(let s) = needsNode { items = Array(s) } else { items = [needsNode] }
                for item in items {
                    if let need = string(item, "needs") {
                        needs.append(need)
                        needLocations.append(location(item))
                    }
                }
            }
            var optionNodes: [String: Node] = [:]
            let options = readOptions(fields.first { $0.key == "with" }?.value, factory: factory, stage: id, nodes: &optionNodes)
            let configuration = StageConfiguration(id: id, typeName: type, needs: needs, options: options)
            declared.append((configuration, factory, element, StageLocation(stage: location(element), id: location(idNode), needs: needLocations), optionNodes))
        }
        var stages: [AnyStage] = []
        var locations: [StageLocation?] = []
        let made = Self.makeSideBySide(declared.map { ($0.factory, $0.configuration) })
        for (declaration, result) in zip(declared, made) {
            let (id, type) = (declaration.configuration.id, declaration.configuration.typeName)
            switch result {
            case .success(let stage):
                stages.append(stage)
                locations.append(declaration.location)
            case .failure(let optionError as OptionError):
                error("stage '\(id)': \(optionError)", declaration.optionNodes[optionError.option] ?? declaration.element)
            case .failure(let failure):
                error("stage '\(id)' (\(type)) cannot be set up: \(failure)", declaration.element)
            }
        }
        return (stages, locations)
    }

    /// Makes each stage with its factory, all at once on Dispatch's threads (factories are `@Sendable`):
    /// a stage's tables are built when its first instance is made (the sentiment lexicon, CMUdict's
    /// syllables), and built one after another they were most of `analyze run`'s start-up. Results
    /// come back in the order given.
    private static func makeSideBySide(_ stages: [(StageFactory, StageConfiguration)]) -> [Result<AnyStage, any Error>] {
        var results = [Result<AnyStage, any Error>?](repeating: nil, count: stages.count)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each iteration writes only its own slot, and the buffer outlives `concurrentPerform`.
            nonisolated(unsafe) let slots = buffer
            let make: @Sendable (Int) -> Void = { k in
                let (factory, configuration) = stages[k]
                slots[k] = Result { try factory.make(configuration) }
            }
            if stages.count == 1 { make(0) } else { DispatchQueue.concurrentPerform(iterations: stages.count, execute: make) }
        }
        return results.map { $0! }
    }

    private mutating func readOptions(_ node: Node?, factory: StageFactory, stage: String, nodes: inout [String: Node]) -> StageOptions {
        var values: [String: OptionValue] = [:]
        for spec in factory.options { values[spec.name] = spec.defaultValue }
        if let node, let fields = pairs(node, what: "'with'") {
            let names = factory.options.map(\.name)
            for (key, keyNode, value) in fields {
                guard let spec = factory.options.first(where: { $0.name == key }) else {
                    let valid = names.isEmpty ? "it takes no options" : "valid options: \(names.joined(separator: ", "))"
                    error("unknown option '\(key)' for stage '\(stage)' (\(factory.typeName))\(Suggestion.didYouMean(key, in: names)); \(valid)", keyNode)
                    continue
                }
                nodes[key] = value
                if let parsed = optionValue(value, spec, stage: stage) { values[key] = parsed }
            }
        }
        return StageOptions(values, baseDirectory: baseDirectory)
    }

    private mutating func optionValue(_ node: Node, _ spec: OptionSpec, stage: String) -> OptionValue? {
        func wrong() -> OptionValue? {
            let shown = node.string.map { "'\($0)'" } ?? "a \(kind(node))"
            error("option '\(spec.name)' of stage '\(stage)' must be \(spec.type.expectation), not \(shown)", node)
            return nil
        }
        let isScalar: Bool
        if case .scalar = node { isScalar = true } else { isScalar = false }
        switch spec.type {
        case .bool: return isScalar ? node.bool.map(OptionValue.bool) ?? wrong() : wrong()
        case .int: return wholeNumber(node).map(OptionValue.int) ?? wrong()
        case .double: return number(node).map(OptionValue.double) ?? wrong()
        case .string, .path: return isScalar ? node.string.map(OptionValue.string) ?? wrong() : wrong()
        case .choice(let allowed):
            guard isScalar, let s = node.string else { return wrong() }
            if allowed.contains(s) { return .string(s) }
            error("option '\(spec.name)' of stage '\(stage)' must be one of \(allowed.joined(separator: ", ")), not '\(s)'\(Suggestion.didYouMean(s, in: allowed))", node)
            return nil
        case .ints:
            if isScalar { return wholeNumber(node).map { .ints([$0]) } ?? wrong() }
            guard case .sequence(let s) = node else { return wrong() }
            var list: [Int] = []
            for item in s {
                guard let n = wholeNumber(item) else {
                    error("option '\(spec.name)' of stage '\(stage)' must be a list of whole numbers; '\(item.string ?? kind(item))' is not one", item)
                    return nil
                }
                list.append(n)
            }
            return .ints(list)
        case .strings:
            return strings(node, "option '\(spec.name)'").map(OptionValue.strings)
        }
    }

    // MARK: Node helpers

    private func location(_ node: Node) -> SourceLocation? {
        node.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
    }

    private mutating func error(_ message: String, _ node: Node) {
        diagnostics.append(PipelineDiagnostic(message, at: location(node)))
    }

    /// Whether Yams may be asked for `node`'s number: a scalar without a colon. Yams also reads YAML
    /// 1.1's base-60 form (`1:30` is 90, a surprise in a pipeline) and traps when that form overflows
    /// on the way (`1:1:1:1:1:1:1:1:1:1:1:1`, found by fuzzing), so such a scalar is no number here.
    private func mayBeNumber(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return !scalar.string.contains(":")
    }

    /// A scalar's whole number, as YAML writes one (`12`, `-3`, `1_000`, `0x1F`), or nil.
    private func wholeNumber(_ node: Node) -> Int? {
        mayBeNumber(node) ? node.int : nil
    }

    /// A scalar's number, whole or decimal (`3`, `2.5`, `1e3`), or nil.
    private func number(_ node: Node) -> Double? {
        mayBeNumber(node) ? node.int.map(Double.init) ?? node.float : nil
    }

    private func kind(_ node: Node) -> String {
        switch node {
        case .scalar: return "value"
        case .mapping: return "mapping"
        case .sequence: return "list"
        case .alias: return "alias"
        }
    }

    /// The key-value pairs of a mapping with string keys; a duplicate key is an error.
    private mutating func pairs(_ node: Node, what: String) -> [(key: String, keyNode: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            error("\(what) must be a mapping of keys to values, not a \(kind(node))", node)
            return nil
        }
        var result: [(key: String, keyNode: Node, value: Node)] = []
        for pair in mapping {
            guard case .scalar = pair.key, let key = pair.key.string else {
                error("keys in \(what) must be plain names", pair.key)
                continue
            }
            if result.contains(where: { $0.key == key }) {
                error("'\(key)' appears twice in \(what)", pair.key)
                continue
            }
            result.append((key, pair.key, pair.value))
        }
        return result
    }

    private mutating func checkKeys(_ fields: [(key: String, keyNode: Node, value: Node)], allowed: [String], in what: String) {
        for field in fields where !allowed.contains(field.key) {
            error("unknown key '\(field.key)' in \(what)\(Suggestion.didYouMean(field.key, in: allowed)); valid keys: \(allowed.joined(separator: ", "))", field.keyNode)
        }
    }

    private mutating func string(_ node: Node, _ what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error("'\(what)' must be a single value, not a \(kind(node))", node)
            return nil
        }
        return scalar.string
    }

    private mutating func strings(_ node: Node, _ what: String) -> [String]? {
        if case .scalar(let scalar) = node { return [scalar.string] }
        guard case .sequence(let sequence) = node else {
            error("\(what) must be a list of values, not a \(kind(node))", node)
            return nil
        }
        var list: [String] = []
        for item in sequence {
            guard let s = string(item, what) else { return nil }
            list.append(s)
        }
        return list
    }

    private mutating func choice<E: RawRepresentable & CaseIterable>(_ node: Node, _ type: E.Type, _ what: String) -> E? where E.RawValue == String {
        guard let s = string(node, what) else { return nil }
        if let value = E(rawValue: s) { return value }
        let allowed = E.allCases.map(\.rawValue)
        error("'\(what)' must be one of \(allowed.joined(separator: ", ")), not '\(s)'\(Suggestion.didYouMean(s, in: allowed))", node)
        return nil
    }
}
