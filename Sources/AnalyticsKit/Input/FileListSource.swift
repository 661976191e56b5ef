import Foundation

/// The files of a directory or a glob, each read by its own format: a JSONL or CSV file gives a
/// document per line or row, a JSON file one per element of its array, any other file one document
/// of its whole text.
///
/// The format is the input's when it names one, else each file's extension (`DocumentSources.guessFormat`).
/// Files are opened one at a time, in the order given. A file that cannot be opened or read (a CSV
/// file without the text column, JSONL in UTF-16) becomes an error record named by its path, and the
/// run goes on with the next file. Lines and rows without an id are named `<path> line N` / `<path> row N`.
struct FileListSource: DocumentSource {
    private let files: [String]
    private let rootPrefix: String
    private let spec: InputSpec
    private var nextFile = 0
    /// The JSONL or CSV file being read, with its id and path.
    private var current: (source: any DocumentSource, id: String, path: String)?
    let expectedCount: Int?
    let expectedBytes: Int?

    /// A source over `files` (absolute paths), named by their paths relative to `root`.
    init(_ files: [String], root: String, spec: InputSpec) {
        self.files = files
        rootPrefix = root.hasSuffix("/") ? root : root + "/"
        self.spec = spec
        // With only text files, each is one document and the count is known; with files of records
        // among them, progress goes by bytes: the documents of a JSONL or JSON file add up to its
        // size, and a CSV file's to nearly its size.
        let formats = Set(files.map { Self.format(of: $0, spec) })
        expectedCount = formats.isSubset(of: [.text, .auto]) ? files.count : nil
        expectedBytes = expectedCount == nil ? files.reduce(0) { $0 + TextFiles.size(of: $1) } : nil
    }

    mutating func next() throws -> PendingDocument? {
        while true {
            if var reading = current {
                current = nil
                do {
                    if let pending = try reading.source.next() {
                        current = reading
                        return pending
                    }
                } catch let error as InputError {
                    return Self.failure(id: reading.id, path: reading.path, error.message)
                }
            }
            guard nextFile < files.count else { return nil }
            let path = files[nextFile]
            nextFile += 1
            let id = path.hasPrefix(rootPrefix) ? String(path.dropFirst(rootPrefix.count)) : path
            let reader: (any DocumentSource)?
            do {
                reader = try Self.reader(of: path, id: id, spec)
            } catch let error as InputError {
                return Self.failure(id: id, path: path, error.message)
            }
            guard let reader else { return TextFiles.pending(path: path, id: id, size: TextFiles.size(of: path)) }
            current = (reader, id, path)
        }
    }

    /// A reader of the documents in a JSONL, JSON or CSV file; nil for a text file, which is one document.
    private static func reader(of path: String, id: String, _ spec: InputSpec) throws -> (any DocumentSource)? {
        let (textField, idField, prefix) = (spec.textField, spec.idField, id + " ")
        switch format(of: path, spec) {
        case .jsonl:
            return JSONLSource(stream: try ByteStream(path: path), name: path, textField: textField, idField: idField, fallbackPrefix: prefix)
        case .json:
            return try JSONArraySource(stream: try ByteStream(path: path), name: path, textField: textField, idField: idField,
                                       fallbackPrefix: prefix)
        case .csv, .tsv:
            return try CSVSource(path: path, format: format(of: path, spec), textColumn: textField, idColumn: idField, fallbackPrefix: prefix)
        case .text, .auto:
            return nil
        }
    }

    private static func format(of path: String, _ spec: InputSpec) -> InputFormat {
        spec.format == .auto ? DocumentSources.guessFormat(path) : spec.format
    }

    /// The error record of a file that could not be read at all.
    private static func failure(id: String, path: String, _ reason: String) -> PendingDocument {
        PendingDocument(fallbackID: id, byteCount: TextFiles.size(of: path)) { .failed(id: id, metadata: [JSONField("path", .string(path))], reason: reason) }
    }
}
