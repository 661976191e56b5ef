import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files as input: finding them (a directory tree, a glob) and reading one as a single text document.
enum TextFiles {
    /// A glob pattern made absolute, and the directory before its first wildcard: where its files are.
    static func globRoot(_ pattern: String) -> (absolute: String, root: String) {
        let absolute = pattern.hasPrefix("/") ? pattern : FileManager.default.currentDirectoryPath + "/" + pattern
        let components = absolute.split(separator: "/", omittingEmptySubsequences: false)
        let firstWild = components.firstIndex { $0.contains(where: { "*?[".contains($0) }) } ?? components.count
        let root = components[..<firstWild].joined(separator: "/")
        return (absolute, root.isEmpty ? "/" : root)
    }

    /// The size of the file at `path` in bytes, 0 when it cannot be read: for progress.
    static func size(of path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// The file at `path` as one document named `id`, read when the executor loads it.
    static func pending(path: String, id: String, size: Int) -> PendingDocument {
        let metadata = [JSONField("path", .string(path))]
        return PendingDocument(fallbackID: id, byteCount: size, fallbackMetadata: metadata) {
            guard let data = contents(of: path) else {
                let why = brokenLinkTarget(path).map { ": it is a symbolic link to '\($0)', which does not exist" }
                    ?? (hasUnreadableName(path) ? ": its name is not UTF-8 (shown with U+FFFD for the bad bytes); rename it" : "")
                return .failed(id: id, metadata: metadata, reason: "cannot read file '\(path)'\(why)")
            }
            return record(id: id, bytes: Array(data), metadata: metadata)
        }
    }

    /// Whether a path met in a directory or glob is a file to read: anything but a directory. A
    /// symbolic link to nothing is one, and so is a file whose name is not UTF-8 (Foundation lists it
    /// with U+FFFD in place of the bad bytes, a name that does not exist), so that each becomes its
    /// document's error record rather than vanish from the run.
    private static func isFileToRead(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return !isDirectory.boolValue }
        return brokenLinkTarget(path) != nil || hasUnreadableName(path)
    }

    /// Whether `path`, which does not exist, stands for a file whose name is not valid UTF-8.
    private static func hasUnreadableName(_ path: String) -> Bool {
        path.unicodeScalars.contains("\u{FFFD}") && !FileManager.default.fileExists(atPath: path)
    }

    /// Where a symbolic link at `path` points when nothing is there; nil for anything else.
    static func brokenLinkTarget(_ path: String) -> String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path),
              !FileManager.default.fileExists(atPath: path) else { return nil }
        return target
    }

    /// The bytes of the file at `path`, nil when it cannot be read. A pipe named by a path
    /// (`/dev/stdin`, `<(command)`) is read to its end: `FileManager.contents(atPath:)` gives nil for one.
    static func contents(of path: String) -> Data? {
        if let data = FileManager.default.contents(atPath: path) { return data }
        guard let file = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? file.close() }
        do {
            return try file.readToEnd() ?? Data()  // nil: nothing before the end
        } catch {
            return nil
        }
    }

    /// Decodes a file's bytes into a document record (binary refused, UTF-16 with a byte-order mark
    /// decoded, invalid UTF-8 repaired with a warning).
    /// `wholeFile` is false for a text taken from inside a file (a CSV cell): only a whole file may be
    /// UTF-16, compressed or a PDF.
    static func record(id: String, bytes: [UInt8], metadata: [JSONField], wholeFile: Bool = true) -> InputRecord {
        switch wholeFile ? DocumentDecoding.decodeFile(bytes) : DocumentDecoding.decode(bytes) {
        case .text(let text, let warnings):
            var warnings = warnings
            if DocumentDecoding.isBlank(text) { warnings.append("empty document") }
            return .document(Document(id: id, text: text, metadata: metadata), warnings: warnings)
        case .rejected(let reason):
            return .failed(id: id, metadata: metadata, reason: reason)
        }
    }

    /// Every regular file under `directory` whose extension is in `extensions` (any case), sorted by path.
    static func list(directory: String, extensions: [String]) throws -> [String] {
        let root = URL(fileURLWithPath: directory).standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else {
            throw InputError("cannot list directory '\(directory)'")
        }
        let wanted = Set(extensions.map { $0.lowercased() })
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let ext = URL(fileURLWithPath: relative).pathExtension.lowercased()
            guard wanted.contains(ext) else { continue }
            let path = root + "/" + relative
            if isFileToRead(path) { files.append(path) }
        }
        return files.sorted()
    }

    /// Files matching a glob, sorted, with the directory before the first wildcard as their root.
    /// `*` does not cross `/` unless the pattern contains `**`, which matches across directories.
    static func glob(_ pattern: String) throws -> (root: String, files: [String]) {
        let (absolute, rootPath) = globRoot(pattern)
        guard let enumerator = FileManager.default.enumerator(atPath: rootPath) else {
            throw InputError("glob '\(pattern)': cannot list '\(rootPath)'")
        }
        let recursive = pattern.contains("**")
        let matchPattern = recursive ? absolute.replacingOccurrences(of: "**/", with: "*").replacingOccurrences(of: "**", with: "*") : absolute
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let path = rootPath == "/" ? "/" + relative : rootPath + "/" + relative
            guard fnmatch(matchPattern, path, recursive ? 0 : FNM_PATHNAME) == 0 else { continue }
            if isFileToRead(path) { files.append(path) }
        }
        guard !files.isEmpty else { throw InputError("glob '\(pattern)' matches no files") }
        return (rootPath, files.sorted())
    }
}
