import Foundation

/// A JSON file holding one array of objects, each read as a JSONL line is (`JSONLRecordParser`):
/// the text in `textField`, the id in `idField`, the other fields as metadata.
///
/// The array is streamed: each element is cut out of the bytes by `JSONElementScanner` and parsed on
/// its own, so memory holds one chunk of the file and the elements in flight, whatever its size. A
/// file whose top level is not an array stops the run before any document (`InputError`). An element
/// that is not valid JSON, not an object, or lacks the text becomes that document's error record,
/// named `item N` (counted from 1) when it has no id. A file cut off inside an element keeps the
/// elements before (the last is analysed with a warning when whole, else it is its document's error);
/// one cut off between elements or with text after the array throws once those have been returned.
/// Invalid UTF-8 is replaced by U+FFFD with a warning on the element that held it.
struct JSONArraySource: DocumentSource {
    private let stream: ByteStream
    private let name: String
    private let textField: String
    private let idField: String
    private let fallbackPrefix: String
    private var scanner = JSONElementScanner()
    private var item = 0
    /// `stream.consumedBytes` when the last document was returned, 0 before the first.
    private var counted = 0
    /// Where the reading is: in the array, past its closing `]` (what follows is checked at the next
    /// call), or done.
    private var state = State.inArray
    private enum State { case inArray, closed, done }
    var expectedCount: Int? { nil }
    var expectedBytes: Int? { stream.fileSize }

    /// Reads the opening of the array from `stream` (named `name` in errors and ids).
    /// - Throws: `InputError` when the stream is empty, not UTF-8 or does not hold an array.
    init(stream: ByteStream, name: String, textField: String, idField: String, fallbackPrefix: String = "") throws {
        self.stream = stream
        self.name = name
        self.textField = textField
        self.idField = idField
        self.fallbackPrefix = fallbackPrefix
        var first = try stream.peek(8)
        let unmarked = first.count
        try JSONLRecordParser.openRecords(&first, name: name, format: .json)
        stream.skip(unmarked - first.count)  // the byte-order mark
        let give = "give [{\"\(idField)\": ..., \"\(textField)\": ...}, ...]"
        guard let (_, opening) = try stream.nextPiece(endingAt: Self.firstNonSpace), let opening else {
            throw InputError("'\(name)' holds no JSON: it is empty; \(give), or JSONL (one object per line)")
        }
        guard opening == UInt8(ascii: "[") else {
            guard let kind = Self.kind(openingWith: opening) else {
                throw InputError("'\(name)' is not valid JSON: it opens with '\(Self.describe(opening))'; \(give), or JSONL (one object per line)")
            }
            throw InputError("'\(name)' holds a JSON \(kind), not an array of documents; \(give)")
        }
        // The opening bytes count towards the first document, so that the documents add up to the file.
    }

    mutating func next() throws -> PendingDocument? {
        switch state {
        case .inArray: break
        case .closed:
            // Checked after the last element has gone to be analysed, so that it is not lost to an error.
            state = .done
            try checkNothingFollows()
            return nil
        case .done: return nil
        }
        guard let (bytes, delimiter) = try stream.nextPiece(endingAt: { scanner.delimiter(in: $0, from: $1) }) else {
            throw cutOff
        }
        let isBlank = bytes.allSatisfy(JSONParser.isWhitespace)
        if delimiter == UInt8(ascii: "]") {
            state = .closed
            // `[]`, or a comma before the bracket: no element there.
            if isBlank { return try next() }
        }
        if delimiter == nil {
            state = .done
            if isBlank { throw cutOff }
        }
        item += 1
        let fallback = fallbackPrefix + "item \(item)"
        let (textField, idField) = (self.textField, self.idField)
        let byteCount = stream.consumedBytes - counted
        counted = stream.consumedBytes
        let cutOffInside = delimiter == nil ? "'\(name)' ends inside \(fallback), before the array's closing ']': the file may be cut off" : nil
        return PendingDocument(fallbackID: fallback, byteCount: byteCount) {
            let record = JSONLRecordParser.parse(bytes, fallbackID: fallback, textField: textField, idField: idField)
            // The file ends inside this element: whole, it is analysed with a warning; cut, it is
            // the document's error. The elements before it stand either way.
            switch (record, cutOffInside) {
            case (_, nil): return record
            case (.document(let document, let warnings), let message?): return .document(document, warnings: warnings + [message])
            case (.failed(let id, let metadata, _), let message?): return .failed(id: id, metadata: metadata, reason: message)
            }
        }
    }

    private var cutOff: InputError {
        InputError("'\(name)' ends before the array's closing ']': the file may be cut off")
    }

    /// Reads what follows the closing bracket, which may only be white space.
    private func checkNothingFollows() throws {
        if let (_, extra) = try stream.nextPiece(endingAt: Self.firstNonSpace), let extra {
            throw InputError("'\(name)' goes on after the array's closing ']' (with '\(Self.describe(extra))'); give one JSON array, or JSONL (one object per line)")
        }
    }

    /// The offset of the first byte that is not JSON white space.
    private static func firstNonSpace(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        bytes[from...].firstIndex { !JSONParser.isWhitespace($0) }
    }

    /// What a JSON value opening with `byte` is, in words; nil for a byte no value opens with.
    private static func kind(openingWith byte: UInt8) -> String? {
        switch byte {
        case UInt8(ascii: "{"): return "object"
        case UInt8(ascii: "\""): return "string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "boolean"
        case UInt8(ascii: "n"): return "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "number"
        default: return nil
        }
    }

    /// A byte as errors show it: the character when it is printable ASCII.
    private static func describe(_ byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7F ? String(UnicodeScalar(byte)) : String(format: "byte 0x%02X", byte)
    }
}

/// Finds where the elements of a JSON array end, without parsing them: the `,` or `]` outside any
/// string, object or nested array. It keeps its state between calls, so an element can be searched
/// a chunk at a time; a malformed element still ends somewhere, and its parser says what is wrong.
struct JSONElementScanner {
    /// Open objects and arrays inside the element (not told apart: the parser checks they match).
    private var depth = 0
    private var inString = false
    private var escaped = false

    /// The offset of the byte that ends the current element (`,` or `]`), searching from `from`;
    /// nil when `bytes` end first. After a hit the scanner is ready for the next element.
    mutating func delimiter(in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var k = from
        while k < bytes.count {
            let byte = bytes[k]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                if depth == 0 && byte == UInt8(ascii: "]") { return k }
                depth = max(0, depth - 1)
            } else if byte == UInt8(ascii: ",") && depth == 0 {
                return k
            }
            k += 1
        }
        return nil
    }
}
