/// A report to read in a browser: one section per document with each stage's output laid out as
/// tables (a list of objects, such as quotes or top terms, as one table with a column per field;
/// a text span as its text), then the run totals and each stage's corpus summary.
///
/// The page is one self-contained file with no script, written a document at a time in input order,
/// so memory stays bounded like the other formats; the workers lay out their own documents
/// (`RecordEncodingSink`). Every piece of text from the input or a stage is escaped, and the page
/// is also well-formed XML. Corpus lists are cut to their first `corpusListLimit` items (a TF-IDF
/// list has an entry per document); `--summary` or the `json` format holds them whole.
public struct HTMLSink: RecordEncodingSink {
    let file: OutputFile
    private var started = false
    static let corpusListLimit = 50

    /// Creates a sink.
    public init(file: OutputFile) { self.file = file }

    public mutating func write(_ result: DocumentResult) throws {
        var page = JSONBuffer()
        if !started { page.append(literal: Self.head) }
        Self.appendSection(result, to: &page)
        started = true
        try file.write(page)
    }

    public static func encode(_ result: DocumentResult, to out: inout JSONBuffer) {
        if result.sequence == 0 { out.append(literal: head) }
        appendSection(result, to: &out)
    }

    public mutating func write(encoded: JSONBuffer, of results: [DocumentResult]) throws {
        if !results.isEmpty { started = true }
        try file.write(encoded)
    }

    public mutating func finish(report: RunReport) throws {
        var page = JSONBuffer()
        if !started { page.append(literal: Self.head) }
        page.append(literal: "<section id=\"corpus\">\n<h2>Corpus</h2>\n<p>")
        page.append(utf8: "\(report.documents) document(s), \(report.failedDocuments) with errors.")
        page.append(literal: "</p>\n")
        let corpus = report.corpusPreview(limit: Self.corpusListLimit)
        if !corpus.isEmpty {
            page.append(utf8: "<p class=\"note\">Lists are cut to their first \(Self.corpusListLimit) items; ")
            page.append(literal: "<code>--summary FILE</code> or <code>--format json</code> writes them whole.</p>\n")
        }
        for stage in corpus { Self.appendStage(stage, to: &page) }
        page.append(literal: "</section>\n</body>\n</html>\n")
        try file.write(page)
        try file.flush()
    }

    /// A document's section: its id, errors, warnings, metadata (folded away) and each stage's output.
    private static func appendSection(_ result: DocumentResult, to out: inout JSONBuffer) {
        out.append(utf8: "<section class=\"document\" id=\"d\(result.sequence)\">\n<h2>")
        appendEscaped(result.id, to: &out)
        out.append(literal: "</h2>\n")
        for error in result.errors {
            out.append(literal: "<p class=\"error\">error in ")
            appendEscaped(error.stage, to: &out)
            out.append(literal: ": ")
            appendEscaped(error.message, to: &out)
            out.append(literal: "</p>\n")
        }
        for warning in result.warnings {
            out.append(literal: "<p class=\"warning\">warning: ")
            appendEscaped(warning, to: &out)
            out.append(literal: "</p>\n")
        }
        if !result.metadata.isEmpty {
            out.append(literal: "<details><summary>metadata</summary>\n")
            render(.object(result.metadata), to: &out)
            out.append(literal: "</details>\n")
        }
        for stage in result.results { appendStage(stage, to: &out) }
        out.append(literal: "</section>\n")
    }

    private static func appendStage(_ stage: JSONField, to out: inout JSONBuffer) {
        out.append(literal: "<h3>")
        appendEscaped(stage.key, to: &out)
        out.append(literal: "</h3>\n")
        render(stage.value, to: &out)
        out.append(0x0A)
    }

    static let head: StaticString = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <title>AnalyticsKit results</title>
        <style>
        body { font: 15px/1.45 system-ui, sans-serif; color: #222; max-width: 64em; margin: 2em auto; padding: 0 1em; }
        section { border-top: 1px solid #ccc; padding: 0.4em 0 0.8em; }
        h2 { font-size: 1.15em; margin: 0.6em 0 0.3em; overflow-wrap: anywhere; }
        h3 { font-size: 1em; margin: 0.8em 0 0.2em; color: #555; }
        table { border-collapse: collapse; margin: 0.2em 0; }
        th, td { border: 1px solid #ddd; padding: 0.15em 0.5em; text-align: left; vertical-align: top; }
        th { background: #f5f5f5; font-weight: 600; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; }
        q { quotes: none; white-space: pre-wrap; background: #fdf3d0; border-radius: 2px; padding: 0 0.1em; }
        .none { color: #999; }
        .error { color: #a00; }
        .warning { color: #a60; }
        .note { color: #666; font-size: 0.9em; }
        </style>
        </head>
        <body>
        <h1>AnalyticsKit results</h1>

        """

    /// `render(_:to:)` as a string.
    static func rendered(_ value: JSONValue) -> String {
        var out = JSONBuffer()
        render(value, to: &out)
        return out.string
    }

    /// A stage's JSON as HTML: an object as a table of its fields, a list of objects as one table
    /// with a column for each field any of them has, a list of numbers or words inline, a span as its
    /// text.
    static func render(_ value: JSONValue, to out: inout JSONBuffer) {
        switch value {
        case .object(let fields):
            if appendSpan(value, to: &out) {
                let extra = fields.filter { $0.key != "start" && $0.key != "end" && $0.key != "text" }
                if !extra.isEmpty { render(.object(extra), to: &out) }
                return
            }
            if fields.isEmpty { return out.append(literal: "<span class=\"none\">none</span>") }
            out.append(literal: "<table>\n")
            for field in fields {
                out.append(literal: "<tr><th>")
                appendEscaped(field.key, to: &out)
                out.append(literal: "</th>")
                appendCell(field.value, to: &out)
                out.append(literal: "</tr>\n")
            }
            out.append(literal: "</table>")
        case .array(let items):
            if items.isEmpty { return out.append(literal: "<span class=\"none\">none</span>") }
            if items.allSatisfy(isRow) { return appendTable(of: items, to: &out) }
            if items.allSatisfy(isShort) {
                for (k, item) in items.enumerated() {
                    if k > 0 { out.append(literal: ", ") }
                    render(item, to: &out)
                }
                return
            }
            out.append(literal: "<ul>\n")
            for item in items {
                out.append(literal: "<li>")
                render(item, to: &out)
                out.append(literal: "</li>\n")
            }
            out.append(literal: "</ul>")
        case .string(let text):
            appendEscaped(text, to: &out)
        case .null:
            out.append(literal: "<span class=\"none\">–</span>")
        default:
            value.write(to: &out)  // a number or a boolean: its JSON text needs no escapes
        }
    }

    /// Whether a list item is an object that is not a span: a row of a table.
    private static func isRow(_ value: JSONValue) -> Bool {
        guard case .object = value else { return false }
        return !isSpan(value)
    }

    /// Whether a list item reads well inline, among commas: a number, or a word or two (a readability
    /// note is a sentence, and gets a line of its own).
    private static func isShort(_ value: JSONValue) -> Bool {
        switch value {
        case .array, .object: return false
        case .string(let text): return text.utf8.count <= 32 && !text.utf8.contains(0x2C) && !text.utf8.contains(0x0A)
        default: return true
        }
    }

    /// A table with a row for each object and a column for each key, in the order first seen.
    private static func appendTable(of objects: [JSONValue], to out: inout JSONBuffer) {
        // A list, not a set: rows have a handful of keys, and hashing each string cost more.
        var keys: [String] = []
        for case .object(let fields) in objects {
            for field in fields where !keys.contains(field.key) { keys.append(field.key) }
        }
        out.append(literal: "<table>\n<tr>")
        for key in keys {
            out.append(literal: "<th>")
            appendEscaped(key, to: &out)
            out.append(literal: "</th>")
        }
        out.append(literal: "</tr>\n")
        for case .object(let fields) in objects {
            out.append(literal: "<tr>")
            for key in keys {
                if let field = fields.first(where: { $0.key == key }) {
                    appendCell(field.value, to: &out)
                } else {
                    out.append(literal: "<td></td>")
                }
            }
            out.append(literal: "</tr>\n")
        }
        out.append(literal: "</table>")
    }

    /// A table cell for a value, numbers aligned right.
    private static func appendCell(_ value: JSONValue, to out: inout JSONBuffer) {
        switch value {
        case .int, .double: out.append(literal: "<td class=\"number\">")
        default: out.append(literal: "<td>")
        }
        render(value, to: &out)
        out.append(literal: "</td>")
    }

    /// The parts of a text span (`{"start", "end", "text"}`); nil for any other value.
    private static func span(_ value: JSONValue) -> (start: Int, end: Int, text: String)? {
        guard case .int(let start)? = value["start"], case .int(let end)? = value["end"], case .string(let text)? = value["text"] else { return nil }
        return (start, end, text)
    }

    private static func isSpan(_ value: JSONValue) -> Bool { span(value) != nil }

    /// Appends a text span as its text, marked as a quotation (highlighted, without the browser's
    /// quotation marks: a direct quote's text holds its own), its offsets in the tooltip, and returns
    /// true; returns false, appending nothing, for any other value.
    private static func appendSpan(_ value: JSONValue, to out: inout JSONBuffer) -> Bool {
        guard let span = span(value) else { return false }
        out.append(utf8: "<q title=\"characters \(span.start)–\(span.end)\">")
        appendEscaped(span.text, to: &out)
        out.append(literal: "</q>")
        return true
    }

    /// `appendEscaped(_:to:)` as a string.
    static func escaped(_ text: String) -> String {
        var out = JSONBuffer()
        appendEscaped(text, to: &out)
        return out.string
    }

    /// Appends text made safe for an HTML element or attribute. Control characters other than tab
    /// and line breaks, and the noncharacters U+FFFE and U+FFFF, are not allowed in HTML (nor in
    /// XML), so they show as U+FFFD. Works on the UTF-8 bytes: runs that need nothing are copied whole.
    static func appendEscaped(_ text: String, to out: inout JSONBuffer) {
        var text = text
        text.withUTF8 { bytes in
            let n = bytes.count
            var runStart = 0
            var k = 0
            while k < n {
                let b = bytes[k]
                // The bytes that may need something: ASCII controls and markup, DEL, and the lead bytes
                // of C1 controls (C2 80–9F) and of U+FFFE/U+FFFF (EF BF BE/BF).
                guard b < 0x20 || b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 || b == 0x7F || b == 0xC2 || b == 0xEF else {
                    k += 1
                    continue
                }
                var replacement: StaticString?
                var length = 1
                switch b {
                case 0x26: replacement = "&amp;"
                case 0x3C: replacement = "&lt;"
                case 0x3E: replacement = "&gt;"
                case 0x22: replacement = "&quot;"
                case 0x27: replacement = "&#39;"
                case 0x09, 0x0A, 0x0D: break
                case 0xC2:
                    if k + 1 < n, bytes[k + 1] >= 0x80 && bytes[k + 1] <= 0x9F { replacement = "\u{FFFD}"; length = 2 }
                case 0xEF:
                    if k + 2 < n, bytes[k + 1] == 0xBF, bytes[k + 2] == 0xBE || bytes[k + 2] == 0xBF { replacement = "\u{FFFD}"; length = 3 }
                default:
                    replacement = "\u{FFFD}"  // C0 controls and DEL
                }
                guard let replacement else {
                    k += 1
                    continue
                }
                out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<k]))
                out.append(literal: replacement)
                k += length
                runStart = k
            }
            out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<n]))
        }
    }
}
