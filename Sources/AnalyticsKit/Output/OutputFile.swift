import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A buffered byte writer to a file or standard output.
///
/// A class because it owns a file descriptor and a buffer that must be flushed and closed once.
/// A closed pipe (`analyze run ... | head`) surfaces as an `OutputError` whose `readerClosed` is set,
/// rather than killing the process: the caller decides how quietly to stop.
public final class OutputFile {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    /// The path as given ("-" for standard output).
    public let path: String

    /// Opens `path` for writing, creating or truncating it (and its directory); "-" is standard output.
    public init(path: String) throws {
        self.path = path
        if path == "-" {
            fd = 1
            ownsDescriptor = false
        } else {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let opened = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard opened >= 0 else { throw OutputError("cannot write '\(path)': \(String(cString: strerror(errno)))") }
            fd = opened
            ownsDescriptor = true
        }
        buffer.reserveCapacity(Self.bufferBytes)
    }

    deinit {
        try? flush()
        if ownsDescriptor { close(fd) }
    }

    /// Appends bytes, writing through when the buffer is full.
    public func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        try flushIfFull()
    }

    /// Appends the bytes of a buffer. A buffer as large as the file's own (a batch of records) goes
    /// to the file from where it is, after what is buffered, rather than being copied first.
    public func write(_ bytes: JSONBuffer) throws {
        guard bytes.count >= Self.bufferBytes else {
            bytes.withUnsafeBufferPointer { buffer.append(contentsOf: $0) }
            return try flushIfFull()
        }
        try flush()
        try bytes.withUnsafeBufferPointer { try writeAll(UnsafeRawBufferPointer($0)) }
    }

    /// Appends a string's UTF-8.
    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        try flushIfFull()
    }

    /// Bytes buffered before they are written out.
    private static let bufferBytes = 1 << 16

    private func flushIfFull() throws {
        if buffer.count >= Self.bufferBytes { try flush() }
    }

    /// Writes out everything buffered.
    public func flush() throws {
        defer { buffer.removeAll(keepingCapacity: true) }
        try buffer.withUnsafeBytes { try writeAll($0) }
    }

    /// Writes `bytes` to the file, all of them, or throws.
    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                let failure = errno
                throw OutputError("cannot write '\(path)': \(String(cString: strerror(failure)))", readerClosed: failure == EPIPE)
            }
            offset += n
        }
    }
}

/// The output cannot be written (disk full, closed pipe).
public struct OutputError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// True when the output is a pipe whose reader went away (`| head`): a request to stop, not a fault.
    public let readerClosed: Bool
    /// Creates an error.
    public init(_ message: String, readerClosed: Bool = false) {
        self.message = message
        self.readerClosed = readerClosed
    }
    public var description: String { message }
}
