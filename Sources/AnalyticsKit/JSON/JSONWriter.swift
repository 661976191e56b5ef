/// Writes compact JSON text straight to bytes, the commas placed for the caller: how the hot output
/// types (`JSONWritable`) write themselves without building a `JSONValue` tree first.
///
/// Open a container, then alternate `key` and a value inside objects, or give values inside arrays;
/// the writer puts the commas and colons. Text comes out exactly as `JSONValue.write(to:)` writes the
/// same values. Containers nest up to 64 deep. A writer made with `treeBuilder()` builds the
/// `JSONValue` instead, which is how a `JSONWritable` type gets its `jsonValue` from the same code.
public struct JSONWriter {
    /// The text written so far.
    public var buffer: JSONBuffer
    /// Bit `d` is set when the container at depth `d` has an element already.
    private var hasElements: UInt64 = 0
    private var depth = 0
    private var afterKey = false
    /// Set when this writer builds a tree rather than text.
    private var tree: JSONTreeBuilder?

    /// A writer appending to `buffer`.
    public init(buffer: JSONBuffer = JSONBuffer()) {
        self.buffer = buffer
    }

    /// The text written so far, as an array.
    public var bytes: [UInt8] { buffer.array }

    /// A writer that builds a `JSONValue` (read it with `builtValue`) instead of writing text.
    public static func treeBuilder() -> JSONWriter {
        var writer = JSONWriter()
        writer.tree = JSONTreeBuilder()
        return writer
    }

    /// The value a tree-building writer has built (null when nothing was written).
    public var builtValue: JSONValue { tree?.root ?? .null }

    /// Starts a value: a comma first unless it is the first of its container or follows a key.
    private mutating func separate() {
        if takeComma() { buffer.append(UInt8(ascii: ",")) }
    }

    /// Whether the value or key starting now needs a comma before it; records that its container
    /// has an element. For the writers that put the comma in the same append as what follows it.
    private mutating func takeComma() -> Bool {
        if afterKey {
            afterKey = false
            return false
        }
        guard depth > 0 else { return false }
        let bit: UInt64 = 1 << UInt64(depth - 1)
        if hasElements & bit != 0 { return true }
        hasElements |= bit
        return false
    }

    /// Opens an object.
    public mutating func beginObject() {
        if tree != nil { return tree!.begin(object: true) }
        separate()
        buffer.append(UInt8(ascii: "{"))
        depth += 1
        hasElements &= ~(1 << UInt64(depth - 1))
    }

    /// Closes the object opened last.
    public mutating func endObject() {
        if tree != nil { return tree!.end() }
        depth -= 1
        buffer.append(UInt8(ascii: "}"))
    }

    /// Opens an array.
    public mutating func beginArray() {
        if tree != nil { return tree!.begin(object: false) }
        separate()
        buffer.append(UInt8(ascii: "["))
        depth += 1
        hasElements &= ~(1 << UInt64(depth - 1))
    }

    /// Closes the array opened last.
    public mutating func endArray() {
        if tree != nil { return tree!.end() }
        depth -= 1
        buffer.append(UInt8(ascii: "]"))
    }

    /// Writes an object key; the next value is its value.
    public mutating func key(_ key: String) {
        if tree != nil { return tree!.key(key) }
        JSONValue.writeKey(key, comma: takeComma(), to: &buffer)
        afterKey = true
    }

    /// Writes an object key written into the code (`writer.fixedKey("compound")`), the same text as
    /// `key` writes, without checking it for characters to escape each time: for the keys of output
    /// types written for every document. The name must need no escapes in JSON (no quotation mark,
    /// backslash or control character); debug builds check.
    public mutating func fixedKey(_ name: StaticString) {
        if tree != nil { return tree!.key(name.description) }
        let comma = takeComma()
        name.withUTF8Buffer { name in
            assert(!name.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }, "a fixed key must need no JSON escapes")
            JSONValue.appendFixedKey(name, comma: comma, to: &buffer)
        }
        afterKey = true
    }

    /// Writes a string.
    public mutating func string(_ value: String) {
        if tree != nil { return tree!.add(.string(value)) }
        separate()
        JSONValue.writeString(value, to: &buffer)
    }

    /// Writes one string made of pieces (text, a number, then more text), without joining them into a
    /// `String` first: for messages written for every document.
    public mutating func string(_ head: String, _ number: Int?, _ middle: String, _ tail: String) {
        if tree != nil { return tree!.add(.string(head + (number.map(String.init) ?? "") + middle + tail)) }
        separate()
        buffer.append(UInt8(ascii: "\""))
        JSONValue.writeStringContent(head, to: &buffer)
        if let number { JSONValue.writeInt(number, to: &buffer) }
        JSONValue.writeStringContent(middle, to: &buffer)
        JSONValue.writeStringContent(tail, to: &buffer)
        buffer.append(UInt8(ascii: "\""))
    }

    /// Writes an integer.
    public mutating func int(_ value: Int) {
        if tree != nil { return tree!.add(.int(value)) }
        separate()
        JSONValue.writeInt(value, to: &buffer)
    }

    /// Writes a number the way `JSONValue.double` is written (integral values with ".0", NaN as null).
    public mutating func double(_ value: Double) {
        if tree != nil { return tree!.add(.double(value)) }
        separate()
        JSONValue.writeNumber(value, to: &buffer)
    }

    /// Writes `null`.
    public mutating func null() {
        if tree != nil { return tree!.add(.null) }
        separate()
        buffer.append(literal: "null")
    }

    /// Writes a whole `JSONValue` (for parts that are not hot).
    public mutating func value(_ value: JSONValue) {
        if tree != nil { return tree!.add(value) }
        separate()
        value.write(to: &buffer)
    }

    /// Writes one complete value whose text `write` appends, with the comma before it placed as usual:
    /// for the small types written many times per document (a term and its count, a span), where a
    /// call per key and value cost more than the text. The text must be exactly what the other methods
    /// write for the same value (compact, no spaces); `JSONValue.appendLiteral` appends the fixed parts.
    /// A tree-building writer parses the text back.
    public mutating func rawValue(_ write: (inout JSONBuffer) -> Void) {
        if tree != nil {
            var text = JSONBuffer()
            write(&text)
            return tree!.add((try? JSONParser.parse(text.array)) ?? .null)
        }
        separate()
        write(&buffer)
    }

    /// Writes a value that writes itself.
    public mutating func value(_ value: some JSONWritable) {
        value.writeJSON(to: &self)
    }

    /// Writes an array of values that write themselves.
    ///
    /// Inlinable so that a plugin's module specialises it for its own element type: called
    /// unspecialised from there, it walked the sequence through witness tables and allocated its
    /// iterator on the heap, several times per document.
    @inlinable public mutating func array<Items: Sequence>(_ items: Items) where Items.Element: JSONWritable {
        beginArray()
        for item in items { item.writeJSON(to: &self) }
        endArray()
    }
}

/// An output type that writes its own JSON text with a `JSONWriter`: the engine writes such outputs
/// straight into a document's record, without a `JSONValue` tree in between.
///
/// Only for hot output types (written once per document or per item). `writeJSON` is the one
/// definition of the type's JSON; `jsonValue` (for the CSV and table formats and for code reading
/// outputs as JSON) parses what it writes, so the two cannot disagree. The JSON must be what the
/// type's `Encodable` gives, which its tests check.
public protocol JSONWritable: JSONConvertible, Sendable {
    /// Writes the value as one JSON value.
    func writeJSON(to writer: inout JSONWriter)
}

extension JSONWritable {
    /// The value as JSON, built by the same `writeJSON` that writes its text.
    public var jsonValue: JSONValue {
        var writer = JSONWriter.treeBuilder()
        writeJSON(to: &writer)
        return writer.builtValue
    }
}

/// Builds a `JSONValue` from a writer's calls: a stack of the containers still open.
struct JSONTreeBuilder {
    private struct Open {
        let isObject: Bool
        var fields: [JSONField] = []
        var elements: [JSONValue] = []
        var key: String?
    }

    private var open: [Open] = []
    private(set) var root: JSONValue?

    mutating func begin(object: Bool) {
        open.append(Open(isObject: object))
    }

    mutating func end() {
        guard let done = open.popLast() else { return }
        add(done.isObject ? .object(done.fields) : .array(done.elements))
    }

    mutating func key(_ key: String) {
        guard !open.isEmpty else { return }
        open[open.count - 1].key = key
    }

    mutating func add(_ value: JSONValue) {
        guard !open.isEmpty else { return root = value }
        if open[open.count - 1].isObject {
            open[open.count - 1].fields.append(JSONField(open[open.count - 1].key ?? "", value))
            open[open.count - 1].key = nil
        } else {
            open[open.count - 1].elements.append(value)
        }
    }
}
