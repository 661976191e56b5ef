import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One running plugin process: JSON lines to its stdin, JSON lines from its stdout.
///
/// A class because it owns a child process and its pipes, which must be shut down exactly once.
/// It is used by one worker at a time (the pool hands it out), so it needs no lock of its own.
final class PluginProcess {
    /// What the plugin said about itself in its first line.
    struct Handshake: Sendable {
        let name: String
        let version: String
        let options: [String]
    }

    private let process = Process()
    private let input: FileHandle
    private let outputFD: Int32
    private var buffer: [UInt8] = []
    let handshake: Handshake

    /// Starts `command` (resolved on PATH) and reads its handshake within `timeout` seconds.
    init(command: [String], directory: String, timeout: Double, maxLine: Int) throws {
        guard let executable = command.first else { throw ProcessStageError("the command is empty") }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.standardError
        do {
            try process.run()
        } catch {
            throw ProcessStageError("cannot start '\(executable)': \(error.localizedDescription)")
        }
        input = stdin.fileHandleForWriting
        outputFD = stdout.fileHandleForReading.fileDescriptor
        let line: [UInt8]
        do {
            line = try Self.readLine(fd: outputFD, buffer: &buffer, timeout: timeout, maxLine: maxLine)
        } catch {
            kill(process.processIdentifier, SIGKILL)
            throw ProcessStageError("'\(executable)' gave no handshake: \(error)")
        }
        guard case .object? = try? JSONParser.parse(line), let json = try? JSONParser.parse(line),
              let name = json["name"]?.stringValue else {
            kill(process.processIdentifier, SIGKILL)
            throw ProcessStageError("'\(executable)' must start by printing a handshake line like {\"name\": \"my_stage\", \"version\": \"1.0\", \"options\": []}")
        }
        handshake = Handshake(name: name, version: json["version"]?.stringValue ?? "",
                              options: json["options"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    deinit { stop() }

    /// Ends the process (it may already have exited). SIGKILL, because a process started from one
    /// that blocks SIGTERM inherits the block, and a hung plugin must not hang the run.
    func stop() {
        try? input.close()
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    var isRunning: Bool { process.isRunning }

    /// Sends one request line and waits for one response line.
    func exchange(_ request: [UInt8], timeout: Double, maxLine: Int) throws -> [UInt8] {
        do {
            try input.write(contentsOf: request + [0x0A])
        } catch {
            throw ProcessStageError("the plugin process is gone (\(process.isRunning ? "not reading" : "exited"))")
        }
        return try Self.readLine(fd: outputFD, buffer: &buffer, timeout: timeout, maxLine: maxLine)
    }

    /// Reads one line from `fd`, waiting at most `timeout` seconds in all and refusing lines over `maxLine` bytes.
    private static func readLine(fd: Int32, buffer: inout [UInt8], timeout: Double, maxLine: Int) throws -> [UInt8] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            if buffer.count > maxLine { throw ProcessStageError("a response is longer than \(maxLine) bytes") }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw ProcessStageError("no response within \(timeout) s") }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining, 3600) * 1000) + 1)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { throw ProcessStageError("the plugin process exited") }
            buffer.append(contentsOf: chunk[..<n])
        }
    }
}

/// A failure talking to a plugin process; it becomes the document's error record.
public struct ProcessStageError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}
