import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a file or standard input line by line (or piece by piece) in large chunks, holding one chunk in memory at a time.
///
/// Reads with `read(2)`, which returns what a pipe holds now: `fread` waited for a whole megabyte, so
/// lines written slowly into standard input were not analysed until a megabyte had come or the input ended.
final class ByteStream {
    // A class because it owns a file descriptor that must be closed exactly once.
    private let descriptor: Int32
    private let closeOnDeinit: Bool
    private var buffer: [UInt8] = []
    private var position = 0
    /// Where the search for the next delimiter (a line break) resumes: the bytes before it, from
    /// `position`, hold none. A long line read in many small pieces is then searched once, not once per piece.
    private var searched = 0
    private var atEnd = false
    private static let chunk = 1 << 20
    /// Where each chunk is read to, before it joins `buffer`.
    private let block: UnsafeMutablePointer<UInt8>
    /// The size of what is read when it is a regular file (also standard input redirected from one).
    let fileSize: Int?
    /// Bytes of the stream consumed by the lines returned so far, their line breaks included.
    private(set) var consumedBytes = 0

    init(path: String) throws {
        let opened = open(path, O_RDONLY)
        guard opened >= 0 else { throw InputError("cannot open '\(path)': \(String(cString: strerror(errno)))") }
        descriptor = opened
        closeOnDeinit = true
        block = .allocate(capacity: Self.chunk)
        fileSize = Self.regularFileSize(opened)
    }

    /// A stream over an open descriptor (a pipe, standard input), which it does not close.
    init(descriptor: Int32) {
        self.descriptor = descriptor
        closeOnDeinit = false
        block = .allocate(capacity: Self.chunk)
        fileSize = Self.regularFileSize(descriptor)
    }

    /// The size of what `descriptor` reads when it is a regular file; nil for a pipe or a terminal.
    static func regularFileSize(_ descriptor: Int32) -> Int? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    static func standardInput() throws -> ByteStream {
        ByteStream(descriptor: 0)
    }

    deinit {
        if closeOnDeinit { close(descriptor) }
        block.deallocate()
    }

    /// The next line without its terminator ("\n" or "\r\n"), or nil at the end.
    func nextLine() throws -> [UInt8]? {
        guard case (var line, let delimiter)? = try nextPiece(endingAt: { bytes, from in
            // memchr: a generic search byte by byte was a few percent of a run on short documents.
            guard let base = bytes.baseAddress, from < bytes.count, let hit = memchr(base + from, 0x0A, bytes.count - from) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }) else { return nil }
        if delimiter != nil && line.last == 0x0D { line.removeLast() }
        return line
    }

    /// The bytes up to the next delimiter `find` locates, and the delimiter itself (consumed, not
    /// returned); at the end of the stream the rest, with a nil delimiter; nil when nothing is left.
    ///
    /// `find(bytes, from)` is given the unread bytes and the offset in them where its search resumes:
    /// it returned nil for the bytes before, which are not given again when more have been read (so a
    /// long piece is searched once), and a search that keeps state must carry it over.
    func nextPiece(endingAt find: (UnsafeBufferPointer<UInt8>, _ from: Int) -> Int?) throws -> (bytes: [UInt8], delimiter: UInt8?)? {
        while true {
            let from = max(position, searched)
            let found = buffer.withUnsafeBufferPointer { bytes in
                find(UnsafeBufferPointer(rebasing: bytes[position...]), from - position).map { position + $0 }
            }
            if let end = found {
                let piece = Array(buffer[position..<end])
                consumedBytes += end + 1 - position
                position = end + 1
                searched = position
                return (piece, buffer[end])
            }
            searched = buffer.count
            if atEnd {
                guard position < buffer.count else { return nil }
                let piece = Array(buffer[position...])
                consumedBytes += buffer.count - position
                position = buffer.count
                return (piece, nil)
            }
            try fill()
        }
    }

    /// Up to `count` of the next bytes, without consuming them: fewer only at the end of the stream.
    func peek(_ count: Int) throws -> [UInt8] {
        while buffer.count - position < count && !atEnd { try fill() }
        return Array(buffer[position..<min(buffer.count, position + count)])
    }

    /// Consumes `count` bytes that `peek` returned.
    func skip(_ count: Int) {
        precondition(position + count <= buffer.count, "skip only what peek returned")
        position += count
        searched = max(searched, position)
        consumedBytes += count
    }

    private func fill() throws {
        buffer.removeSubrange(0..<position)
        searched -= position
        position = 0
        // Read into the block, then append only what was read: growing the array by a zeroed chunk
        // and cutting it back went byte by byte in a debug build, half a second for every file.
        var count = -1
        while count < 0 {
            count = read(descriptor, block, Self.chunk)
            if count < 0 && errno != EINTR { throw InputError("read error: \(String(cString: strerror(errno)))") }
        }
        buffer.append(contentsOf: UnsafeBufferPointer(start: block, count: count))
        if count == 0 { atEnd = true }
    }
}
