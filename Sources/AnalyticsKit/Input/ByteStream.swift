import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a file or standard input line by line in large chunks, holding one chunk in memory at a time.
final class ByteStream {
    // A class because it owns a FILE* that must be closed exactly once.
    private let file: UnsafeMutablePointer<FILE>
    private let closeOnDeinit: Bool
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private static let chunk = 1 << 20
    /// Where each chunk is read to, before it joins `buffer`.
    private let block: UnsafeMutablePointer<UInt8>

    init(path: String) throws {
        guard let file = fopen(path, "rb") else { throw InputError("cannot open '\(path)': \(String(cString: strerror(errno)))") }
        self.file = file
        closeOnDeinit = true
        block = .allocate(capacity: Self.chunk)
    }

    private init(file: UnsafeMutablePointer<FILE>) {
        self.file = file
        closeOnDeinit = false
        block = .allocate(capacity: Self.chunk)
    }

    static func standardInput() throws -> ByteStream {
        guard let file = fdopen(0, "rb") else { throw InputError("cannot read standard input") }
        return ByteStream(file: file)
    }

    deinit {
        if closeOnDeinit { fclose(file) }
        block.deallocate()
    }

    /// The next line without its terminator ("\n" or "\r\n"), or nil at the end.
    func nextLine() throws -> [UInt8]? {
        while true {
            // memchr: a generic search byte by byte was a few percent of a run on short documents.
            let found = buffer.withUnsafeBufferPointer { bytes -> Int? in
                guard position < bytes.count, let base = bytes.baseAddress,
                      let hit = memchr(base + position, 0x0A, bytes.count - position) else { return nil }
                return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            }
            if let newline = found {
                var end = newline
                if end > position && buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[position..<end])
                position = newline + 1
                return line
            }
            if atEnd {
                guard position < buffer.count else { return nil }
                let line = Array(buffer[position...])
                position = buffer.count
                return line
            }
            try fill()
        }
    }

    private func fill() throws {
        buffer.removeSubrange(0..<position)
        position = 0
        // Read into the block, then append only what was read: growing the array by a zeroed chunk
        // and cutting it back went byte by byte in a debug build, half a second for every file.
        let read = fread(block, 1, Self.chunk, file)
        buffer.append(contentsOf: UnsafeBufferPointer(start: block, count: read))
        if read < Self.chunk {
            if ferror(file) != 0 { throw InputError("read error: \(String(cString: strerror(errno)))") }
            atEnd = true
        }
    }
}
