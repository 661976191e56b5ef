import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a file or standard input line by line in large chunks, holding one chunk in memory at a time.
///
/// Reads with `read(2)`, which returns what a pipe holds now: `fread` waited for a whole megabyte, so
/// lines written slowly into standard input were not analysed until a megabyte had come or the input ended.
final class ByteStream {
    // A class because it owns a file descriptor that must be closed exactly once.
    private let descriptor: Int32
    private let closeOnDeinit: Bool
    private var buffer: [UInt8] = []
    private var position = 0
    /// Where the search for the next line break resumes: the bytes before it, from `position`, hold
    /// none. A long line read in many small pieces is then searched once, not once per piece.
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

    private static func regularFileSize(_ descriptor: Int32) -> Int? {
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
        while true {
            // memchr: a generic search byte by byte was a few percent of a run on short documents.
            let from = max(position, searched)
            let found = buffer.withUnsafeBufferPointer { bytes -> Int? in
                guard from < bytes.count, let base = bytes.baseAddress,
                      let hit = memchr(base + from, 0x0A, bytes.count - from) else { return nil }
                return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            }
            if let newline = found {
                var end = newline
                if end > position && buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[position..<end])
                consumedBytes += newline + 1 - position
                position = newline + 1
                return line
            }
            searched = buffer.count
            if atEnd {
                guard position < buffer.count else { return nil }
                let line = Array(buffer[position...])
                consumedBytes += buffer.count - position
                position = buffer.count
                return line
            }
            try fill()
        }
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
