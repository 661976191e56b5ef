import Foundation

/// A stage run by an external command that speaks JSON lines: a plugin in any language.
///
/// The protocol (docs/plugins.md has a message-by-message example): the command first prints a
/// handshake `{"name", "version", "options": [names]}`; then for each document the engine writes
/// `{"id", "text", "needs": {stage id: output}, "options": {...}}` and the command answers with one
/// line `{"id", "output": {...}}` or `{"id", "error": "..."}`. The engine keeps one long-lived process
/// per worker, starts a new one when one dies, gives each document `timeout` seconds, and turns a bad
/// answer (not JSON, another id, too long) into that document's error record; the process that gave it
/// is replaced, and other documents go on.
public struct ProcessStage: Stage {
    public let configuration: StageConfiguration
    let pool: PluginProcessPool
    let pluginOptions: JSONValue

    /// The factory registered as `process`.
    public static let factory = StageFactory(
        typeName: "process",
        summary: "runs an external command that speaks JSON lines (a stage written in any language)",
        options: [
            OptionSpec("command", .strings, doc: "the command and its arguments, e.g. [python3, my_stage.py]; run from the pipeline's directory"),
            OptionSpec("options", .strings, default: .strings([]), doc: "key=value options passed to the plugin; the names must be in its handshake"),
            OptionSpec("timeout", .double, default: .double(30), doc: "seconds a document may take before the process is replaced and the document gets an error"),
            OptionSpec("max_response_bytes", .int, default: .int(16 << 20), doc: "longest response line accepted"),
        ],
        make: { try ProcessStage(configuration: $0) }
    )

    /// Builds the stage and starts one process to check its handshake and options.
    public init(configuration: StageConfiguration) throws {
        self.configuration = configuration
        let options = configuration.options
        guard let command = options.strings("command"), !command.isEmpty else {
            throw OptionError(option: "command", "a process stage needs `command: [program, arguments...]`")
        }
        let timeout = options.double("timeout") ?? 30
        guard timeout > 0 else { throw OptionError(option: "timeout", "must be more than 0 seconds") }
        let maxLine = options.int("max_response_bytes") ?? 16 << 20
        guard maxLine >= 1 else { throw OptionError(option: "max_response_bytes", "must be at least 1 byte, not \(maxLine)") }
        pool = PluginProcessPool(command: command, directory: options.baseDirectory, timeout: timeout, maxLine: maxLine)
        let handshake: PluginProcess.Handshake
        do {
            handshake = try pool.probe()
        } catch {
            throw OptionError(option: "command", "\(error)")
        }
        var fields: [JSONField] = []
        for pair in options.strings("options") ?? [] {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw OptionError(option: "options", "'\(pair)' is not key=value") }
            guard handshake.options.contains(parts[0]) else {
                throw OptionError(option: "options", "plugin '\(handshake.name)' has no option '\(parts[0])'; its options: \(handshake.options.joined(separator: ", "))")
            }
            fields.append(JSONField(parts[0], .string(parts[1])))
        }
        pluginOptions = .object(fields)
    }

    public func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> JSONValue {
        var needs: [JSONField] = []
        for id in configuration.needs {
            if let output = upstream.output(of: id, as: (any Encodable).self) {
                needs.append(JSONField(id, try JSONValueEncoder().encode(output)))
            }
        }
        var request: [UInt8] = []
        JSONValue.object([
            JSONField("id", .string(document.id)), JSONField("text", .string(document.text)),
            JSONField("needs", .object(needs)), JSONField("options", pluginOptions),
        ]).write(to: &request)
        let response = try pool.exchange(request) { line in
            let response: JSONValue
            do {
                response = try JSONParser.parse(line)
            } catch {
                throw ProcessStageError("the plugin's response is not JSON: \(error)")
            }
            guard response["id"]?.stringValue == document.id else {
                throw ProcessStageError("the plugin answered for id \(response["id"].map { $0.jsonText } ?? "none"), not \"\(document.id)\"")
            }
            return response
        }
        if let message = response["error"] { throw ProcessStageError("the plugin reported: \(message.stringValue ?? message.jsonText)") }
        guard let output = response["output"] else { throw ProcessStageError("the plugin's response has neither \"output\" nor \"error\"") }
        return output
    }
}

/// Plugin processes shared by the workers: one is checked out per document, so there are as many
/// processes as documents in flight, each long-lived. Shared mutable state, guarded by one lock.
final class PluginProcessPool: @unchecked Sendable {
    private let command: [String]
    private let directory: String
    private let timeout: Double
    private let maxLine: Int
    private let lock = NSLock()
    private var idle: [PluginProcess] = []
    init(command: [String], directory: String, timeout: Double, maxLine: Int) {
        self.command = command
        self.directory = directory
        self.timeout = timeout
        self.maxLine = maxLine
    }

    /// Starts a process, reads its handshake, and keeps it for the first document.
    func probe() throws -> PluginProcess.Handshake {
        let process = try PluginProcess(command: command, directory: directory, timeout: timeout, maxLine: maxLine)
        lock.withLock { idle.append(process) }
        return process.handshake
    }

    /// Sends one request on a free process (starting one if none is free) and returns its answer as
    /// `check` reads it. A process that fails, or whose answer `check` rejects, is stopped and not
    /// reused (it may be out of step); the next request starts a fresh one.
    func exchange(_ request: [UInt8], check: ([UInt8]) throws -> JSONValue) throws -> JSONValue {
        let process = try lock.withLock { idle.popLast() } ?? PluginProcess(command: command, directory: directory, timeout: timeout, maxLine: maxLine)
        do {
            let answer = try check(try process.exchange(request, timeout: timeout, maxLine: maxLine))
            lock.withLock { idle.append(process) }
            return answer
        } catch {
            process.stop()
            throw error
        }
    }

    deinit {
        for process in idle { process.stop() }
    }
}
