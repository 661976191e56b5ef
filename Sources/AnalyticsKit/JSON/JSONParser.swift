/// A strict JSON (RFC 8259) parser over UTF-8 bytes, producing a `JSONValue` with keys in input order.
///
/// Written for JSONL input, where each line is parsed on a worker: it is several times faster than
/// `JSONSerialization` on news-sized lines (see docs/performance.md) and keeps object keys in the
/// order they were written. Nesting deeper than `maxDepth` is an error, not a stack overflow.
/// Strings must be valid UTF-8; callers repair invalid input first (see `JSONLRecordParser`).
public struct JSONParser {
    /// What went wrong and where (a byte offset into the input).
    public struct Error: Swift.Error, CustomStringConvertible, Equatable {
        /// Byte offset of the problem.
        public let offset: Int
        /// What is wrong.
        public let reason: String
        public var description: String { "\(reason) at byte \(offset)" }
    }

    /// The deepest nesting accepted.
    public static let maxDepth = 256

    private let p: UnsafeBufferPointer<UInt8>
    private var i = 0

    private init(_ p: UnsafeBufferPointer<UInt8>) { self.p = p }

    /// Parses one JSON value that fills `bytes` (surrounding whitespace allowed).
    public static func parse(_ bytes: [UInt8]) throws(JSONParser.Error) -> JSONValue {
        let result: Result<JSONValue, JSONParser.Error> = bytes.withUnsafeBufferPointer { p in
            var parser = JSONParser(p)
            do throws(JSONParser.Error) {
                parser.skipWhitespace()
                let value = try parser.value(depth: 0)
                parser.skipWhitespace()
                guard parser.i == p.count else { throw parser.error("unexpected text after the JSON value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private func error(_ reason: String) -> JSONParser.Error { JSONParser.Error(offset: i, reason: reason) }

    private mutating func skipWhitespace() {
        while i < p.count, Self.isWhitespace(p[i]) { i += 1 }
    }

    /// Whether `byte` is JSON white space (space, tab, line feed, carriage return).
    @inline(__always) static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private mutating func value(depth: Int) throws(JSONParser.Error) -> JSONValue {
        guard depth < Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
        guard i < p.count else { throw error("unexpected end of input") }
        switch p[i] {
        case 0x7B: return try object(depth: depth)
        case 0x5B: return try array(depth: depth)
        case 0x22: return .string(try string())
        case 0x74: return try literal("true", .bool(true))
        case 0x66: return try literal("false", .bool(false))
        case 0x6E: return try literal("null", .null)
        case 0x2D, 0x30...0x39: return try number()
        default: throw error("unexpected character")
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONParser.Error) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard i + count <= p.count else { throw error("unexpected end of input") }
        for k in 0..<count where p[i + k] != word.utf8Start[k] { throw error("invalid literal") }
        i += count
        return value
    }

    private mutating func object(depth: Int) throws(JSONParser.Error) -> JSONValue {
        i += 1
        var fields: [JSONField] = []
        skipWhitespace()
        if i < p.count, p[i] == 0x7D {
            i += 1
            return .object(fields)
        }
        // Room for a JSONL record's few fields at once: growing from one field to four reallocated twice.
        fields.reserveCapacity(4)
        while true {
            skipWhitespace()
            guard i < p.count, p[i] == 0x22 else { throw error("expected a string key") }
            let key = try string()
            skipWhitespace()
            guard i < p.count, p[i] == 0x3A else { throw error("expected ':'") }
            i += 1
            skipWhitespace()
            let value = try value(depth: depth + 1)
            // A repeated key keeps its first position and its last value.
            if let existing = fields.firstIndex(where: { $0.key == key }) {
                fields[existing] = JSONField(key, value)
            } else {
                fields.append(JSONField(key, value))
            }
            skipWhitespace()
            guard i < p.count else { throw error("unexpected end of input in an object") }
            if p[i] == 0x2C { i += 1; continue }
            if p[i] == 0x7D { i += 1; return .object(fields) }
            throw error("expected ',' or '}'")
        }
    }

    private mutating func array(depth: Int) throws(JSONParser.Error) -> JSONValue {
        i += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if i < p.count, p[i] == 0x5D {
            i += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            guard i < p.count else { throw error("unexpected end of input in an array") }
            if p[i] == 0x2C { i += 1; continue }
            if p[i] == 0x5D { i += 1; return .array(elements) }
            throw error("expected ',' or ']'")
        }
    }

    /// Moves to the next byte that does not stand for itself in a string (a quote mark, a backslash,
    /// a control character), or to the end.
    private mutating func skipPlainBytes() {
        guard let base = p.baseAddress else { return }
        i = JSONValue.plainRunEnd(base, from: i, to: p.count)
    }

    private mutating func string() throws(JSONParser.Error) -> String {
        i += 1
        let start = i
        // Fast path: no escapes, the bytes are the string.
        skipPlainBytes()
        while i < p.count {
            let b = p[i]
            if b == 0x22 {
                let s = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if b == 0x5C { break }
            if b < 0x20 { throw error("control character in a string") }
            i += 1
        }
        // Text in JSONL escapes its newlines and quote marks: the runs between escapes are copied whole,
        // straight into the string's storage. Unescaping never lengthens the text, so the rest of the
        // line is room enough.
        let room = p.count - start
        var failure: JSONParser.Error?
        var closed = false
        var unescaped = String(unsafeUninitializedCapacity: room) { out in
            var n = i - start
            _ = UnsafeMutableBufferPointer(rebasing: out[0..<n]).initialize(from: UnsafeBufferPointer(rebasing: p[start..<i]))
            func put(_ b: UInt8) {
                out[n] = b
                n += 1
            }
            while i < p.count {
                let runStart = i
                skipPlainBytes()
                if i > runStart {
                    _ = UnsafeMutableBufferPointer(rebasing: out[n..<(n + i - runStart)]).initialize(from: UnsafeBufferPointer(rebasing: p[runStart..<i]))
                    n += i - runStart
                }
                guard i < p.count else { break }
                let b = p[i]
                if b == 0x22 {
                    i += 1
                    closed = true
                    return n
                }
                if b < 0x20 {
                    failure = error("control character in a string")
                    return 0
                }
                guard i + 1 < p.count else { break }
                i += 2
                switch p[i - 1] {
                case 0x22: put(0x22)
                case 0x5C: put(0x5C)
                case 0x2F: put(0x2F)
                case 0x62: put(0x08)
                case 0x66: put(0x0C)
                case 0x6E: put(0x0A)
                case 0x72: put(0x0D)
                case 0x74: put(0x09)
                case 0x75:
                    do throws(JSONParser.Error) {
                        var scalar = try hex4()
                        if (0xD800..<0xDC00).contains(scalar) {
                            // A high surrogate must be followed by an escaped low one.
                            if i + 1 < p.count, p[i] == 0x5C, p[i + 1] == 0x75 {
                                i += 2
                                let low = try hex4()
                                if (0xDC00..<0xE000).contains(low) {
                                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                                } else {
                                    UTF8.encode("\u{FFFD}", into: put)
                                    scalar = low
                                }
                            } else {
                                scalar = 0xFFFD
                            }
                        } else if (0xDC00..<0xE000).contains(scalar) {
                            scalar = 0xFFFD
                        }
                        UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}", into: put)
                    } catch {
                        failure = error
                        return 0
                    }
                default:
                    failure = error("invalid escape")
                    return 0
                }
            }
            return 0
        }
        if let failure { throw failure }
        guard closed else { throw error("unterminated string") }
        // A short string early in a long line (an escaped id or key) would otherwise keep the whole
        // line's room as its capacity.
        if room - unescaped.utf8.count > 4096 {
            let exact = unescaped.utf8.count
            unescaped = unescaped.utf8.withContiguousStorageIfAvailable { text in
                String(unsafeUninitializedCapacity: exact) { UnsafeMutableBufferPointer(rebasing: $0[0..<exact]).initialize(from: text).1 }
            } ?? unescaped
        }
        return unescaped
    }

    private mutating func hex4() throws(JSONParser.Error) -> UInt32 {
        guard i + 4 <= p.count else { throw error("incomplete \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = p[i]
            let digit: UInt8
            switch b {
            case 0x30...0x39: digit = b - 0x30
            case 0x41...0x46: digit = b - 0x41 + 10
            case 0x61...0x66: digit = b - 0x61 + 10
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            i += 1
        }
        return value
    }

    private mutating func number() throws(JSONParser.Error) -> JSONValue {
        let start = i
        if p[i] == 0x2D { i += 1 }
        func digits() -> Int {
            let from = i
            while i < p.count, p[i] &- 0x30 < 10 { i += 1 }
            return i - from
        }
        guard i < p.count else { throw error("invalid number") }
        if p[i] == 0x30 { i += 1 } else if digits() == 0 { throw error("invalid number") }
        var integral = true
        if i < p.count, p[i] == 0x2E {
            i += 1
            integral = false
            guard digits() > 0 else { throw error("invalid number") }
        }
        if i < p.count, p[i] == 0x65 || p[i] == 0x45 {
            i += 1
            integral = false
            if i < p.count, p[i] == 0x2B || p[i] == 0x2D { i += 1 }
            guard digits() > 0 else { throw error("invalid number") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
        if integral, let n = Int(text) { return .int(n) }
        guard let d = Double(text) else { throw error("invalid number") }
        return .double(d)
    }
}
