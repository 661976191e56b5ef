/// The stages of a pipeline as a validated directed acyclic graph, sorted into topological levels.
///
/// Stages in one level need nothing from each other and may run concurrently; a level runs after
/// every level before it. Stages keep their declaration order, which is also their order in output.
public struct StageGraph: Sendable {
    /// The stages in declaration order.
    public let stages: [AnyStage]
    /// Indices into `stages`, level by level; within a level in declaration order.
    public let levels: [[Int]]
    /// For each stage, the indices of the stages it needs.
    public let dependencies: [[Int]]

    /// Validates and sorts `stages`. `locations` (one per stage, optional) point errors at the YAML:
    /// duplicate ids, needs naming no stage, and cycles (the error lists the cycle).
    public init(stages: [AnyStage], locations: [StageLocation?] = []) throws(PipelineError) {
        func location(_ k: Int) -> StageLocation? { k < locations.count ? locations[k] : nil }
        var diagnostics: [PipelineDiagnostic] = []
        var indexOfID: [String: Int] = [:]
        for (k, stage) in stages.enumerated() {
            if let first = indexOfID[stage.id] {
                let firstAt = location(first)?.stage.map { " (first declared at \($0.line):\($0.column))" } ?? ""
                diagnostics.append(PipelineDiagnostic(
                    "duplicate stage id '\(stage.id)'\(firstAt); give each stage a unique id", at: location(k)?.id ?? location(k)?.stage))
            } else {
                indexOfID[stage.id] = k
            }
        }
        let ids = stages.map(\.id)
        var dependencies: [[Int]] = []
        for (k, stage) in stages.enumerated() {
            var needs: [Int] = []
            for (n, need) in stage.configuration.needs.enumerated() {
                if let index = indexOfID[need] {
                    if !needs.contains(index) { needs.append(index) }
                } else {
                    let at = location(k).flatMap { n < $0.needs.count ? $0.needs[n] : $0.stage }
                    diagnostics.append(PipelineDiagnostic(
                        "stage '\(stage.id)' needs '\(need)', which is not a stage in this pipeline\(Suggestion.didYouMean(need, in: ids.filter { $0 != stage.id })); stages: \(ids.joined(separator: ", "))",
                        at: at))
                }
            }
            dependencies.append(needs)
        }
        if diagnostics.isEmpty, let cycle = Self.findCycle(dependencies) {
            let path = (cycle + [cycle[0]]).map { stages[$0].id }.joined(separator: " -> ")
            diagnostics.append(PipelineDiagnostic(
                "the stages' needs form a cycle: \(path) (each needs the next); remove one of these needs", at: location(cycle[0])?.stage))
        }
        guard diagnostics.isEmpty else { throw PipelineError(diagnostics) }
        self.stages = stages
        self.dependencies = dependencies
        self.levels = Self.levels(dependencies)
    }

    /// A cycle as stage indices, each needing the next, if there is one.
    private static func findCycle(_ dependencies: [[Int]]) -> [Int]? {
        enum Mark { case unvisited, active, done }
        var marks = Array(repeating: Mark.unvisited, count: dependencies.count)
        var stack: [Int] = []
        func visit(_ k: Int) -> [Int]? {
            marks[k] = .active
            stack.append(k)
            for d in dependencies[k] {
                switch marks[d] {
                case .active: return Array(stack[stack.firstIndex(of: d)!...])
                case .unvisited: if let cycle = visit(d) { return cycle }
                case .done: break
                }
            }
            stack.removeLast()
            marks[k] = .done
            return nil
        }
        for k in dependencies.indices where marks[k] == .unvisited {
            if let cycle = visit(k) { return cycle }
        }
        return nil
    }

    private static func levels(_ dependencies: [[Int]]) -> [[Int]] {
        var level = Array(repeating: -1, count: dependencies.count)
        func depth(_ k: Int) -> Int {
            if level[k] >= 0 { return level[k] }
            let d = dependencies[k].map { depth($0) + 1 }.max() ?? 0
            level[k] = d
            return d
        }
        for k in dependencies.indices { _ = depth(k) }
        let count = (level.max() ?? -1) + 1
        return (0..<count).map { l in dependencies.indices.filter { level[$0] == l } }
    }

    // MARK: Drawing

    /// The graph as a Mermaid flowchart.
    public func mermaid() -> String {
        var lines = ["flowchart LR"]
        for stage in stages {
            lines.append("    \(Self.nodeName(stage.id))[\"\(stage.id)<br/><i>\(stage.configuration.typeName)</i>\"]")
        }
        for (k, needs) in dependencies.enumerated() {
            for d in needs { lines.append("    \(Self.nodeName(stages[d].id)) --> \(Self.nodeName(stages[k].id))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The graph in Graphviz DOT.
    public func dot() -> String {
        var lines = ["digraph pipeline {", "    rankdir=LR;", "    node [shape=box];"]
        for stage in stages {
            lines.append("    \"\(stage.id)\" [label=\"\(stage.id)\\n(\(stage.configuration.typeName))\"];")
        }
        for (k, needs) in dependencies.enumerated() {
            for d in needs { lines.append("    \"\(stages[d].id)\" -> \"\(stages[k].id)\";") }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func nodeName(_ id: String) -> String {
        "s_" + String(id.unicodeScalars.map { $0.properties.isAlphabetic || ("0"..."9").contains($0) ? Character($0) : "_" })
    }
}

/// Where one stage and its parts were declared, so graph errors can point at them.
public struct StageLocation: Sendable {
    /// The stage's mapping.
    public let stage: SourceLocation?
    /// The `id` value.
    public let id: SourceLocation?
    /// Each entry of `needs`, in order.
    public let needs: [SourceLocation?]

    /// Creates a location record.
    public init(stage: SourceLocation?, id: SourceLocation?, needs: [SourceLocation?]) {
        self.stage = stage
        self.id = id
        self.needs = needs
    }
}
