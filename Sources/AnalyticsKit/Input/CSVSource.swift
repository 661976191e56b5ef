internal import CSV
import Foundation

/// CSV with a header row (RFC 4180, parsed by CSV.swift): the text in `textColumn`, the id in
/// `idColumn`, the other columns kept as string metadata. Rows without an id are named by their row
/// number. The fields may be separated by commas, semicolons (as spreadsheets write CSV where the comma
/// is the decimal mark) or tabs (TSV): a file's header row tells which.
struct CSVSource: DocumentSource {
    private let reader: CSVReader
    private let stream: InputStream
    private let name: String
    private let textIndex: Int
    private let idIndex: Int?
    private let header: [String]
    /// Put before "row N" in the ids of rows without one: the file's name when several are read.
    private let fallbackPrefix: String
    private var row = 0
    /// Bytes read but not yet counted towards a document: the header row's, given to the first.
    private var uncounted: Int
    var expectedCount: Int? { nil }
    let expectedBytes: Int?

    /// Opens the file at `path` (`.csv` or `.tsv` as `format` says) and reads its header row.
    init(path: String, format: InputFormat, textColumn: String, idColumn: String, fallbackPrefix: String = "") throws {
        try self.init(stream: InputStream(fileAtPath: path), name: path, size: TextFiles.size(of: path), format: format,
                      textColumn: textColumn, idColumn: idColumn, fallbackPrefix: fallbackPrefix)
    }

    /// Reads the header row from `stream`, a file of `size` bytes when that is known (for progress).
    /// A `.tsv` stream's fields are separated by tabs; a `.csv` stream's by the separator its header
    /// row uses (`separator(ofHeader:)`), read from the stream itself, so that a pipe (stdin,
    /// `/dev/stdin`, `<(…)`) is read once like a file.
    init(stream: InputStream?, name: String, size: Int? = nil, format: InputFormat = .csv, textColumn: String, idColumn: String,
         fallbackPrefix: String = "") throws {
        guard var stream else { throw InputError("cannot open '\(name)'") }
        var delimiter: UnicodeScalar = "\t"
        if format != .tsv {
            let start = HeaderPeekingStream(stream)
            delimiter = Self.separator(ofHeader: start.peeked)
            stream = start
        }
        self.fallbackPrefix = fallbackPrefix
        self.stream = stream
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true, delimiter: delimiter)
        } catch {
            throw InputError("cannot read CSV '\(name)': \(error)")
        }
        self.name = name
        header = reader.headerRow ?? []
        guard let textIndex = header.firstIndex(of: textColumn) else {
            throw InputError("CSV '\(name)' has no column '\(textColumn)' (columns: \(header.joined(separator: ", "))); set input.text_field")
        }
        self.textIndex = textIndex
        idIndex = header.firstIndex(of: idColumn)
        expectedBytes = size
        uncounted = Self.estimatedBytes(header)
    }

    /// The separator of a CSV header row (the bytes up to the first line break; `start` may hold
    /// more): a comma, unless the row holds none and holds semicolons or tabs (then the commoner of
    /// the two).
    static func separator(ofHeader start: [UInt8]) -> UnicodeScalar {
        let header = start.prefix { $0 != 0x0A }
        func count(_ byte: UInt8) -> Int { header.reduce(0) { $0 + ($1 == byte ? 1 : 0) } }
        let (commas, semicolons, tabs) = (count(0x2C), count(0x3B), count(0x09))
        if commas > 0 || semicolons + tabs == 0 { return "," }
        return semicolons >= tabs ? ";" : "\t"
    }

    /// About how many bytes of the file a row took: its fields, a separator after each (the last one
    /// the line break). The parser does not say where a row ended, and quotes around a field and
    /// doubled inside it are not counted, so this falls short of the file by those: progress reads a
    /// little behind, never ahead.
    private static func estimatedBytes(_ fields: [String]) -> Int {
        fields.reduce(fields.count) { $0 + $1.utf8.count }
    }

    mutating func next() throws -> PendingDocument? {
        guard let fields = reader.next() else {
            // On Linux, CSV.swift reports the end of a stream as `cannotReadFile`; only an error
            // before the end is real.
            if let error = reader.error, stream.streamStatus != .atEnd {
                throw InputError("CSV '\(name)' stopped at row \(row + 1): \(error)")
            }
            return nil
        }
        row += 1
        let byteCount = uncounted + Self.estimatedBytes(fields)
        uncounted = 0
        let fallback = fallbackPrefix + "row \(row)"
        let id = idIndex.flatMap { $0 < fields.count && !fields[$0].isEmpty ? fields[$0] : nil } ?? fallback
        let metadata = header.indices.filter { $0 != textIndex && $0 != idIndex && $0 < fields.count }
            .map { JSONField(header[$0], .string(fields[$0])) }
        guard textIndex < fields.count else {
            let reason = "\(fallback) has no '\(header[textIndex])' column"
            return PendingDocument(fallbackID: id, byteCount: byteCount) { .failed(id: id, metadata: metadata, reason: reason) }
        }
        let text = fields[textIndex]
        return PendingDocument(fallbackID: id, byteCount: byteCount) {
            TextFiles.record(id: id, bytes: Array(text.utf8), metadata: metadata, wholeFile: false)
        }
    }
}

/// An input stream that reads the start of another, up to its first line break (at most 64 KB), so
/// that the header row can be looked at, then gives those bytes again followed by the rest: the CSV
/// parser reads from the start, and a pipe cannot be opened a second time.
private final class HeaderPeekingStream: InputStream {
    private let base: InputStream
    /// The bytes read ahead; `read` gives them before any of `base`'s.
    let peeked: [UInt8]
    private var given = 0

    init(_ base: InputStream) {
        self.base = base
        if base.streamStatus == .notOpen { base.open() }
        var start: [UInt8] = []
        let limit = 1 << 16
        var chunk = [UInt8](repeating: 0, count: 4096)
        // A pipe may give a few bytes at a time: read until the first line is whole.
        while start.count < limit && !start.contains(0x0A) {
            let count = chunk.withUnsafeMutableBufferPointer { base.read($0.baseAddress!, maxLength: min($0.count, limit - start.count)) }
            if count <= 0 { break }
            start += chunk[..<count]
        }
        peeked = start
        super.init(data: Data())
    }

    override func open() {}
    override func close() { base.close() }
    override var streamStatus: Stream.Status { given < peeked.count ? .open : base.streamStatus }
    override var streamError: (any Error)? { base.streamError }
    override var hasBytesAvailable: Bool { given < peeked.count || base.hasBytesAvailable }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength: Int) -> Int {
        guard given < peeked.count else { return base.read(buffer, maxLength: maxLength) }
        let count = min(maxLength, peeked.count - given)
        peeked.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress! + given, count: count) }
        given += count
        return count
    }
}
