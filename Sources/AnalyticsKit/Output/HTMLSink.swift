/// A report to read in a browser: one section per document with each stage's output laid out as
/// tables (a list of objects, such as quotes or top terms, as one table with a column per field;
/// a text span as its quoted text), then the run totals and each stage's corpus summary.
///
/// The page is one self-contained file with no script, written a document at a time as results
/// arrive, so memory stays bounded like the other formats. Every piece of text from the input or a
/// stage is escaped, and the page is also well-formed XML. Corpus lists are cut to their first
/// `corpusListLimit` items (a TF-IDF list has an entry per document); `--summary` or the `json`
/// format holds them whole.
public struct HTMLSink: ResultSink {
    let file: OutputFile
    private var started = false
    static let corpusListLimit = 50

    /// Creates a sink.
    public init(file: OutputFile) { self.file = file }

    public mutating func write(_ result: DocumentResult) throws {
        var page = startIfNeeded()
        page += "<section class=\"document\" id=\"d\(result.sequence)\">\n<h2>" + Self.escaped(result.id) + "</h2>\n"
        for error in result.errors {
            page += "<p class=\"error\">error in " + Self.escaped(error.stage) + ": " + Self.escaped(error.message) + "</p>\n"
        }
        for warning in result.warnings {
            page += "<p class=\"warning\">warning: " + Self.escaped(warning) + "</p>\n"
        }
        if !result.metadata.isEmpty {
            page += "<details><summary>metadata</summary>\n" + Self.rendered(.object(result.metadata)) + "</details>\n"
        }
        for stage in result.results {
            page += "<h3>" + Self.escaped(stage.key) + "</h3>\n" + Self.rendered(stage.value) + "\n"
        }
        page += "</section>\n"
        try file.write(page)
    }

    public mutating func finish(report: RunReport) throws {
        var page = startIfNeeded()
        page += "<section id=\"corpus\">\n<h2>Corpus</h2>\n<p>\(report.documents) document(s), \(report.failedDocuments) with errors.</p>\n"
        let corpus = report.corpusPreview(limit: Self.corpusListLimit)
        if !corpus.isEmpty {
            page += "<p class=\"note\">Lists are cut to their first \(Self.corpusListLimit) items; "
                + "<code>--summary FILE</code> or <code>--format json</code> writes them whole.</p>\n"
        }
        for stage in corpus {
            page += "<h3>" + Self.escaped(stage.key) + "</h3>\n" + Self.rendered(stage.value) + "\n"
        }
        page += "</section>\n</body>\n</html>\n"
        try file.write(page)
        try file.flush()
    }

    /// The page's head the first time it is asked for, then nothing.
    private mutating func startIfNeeded() -> String {
        guard !started else { return "" }
        started = true
        return Self.head
    }

    static let head = """
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

    /// A stage's JSON as HTML: an object as a table of its fields, a list of objects as one table
    /// with a column for each field any of them has, a list of numbers or words inline, a span as its
    /// text.
    static func rendered(_ value: JSONValue) -> String {
        switch value {
        case .object(let fields):
            if let span = spanText(value) {
                let extra = fields.filter { !["start", "end", "text"].contains($0.key) }
                return span + (extra.isEmpty ? "" : rendered(.object(extra)))
            }
            if fields.isEmpty { return "<span class=\"none\">none</span>" }
            return "<table>\n" + fields.map { "<tr><th>" + escaped($0.key) + "</th>" + cell($0.value) + "</tr>\n" }.joined() + "</table>"
        case .array(let items):
            if items.isEmpty { return "<span class=\"none\">none</span>" }
            if items.allSatisfy({ if case .object = $0, spanText($0) == nil { true } else { false } }) { return table(of: items) }
            if items.allSatisfy(isShort) { return items.map(rendered).joined(separator: ", ") }
            return "<ul>\n" + items.map { "<li>" + rendered($0) + "</li>\n" }.joined() + "</ul>"
        case .string(let text):
            return escaped(text)
        case .null:
            return "<span class=\"none\">–</span>"
        default:
            return escaped(value.jsonText)
        }
    }

    /// Whether a list item reads well inline, among commas: a number, or a word or two (a readability
    /// note is a sentence, and gets a line of its own).
    private static func isShort(_ value: JSONValue) -> Bool {
        switch value {
        case .array, .object: return false
        case .string(let text): return text.count <= 32 && !text.contains(",") && !text.contains("\n")
        default: return true
        }
    }

    /// A table with a row for each object and a column for each key, in the order first seen.
    private static func table(of objects: [JSONValue]) -> String {
        var keys: [String] = []
        var seen: Set<String> = []
        for case .object(let fields) in objects {
            for field in fields where seen.insert(field.key).inserted { keys.append(field.key) }
        }
        var html = "<table>\n<tr>" + keys.map { "<th>" + escaped($0) + "</th>" }.joined() + "</tr>\n"
        for object in objects {
            html += "<tr>" + keys.map { key in object[key].map(cell) ?? "<td></td>" }.joined() + "</tr>\n"
        }
        return html + "</table>"
    }

    /// A table cell for a value, numbers aligned right.
    private static func cell(_ value: JSONValue) -> String {
        switch value {
        case .int, .double: return "<td class=\"number\">" + rendered(value) + "</td>"
        default: return "<td>" + rendered(value) + "</td>"
        }
    }

    /// A text span (`{"start", "end", "text"}`) as its text, marked as a quotation (highlighted,
    /// without the browser's quotation marks: a direct quote's text holds its own), its offsets in
    /// the tooltip; nil for any other value.
    private static func spanText(_ value: JSONValue) -> String? {
        guard case .int(let start)? = value["start"], case .int(let end)? = value["end"], case .string(let text)? = value["text"] else { return nil }
        return "<q title=\"characters \(start)–\(end)\">" + escaped(text) + "</q>"
    }

    /// Text made safe for an HTML element or attribute. Control characters other than tab and line
    /// breaks are not allowed in HTML (nor in XML), so they show as U+FFFD.
    static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 >= 0x7F }) else {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                let control = v < 0x20 || (0x7F...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF
                out.unicodeScalars.append(control ? "\u{FFFD}" : scalar)
            }
        }
        return out
    }
}
