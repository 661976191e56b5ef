import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Per-document records that a corpus aggregate needs only when the summary is written (TF-IDF's word
/// counts), kept in a temporary file rather than in memory once they pass a megabyte.
///
/// What stays in memory is a 24-byte index entry per record and the write buffer, so a corpus of a
/// million documents does not hold a million documents' word counts. The file is unlinked as soon as it
/// is open: nothing is left behind however the run ends. When no temporary file can be made the
/// records stay in memory, as before. Records are appended by the one worker that owns the aggregate
/// and read only after the workers are done.
final class DocumentSpill: @unchecked Sendable {
    // Unchecked: appended to by the worker that owns the aggregate, read after all workers finished.

    /// Where one record is.
    struct Entry {
        /// The document's input position.
        let sequence: Int
        let offset: Int
        let length: Int
    }

    /// Buffered bytes beyond this size go to the file.
    static let bufferLimit = 1 << 20

    /// The records, in the order they were appended.
    private(set) var entries: [Entry] = []
    /// Bytes not yet in the file; the file holds the first `flushed` bytes of the records.
    private var buffer: [UInt8] = []
    private var flushed = 0
    private var descriptor: Int32 = -1
    private var fileUnavailable = false
    private let directory: String

    /// A spill whose file, when it needs one, goes in `directory` (the system's temporary directory,
    /// `TMPDIR`, by default).
    init(directory: String = NSTemporaryDirectory()) {
        self.directory = directory
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Appends one document's record.
    func append(sequence: Int, record: [UInt8]) {
        append(sequence: sequence, length: record.count) { $0.copyBytes(from: record) }
    }

    /// Appends one document's record of `length` bytes, which `write` writes in place.
    func append(sequence: Int, length: Int, _ write: (UnsafeMutableRawBufferPointer) -> Void) {
        entries.append(Entry(sequence: sequence, offset: flushed + buffer.count, length: length))
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: length))
        buffer.withUnsafeMutableBytes { write(UnsafeMutableRawBufferPointer(rebasing: $0[start..<(start + length)])) }
        if buffer.count >= Self.bufferLimit { spill() }
    }

    /// The bytes of a record appended earlier.
    func record(_ entry: Entry) -> [UInt8] {
        var bytes: [UInt8] = []
        read(entry, into: &bytes)
        return bytes
    }

    /// Replaces the contents of `bytes` with a record appended earlier: a reader going through many
    /// records reuses one array rather than making one per record.
    func read(_ entry: Entry, into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        if entry.offset >= flushed {
            let start = entry.offset - flushed
            bytes.append(contentsOf: buffer[start..<(start + entry.length)])
            return
        }
        bytes.append(contentsOf: repeatElement(0, count: entry.length))
        var done = 0
        while done < entry.length {
            let n = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, entry.length - done, off_t(entry.offset + done)) }
            if n < 0 && errno == EINTR { continue }
            // The file was written by this process a moment ago; a failed read leaves zeros, which
            // decode as an empty record rather than crash.
            if n <= 0 { break }
            done += n
        }
    }

    /// Moves the buffer to the file; keeps it in memory when there is no file to write to.
    private func spill() {
        if descriptor < 0 && !fileUnavailable { openFile() }
        guard descriptor >= 0 else { return }
        var written = 0
        while written < buffer.count {
            let n = buffer.withUnsafeBytes { pwrite(descriptor, $0.baseAddress! + written, $0.count - written, off_t(flushed + written)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                // A full disk: keep this and later records in memory; the file keeps what it holds.
                fileUnavailable = true
                close(descriptor)
                descriptor = -1
                return
            }
            written += n
        }
        flushed += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    private func openFile() {
        var template = Array((directory + "/analyticskit-spill-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            fileUnavailable = true
            return
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        descriptor = fd
    }
}
