import Foundation

/// A document that has been found but not yet read: the executor reads and decodes it on a worker,
/// so that I/O and parsing run in parallel and only a bounded window of texts is in memory.
public struct PendingDocument: Sendable {
    /// The id to report if reading fails before the document's own id is known (a JSONL line number).
    public let fallbackID: String
    /// Bytes of input behind this document, for progress and for refusing one too large to read; 0 if unknown.
    public let byteCount: Int
    /// The metadata to report if the document is refused before it is read (a file's path).
    public let fallbackMetadata: [JSONField]
    private let reader: @Sendable () -> InputRecord

    /// Creates a pending document read by `load`.
    public init(fallbackID: String, byteCount: Int, fallbackMetadata: [JSONField] = [], load: @escaping @Sendable () -> InputRecord) {
        self.fallbackID = fallbackID
        self.byteCount = byteCount
        self.fallbackMetadata = fallbackMetadata
        self.reader = load
    }

    /// A document already in memory.
    public init(_ document: Document) {
        self.init(fallbackID: document.id, byteCount: document.text.utf8.count) { .document(document, warnings: []) }
    }

    /// Reads and decodes the document.
    public func load() -> InputRecord { reader() }
}

/// What reading one input item gave: a document to analyse, or the reason there is none.
public enum InputRecord: Sendable {
    /// A document, with warnings such as replaced invalid UTF-8.
    case document(Document, warnings: [String])
    /// Nothing to analyse; the reason becomes the document's error record.
    case failed(id: String, metadata: [JSONField], reason: String)
}

/// A stream of documents in input order. Sources are read from one thread at a time.
public protocol DocumentSource {
    /// The next document, or nil at the end. Throwing stops the run (the input itself became unreadable).
    mutating func next() throws -> PendingDocument?
    /// How many documents there will be, when that is known up front (for progress).
    var expectedCount: Int? { get }
    /// How many bytes of input the documents' `byteCount`s add up to in all, when that is known up
    /// front (a file's size) and the count is not: progress as a fraction of the input read.
    var expectedBytes: Int? { get }
}

extension DocumentSource {
    /// Unknown unless a source says otherwise.
    public var expectedBytes: Int? { nil }
}

/// A source over documents already in memory, for library users and tests.
public struct ArraySource: DocumentSource {
    private var iterator: IndexingIterator<[PendingDocument]>
    public let expectedCount: Int?

    /// Creates a source over `documents`.
    public init(_ documents: [Document]) {
        iterator = documents.map(PendingDocument.init).makeIterator()
        expectedCount = documents.count
    }

    /// Creates a source over pending documents.
    public init(pending: [PendingDocument]) {
        iterator = pending.makeIterator()
        expectedCount = pending.count
    }

    public mutating func next() throws -> PendingDocument? { iterator.next() }
}

/// Problems with the input as a whole (a missing path, an unreadable stream): the run cannot start or go on.
public struct InputError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, and what to do.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Opens the source an `InputSpec` describes.
public enum DocumentSources {
    /// Opens `spec`: "-" reads standard input; a directory is read recursively (files with
    /// `spec.extensions`, in path order); a path with `*`, `?` or `[` is a glob; anything else is one file.
    /// - Throws: `InputError` when the path does not exist or matches nothing.
    public static func open(_ spec: InputSpec) throws -> any DocumentSource {
        let format = spec.format == .auto ? guessFormat(spec.path) : spec.format
        if spec.path == "-" {
            switch format {
            case .jsonl: return JSONLSource(stream: try ByteStream.standardInput(), name: "stdin", textField: spec.textField, idField: spec.idField)
            case .json:
                return try JSONArraySource(stream: try ByteStream.standardInput(), name: "stdin", textField: spec.textField, idField: spec.idField)
            case .csv, .tsv:
                return try CSVSource(stream: InputStream(fileAtPath: "/dev/stdin"), name: "stdin", size: ByteStream.regularFileSize(0),
                                     format: format, textColumn: spec.textField, idColumn: spec.idField)
            case .text, .auto:
                let guessed = spec.format == .auto
                let textField = spec.textField
                return ArraySource(pending: [PendingDocument(fallbackID: "-", byteCount: 0) {
                    let bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
                    let record = TextFiles.record(id: "-", bytes: bytes, metadata: [])
                    // Piped records read as one text by mistake: the run goes on, but says what to pass.
                    guard guessed, case .document(let document, let warnings) = record, let format = recordFormat(bytes, textField: textField) else { return record }
                    return .document(document, warnings: warnings + [
                        "standard input was read as one text, but it looks like \(format == .json ? "a JSON array" : "JSONL"); pass --input-format \(format.rawValue)",
                    ])
                }])
            }
        }
        if spec.path.contains(where: { "*?[".contains($0) }) {
            let (root, files) = try TextFiles.glob(spec.path)
            return FileListSource(files, root: root, spec: spec)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: spec.path, isDirectory: &isDirectory) else {
            throw InputError("input '\(spec.path)' does not exist; give a file, a directory, a glob such as 'docs/*.txt', or '-' for standard input")
        }
        if isDirectory.boolValue {
            let files = try TextFiles.list(directory: spec.path, extensions: spec.extensions)
            guard !files.isEmpty else {
                let wanted = spec.extensions.map { "." + $0 }
                let named = wanted.count > 1 ? wanted.dropLast().joined(separator: ", ") + " or " + wanted.last! : wanted.first ?? "matching"
                throw InputError("directory '\(spec.path)' has no \(named) files; list the extensions to read in input.extensions (e.g. [jsonl])")
            }
            return FileListSource(files, root: spec.path, spec: spec)
        }
        switch format {
        case .jsonl:
            return JSONLSource(stream: try ByteStream(path: spec.path), name: spec.path, textField: spec.textField, idField: spec.idField)
        case .json:
            return try JSONArraySource(stream: try ByteStream(path: spec.path), name: spec.path, textField: spec.textField, idField: spec.idField)
        case .csv, .tsv:
            return try CSVSource(path: spec.path, format: format, textColumn: spec.textField, idColumn: spec.idField)
        case .text, .auto:
            let url = URL(fileURLWithPath: spec.path)
            var asText = spec
            asText.format = .text
            return FileListSource([url.path], root: url.deletingLastPathComponent().path, spec: asText)
        }
    }

    /// Whether a run over `spec` would read the existing file at `path` (the same file, by device and
    /// inode, whatever the spelling): how a run refuses to write its results over its own input.
    public static func reads(_ spec: InputSpec, file path: String) -> Bool {
        guard spec.path != "-", path != "-", let target = FileIdentity(path) else { return false }
        // Only a file inside the tree can be one of its files: a tree is walked only then.
        func inside(_ directory: String) -> Bool {
            let root = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
            return URL(fileURLWithPath: path).resolvingSymlinksInPath().path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
        }
        if spec.path.contains(where: { "*?[".contains($0) }) {
            guard inside(TextFiles.globRoot(spec.path).root) else { return false }
            return ((try? TextFiles.glob(spec.path))?.files ?? []).contains { FileIdentity($0) == target }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: spec.path, isDirectory: &isDirectory) else { return false }
        guard isDirectory.boolValue else { return FileIdentity(spec.path) == target }
        guard inside(spec.path) else { return false }
        return ((try? TextFiles.list(directory: spec.path, extensions: spec.extensions)) ?? []).contains { FileIdentity($0) == target }
    }

    /// `.jsonl` when the first line of `bytes` is a JSON object with `textField`, `.json` when all of
    /// them are an array whose first element is one; nil otherwise.
    static func recordFormat(_ bytes: [UInt8], textField: String) -> InputFormat? {
        func isRecord(_ value: JSONValue?) -> Bool {
            if case .object(let fields)? = value { return fields.contains { $0.key == textField } }
            return false
        }
        let start = bytes.firstIndex { !JSONParser.isWhitespace($0) } ?? bytes.endIndex
        guard start < bytes.endIndex else { return nil }
        if bytes[start] == 0x7B {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.endIndex
            return isRecord(try? JSONParser.parse(Array(bytes[start..<end]))) ? .jsonl : nil
        }
        if bytes[start] == 0x5B, case .array(let elements)? = try? JSONParser.parse(bytes), isRecord(elements.first) { return .json }
        return nil
    }

    /// The format a path's extension suggests.
    public static func guessFormat(_ path: String) -> InputFormat {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "jsonl", "ndjson", "jsonlines", "jl": return .jsonl
        case "json": return .json
        case "csv": return .csv
        case "tsv", "tab": return .tsv
        default: return .text
        }
    }
}

/// A file as the file system knows it (device and inode, symbolic links followed), so that two
/// spellings of one path compare equal.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64
    /// A regular file, not a device such as `/dev/null` or a pipe.
    let isRegular: Bool

    /// The identity of the file at `path`, or nil when there is none.
    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        isRegular = info.st_mode & S_IFMT == S_IFREG
    }
}
