/// A place in a pipeline file: the file and the 1-based line and column of a YAML node.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The pipeline file as the user named it.
    public let file: String
    /// 1-based line.
    public let line: Int
    /// 1-based column, in Unicode scalars.
    public let column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem found in a pipeline, with where it is and what to do about it.
public struct PipelineDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is; nil for a pipeline built in code.
    public let location: SourceLocation?
    /// What is wrong, and how to fix it.
    public let message: String

    /// Creates a diagnostic.
    public init(_ message: String, at location: SourceLocation?) {
        self.location = location
        self.message = message
    }

    /// `file:line:column: error: message`, the form editors and compilers use.
    public var description: String {
        guard let location else { return "error: \(message)" }
        return "\(location): error: \(message)"
    }
}

/// A pipeline that cannot run: every problem found, in file order.
public struct PipelineError: Error, Sendable, CustomStringConvertible {
    /// The problems.
    public let diagnostics: [PipelineDiagnostic]

    /// Creates an error from one or more diagnostics.
    public init(_ diagnostics: [PipelineDiagnostic]) {
        self.diagnostics = diagnostics
    }

    /// Creates an error from one problem.
    public init(_ message: String, at location: SourceLocation? = nil) {
        self.diagnostics = [PipelineDiagnostic(message, at: location)]
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Suggestions for misspelt names.
enum Suggestion {
    /// The candidate closest to `name` by edit distance, when it is close enough to be a likely typo.
    static func closest(to name: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(name.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }) else { return nil }
        return best.1 <= max(2, name.count / 3) ? best.0 : nil
    }

    /// " (did you mean 'x'?)" or "".
    static func didYouMean(_ name: String, in candidates: [String]) -> String {
        closest(to: name, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
