/// A JSON document held in memory, with object keys in the order they were written.
///
/// The engine turns every stage output into a `JSONValue` (see `JSONValueEncoder`) so that each output
/// format (JSONL, JSON, CSV, table) works from one structure, and so that output bytes depend only on
/// the values, never on hashing or thread timing.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Key-value pairs in order; keys are unique.
    case object([JSONField])

    /// The value under `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let fields) = self else { return nil }
        return fields.first { $0.key == key }?.value
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number as a `Double`, when this is a number.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// True for null, booleans, numbers and strings.
    public var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }
}

/// One key-value pair of a JSON object.
public struct JSONField: Sendable, Hashable {
    /// The key.
    public let key: String
    /// The value.
    public let value: JSONValue
    /// Creates a pair.
    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

extension JSONValue {
    /// Appends the compact JSON text of this value to `out`.
    public func write(to out: inout JSONBuffer) {
        switch self {
        case .null: out.append(literal: "null")
        case .bool(let b): out.append(literal: b ? "true" : "false")
        case .int(let i): Self.writeInt(i, to: &out)
        case .double(let d): Self.writeNumber(d, to: &out)
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (k, element) in elements.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                element.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (k, field) in fields.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeKey(field.key, to: &out)
                field.value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends the compact JSON text of this value to an array.
    public func write(to out: inout [UInt8]) {
        var buffer = JSONBuffer()
        write(to: &buffer)
        buffer.withUnsafeBufferPointer { out.append(contentsOf: $0) }
    }

    /// The compact JSON text of this value.
    public var jsonText: String {
        var out = JSONBuffer()
        write(to: &out)
        return out.string
    }

    /// Writes a double as JSON, spelled as `description` spells it (integral values with ".0"); NaN and infinities as `null`.
    public static func writeNumber(_ d: Double, to out: inout JSONBuffer) {
        out.append(atMost: mostNumberBytes) { writeNumber(d, at: $0) }
    }

    /// The most bytes `writeNumber(_:at:)` writes: `description` spells no double in more than 24
    /// ("-2.2250738585072014e-308").
    @inlinable public static var mostNumberBytes: Int { 32 }

    /// Writes a double as `writeNumber(_:to:)` writes it at `text`, which has room for
    /// `mostNumberBytes`, and returns how many bytes it wrote (see `writeInt(_:at:)`).
    public static func writeNumber(_ d: Double, at text: UnsafeMutablePointer<UInt8>) -> Int {
        guard d.isFinite else { return writeLiteral("null", at: text) }
        if d == d.rounded(.towardZero), abs(d) < 1e15 {  // integral (truncation is an instruction, rounded() a libm call)
            let n = writeInt(Int(d), at: text)
            return n &+ writeLiteral(".0", at: text + n)
        }
        if let n = writeShortDecimal(d, at: text) { return n }
        var description = d.description
        return description.withUTF8 { utf8 in
            let n = min(utf8.count, mostNumberBytes)  // 24 at most: the bound only keeps the write in its room
            text.update(from: utf8.baseAddress!, count: n)
            return n
        }
    }

    /// Writes `d` at `text` as `d.description` spells it when it has at most six decimals (scores and
    /// ratios, rounded by the stages that write them), without `description`'s general algorithm and
    /// its `String`: a record holds dozens of such numbers. Returns how many bytes it wrote (at most
    /// 17), or nil, having written nothing, otherwise.
    ///
    /// Why it is the same text: when `m / 10^6` (both exact in a double) divides to `d`, the decimal
    /// m·10⁻⁶ rounds to `d`, and with its trailing zeros dropped it has at most 15 significant digits,
    /// so it is the only decimal of its length or shorter that does: the shortest round-trip form that
    /// `description` writes. (A value with fewer decimals matches too: m is then a multiple of ten.)
    /// Between 0.001 and 10⁹ `description` writes plain decimals, not exponents.
    private static func writeShortDecimal(_ d: Double, at text: UnsafeMutablePointer<UInt8>) -> Int? {
        let magnitude = abs(d)
        guard magnitude >= 0.001, magnitude < 1e9 else { return nil }
        // Rounding to nearest-even is an instruction where `rounded()` calls libm; either gives the
        // only candidate that can divide back to `magnitude`.
        let m = (magnitude * 1e6).rounded(.toNearestOrEven)
        guard m / 1e6 == magnitude else { return nil }
        let digits = Int(m)
        let fraction = digits % 1_000_000
        var n = 0
        if d < 0 {
            text[0] = UInt8(ascii: "-")
            n = 1
        }
        n &+= writeDigits(UInt64(digits / 1_000_000), at: text + n)
        // The point and all six decimals, two at a time, then the trailing zeros taken off again: a
        // division for each decimal and for each zero cost about a hundred instructions a number.
        text[n] = UInt8(ascii: ".")
        writePair(fraction / 10_000, at: text + (n &+ 1))
        writePair(fraction / 100 % 100, at: text + (n &+ 3))
        writePair(fraction % 100, at: text + (n &+ 5))
        var places = 6
        while text[n &+ places] == 0x30 { places &-= 1 }  // d is not integral here, so a decimal is not 0
        return n &+ places &+ 1
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Writes a string with JSON escapes; everything outside ASCII control characters is written as UTF-8.
    public static func writeString(_ s: String, to out: inout JSONBuffer) {
        // Read in place: `var s = s; s.withUTF8` copied the string, a retain and a release per string written.
        if s.utf8.withContiguousStorageIfAvailable({ writeString(utf8: $0, to: &out) }) != nil { return }
        var s = s
        s.withUTF8 { writeString(utf8: $0, to: &out) }
    }

    /// Writes a string given as its UTF-8 bytes, as `writeString(_:to:)` writes the same text: for
    /// text held as bytes, which need not become a `String` to be written.
    static func writeString(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout JSONBuffer) {
        if appendShortQuoted(bytes, colon: false, to: &out) { return }
        out.append(UInt8(ascii: "\""))
        writeStringContent(utf8: bytes, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends fixed JSON text (punctuation and keys written as a literal, such as `{"term":`) for
    /// `JSONWriter.rawValue`: one copy, no check, so the literal must be valid JSON text as written.
    @inlinable @inline(__always) public static func appendLiteral(_ literal: StaticString, to out: inout JSONBuffer) {
        out.append(literal: literal)
    }

    /// Writes an object key with JSON escapes and the colon after it, and the comma before it when
    /// `comma` says so.
    static func writeKey(_ key: String, comma: Bool = false, to out: inout JSONBuffer) {
        if key.utf8.withContiguousStorageIfAvailable({ appendShortQuoted($0, comma: comma, colon: true, to: &out) }) == true { return }
        if comma { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        writeStringContent(key, to: &out)
        out.append(literal: "\":")
    }

    /// Appends a short string that needs no escapes in quotation marks (with a comma before it and a
    /// colon after it, for a key that follows a field) with one append, and returns true; returns
    /// false, appending nothing, for any other string. Keys and terms are mostly such strings, and
    /// an append for each piece cost more than the text.
    static func appendShortQuoted(_ text: UnsafeBufferPointer<UInt8>, comma: Bool = false, colon: Bool, to out: inout JSONBuffer) -> Bool {
        let n = text.count
        guard n <= 24 else { return false }
        // Text between quotes in 32 bytes of spaces on the stack, checked eight bytes at a time; the
        // comma, when there is one, goes in the byte before the opening quote.
        let spaces: UInt64 = 0x2020_2020_2020_2020
        var buffer = (spaces, spaces, spaces, spaces, spaces)
        return withUnsafeMutableBytes(of: &buffer) { raw in
            let bytes = raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + 1
            if let source = text.baseAddress { (bytes + 1).update(from: source, count: n) }
            for word in 0..<((n + 8) / 8) where mayNeedEscape(raw.loadUnaligned(fromByteOffset: 1 + 8 * word, as: UInt64.self)) { return false }
            bytes[-1] = 0x2C
            bytes[0] = 0x22
            bytes[n + 1] = 0x22
            bytes[n + 2] = 0x3A
            let start = comma ? bytes - 1 : bytes
            out.append(UnsafeBufferPointer(start: start, count: n + (colon ? 3 : 2) + (comma ? 1 : 0)))
            return true
        }
    }

    /// Appends a key that needs no escapes (`JSONWriter.fixedKey`): the comma when `comma` says so,
    /// the name in quotes and the colon, in one append.
    static func appendFixedKey(_ name: UnsafeBufferPointer<UInt8>, comma: Bool, to out: inout JSONBuffer) {
        let n = name.count
        // Straight into the buffer's room: put together on the stack first, the key was copied twice.
        out.append(atMost: n + 4) { at in
            var k = 0
            if comma {
                at[0] = 0x2C
                k = 1
            }
            at[k] = 0x22
            if n > 0 { (at + k + 1).update(from: name.baseAddress!, count: n) }
            at[k + n + 1] = 0x22
            at[k + n + 2] = 0x3A
            return k + n + 3
        }
    }

    /// Writes an integer in decimal, as `String(value)` spells it, without making the `String`: counts
    /// are written several times in every record.
    public static func writeInt(_ value: Int, to out: inout JSONBuffer) {
        if value >= 0 && value < 10 { return out.append(0x30 &+ UInt8(truncatingIfNeeded: value)) }
        // In place: at most a sign and 19 digits.
        out.append(atMost: 20) { writeInt(value, at: $0) }
    }

    /// Writes an integer in decimal at `text`, which has room for 20 bytes (a sign and 19 digits), and
    /// returns how many bytes it wrote: for a run of keys and numbers written into room reserved once
    /// (`JSONBuffer.append(atMost:_:)`), where an append each checked the buffer's room and uniqueness.
    public static func writeInt(_ value: Int, at text: UnsafeMutablePointer<UInt8>) -> Int {
        guard value < 0 else { return writeDigits(UInt64(value), at: text) }
        text[0] = UInt8(ascii: "-")
        return 1 &+ writeDigits(UInt64(value.magnitude), at: text + 1)
    }

    /// Copies fixed text written into the code to `text`, which has room for it, and returns its length:
    /// the keys of a run written into room reserved once, as for `writeInt(_:at:)`.
    @inlinable @inline(__always) public static func writeLiteral(_ literal: StaticString, at text: UnsafeMutablePointer<UInt8>) -> Int {
        let count = literal.utf8CodeUnitCount
        text.update(from: literal.utf8Start, count: count)
        return count
    }

    /// Writes the decimal digits of `value` at `text` (room for 20) and returns how many it wrote.
    /// The count comes from the bit length (1233 / 4096 is just above log10 2), corrected by one
    /// comparison; then the digits go in from the last, two per division: a division per digit and a
    /// loop to count them first cost about 120 instructions per number, and a record has dozens.
    static func writeDigits(_ value: UInt64, at text: UnsafeMutablePointer<UInt8>) -> Int {
        guard value > 0 else {
            text[0] = 0x30
            return 1
        }
        var magnitude = value
        let estimate = ((64 - magnitude.leadingZeroBitCount) &* 1233) >> 12
        let digits = estimate &+ (magnitude >= powersOfTen[estimate] ? 1 : 0)
        var k = digits
        while magnitude >= 100 {
            let pair = Int(truncatingIfNeeded: magnitude % 100)
            magnitude /= 100
            k &-= 2
            writePair(pair, at: text + k)
        }
        if magnitude >= 10 {
            k &-= 2
            writePair(Int(truncatingIfNeeded: magnitude), at: text + k)
        } else {
            k &-= 1
            text[k] = 0x30 &+ UInt8(truncatingIfNeeded: magnitude)
        }
        return digits
    }

    /// Writes the two decimal digits of `pair` (0 to 99) at `text`, from the table of digit pairs.
    @inline(__always) private static func writePair(_ pair: Int, at text: UnsafeMutablePointer<UInt8>) {
        let pairs = digitPairs.utf8Start  // 200 bytes; a pair's first byte is at most 198
        text[0] = pairs[pair &* 2]
        text[1] = pairs[pair &* 2 &+ 1]
    }

    // Both tables are literals, which the compiler lays out in the binary: built by code, each was a
    // lazily made global, and every number written called `swift_once` twice to reach them.
    /// 10^0 to 10^19, for counting an integer's digits.
    private static let powersOfTen: [UInt64] = [
        1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000, 1000000000000, 10000000000000, 100000000000000, 1000000000000000, 10000000000000000, 100000000000000000, 1000000000000000000, 10000000000000000000,
    ]
    /// "00" to "99", two bytes each.
    private static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// Writes a string's characters with JSON escapes, without the quotation marks.
    static func writeStringContent(_ s: String, to out: inout JSONBuffer) {
        if s.utf8.withContiguousStorageIfAvailable({ writeStringContent(utf8: $0, to: &out) }) != nil { return }
        var s = s
        s.withUTF8 { writeStringContent(utf8: $0, to: &out) }
    }

    /// Writes UTF-8 text with JSON escapes, without the quotation marks.
    static func writeStringContent(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout JSONBuffer) {
        guard let base = bytes.baseAddress else { return }
        let n = bytes.count
        var runStart = 0
        var k = 0
        while true {
            // Quotes and spans carry whole sentences: the runs between escapes are found eight bytes
            // at a time and copied whole.
            k = plainRunEnd(base, from: k, to: n)
            guard k < n else { break }
            let b = base[k]
            out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<k]))
            k += 1
            runStart = k
            switch b {
            case 0x22: out.append(literal: #"\""#)
            case 0x5C: out.append(literal: #"\\"#)
            case 0x0A: out.append(literal: #"\n"#)
            case 0x0D: out.append(literal: #"\r"#)
            case 0x09: out.append(literal: #"\t"#)
            default:
                out.append(literal: #"\u00"#)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            }
        }
        out.append(UnsafeBufferPointer(rebasing: bytes[runStart...]))
    }

    /// The index of the first byte in `start..<end` that a JSON string cannot hold as it is (a
    /// control character, `"` or `\\`), or `end` when there is none: the writer escapes it, the
    /// parser unescapes or ends the string there. Eight bytes at a time, the byte itself found from
    /// the eight's bits rather than walked to; sixteen at a time, in one vector, while that many are
    /// left (a line's text runs about fifty bytes between escapes). Wrapping arithmetic: `end` is a
    /// buffer's length, far below the largest `Int`.
    @inline(__always) static func plainRunEnd(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var k = start
        let control = ByteBlock.splat(0x20), quote = ByteBlock.splat(0x22), backslash = ByteBlock.splat(0x5C)
        while k &+ 16 <= end {
            let v = ByteBlock.load(base + k)
            let stop = ByteBlock.firstSet(v .< control .| v .== quote .| v .== backslash)
            if stop < 16 { return k &+ stop }
            k &+= 16
        }
        while k &+ 8 <= end {
            let bits = escapeBits(UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
            if bits != 0 { return k &+ bits.trailingZeroBitCount / 8 }
            k &+= 8
        }
        while k < end {
            let b = base[k]
            if b < 0x20 || b == 0x22 || b == 0x5C { return k }
            k &+= 1
        }
        return end
    }

    /// True when one of the eight bytes in `word` is a control character, `"` or `\\` (bytes of
    /// multi-byte characters never match).
    @inline(__always) static func mayNeedEscape(_ word: UInt64) -> Bool {
        escapeBits(word) != 0
    }

    /// Bit 7 of each byte of `word` (eight bytes, the first lowest) that is a control character, `"`
    /// or `\\`: exact up to the first such byte, the lowest bit set; a byte after it may be marked
    /// as well (a borrow carries into it), so only the lowest bit is to be read.
    @inline(__always) static func escapeBits(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func zeroBytes(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        let below0x20 = (word &- ones &* 0x20) & ~word & highs
        return below0x20 | zeroBytes(word ^ (ones &* 0x22)) | zeroBytes(word ^ (ones &* 0x5C))
    }
}

extension JSONValue: Codable {
    /// Decodes any JSON; object keys come out sorted, since decoders do not keep their order.
    public init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: AnyCodingKey.self) {
            let keys = keyed.allKeys.sorted { $0.stringValue < $1.stringValue }
            self = .object(try keys.map { JSONField($0.stringValue, try keyed.decode(JSONValue.self, forKey: $0)) })
            return
        }
        if var unkeyed = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !unkeyed.isAtEnd { elements.append(try unkeyed.decode(JSONValue.self)) }
            self = .array(elements)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let b = try? single.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? single.decode(Int.self) {
            self = .int(i)
        } else if let d = try? single.decode(Double.self) {
            self = .double(d)
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    /// Encodes the value as the JSON it holds.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .int(let i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case .double(let d):
            var c = encoder.singleValueContainer()
            try c.encode(d)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .array(let elements):
            var c = encoder.unkeyedContainer()
            for element in elements { try c.encode(element) }
        case .object(let fields):
            var c = encoder.container(keyedBy: AnyCodingKey.self)
            for field in fields { try c.encode(field.value, forKey: AnyCodingKey(field.key)) }
        }
    }
}

/// A coding key for any string.
struct AnyCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(_ string: String) {
        stringValue = string
        intValue = nil
    }
    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}
