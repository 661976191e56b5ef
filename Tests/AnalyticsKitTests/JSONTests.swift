@testable import AnalyticsKit
import AnalyticsKitTestSupport
import Foundation
import Testing

@Suite("JSON values, parser and encoder")
struct JSONTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func parsesEveryKindOfValueKeepingKeyOrder() throws {
        let value = try parse(#" {"b": [1, -2.5, 3e2, true, false, null], "a": {"x": "y"}, "c": ""} "#)
        #expect(value == .object([
            JSONField("b", .array([.int(1), .double(-2.5), .double(300), .bool(true), .bool(false), .null])),
            JSONField("a", .object([JSONField("x", .string("y"))])),
            JSONField("c", .string("")),
        ]))
    }

    @Test func unescapesStrings() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
        #expect(try parse(#""\ud83d""#) == .string("\u{FFFD}"))
        #expect(try parse(#""x\ud83d\u0041y""#) == .string("x\u{FFFD}Ay"))  // a high surrogate without its low one
        #expect(try parse(#""\ude00\b\f\r""#) == .string("\u{FFFD}\u{8}\u{C}\r"))
        // An escaped string is unescaped in the room the rest of the line leaves; a short one before a
        // long text is copied to its own size, and both come out whole.
        let text = String(repeating: "word \\\"quoted\\\" ", count: 400)
        let line = #"{"id": "a\"1", "text": ""# + text + #""}"#
        #expect(try parse(line) == .object([JSONField("id", .string("a\"1")),
                                             JSONField("text", .string(String(repeating: "word \"quoted\" ", count: 400)))]))
    }

    @Test func rejectsMalformedInput() {
        for bad in ["", "{", "{\"a\" 1}", "[1,]", "01", "1.", "-", "tru", "\"abc", "{\"a\":1} x", "\"\u{1}\"", "[\"\\x\"]"] {
            #expect(throws: JSONParser.Error.self, "\(bad)") { try parse(bad) }
        }
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: JSONParser.Error.self) { try parse(deep) }
    }

    @Test func roundTripsThroughTheWriter() throws {
        let value = JSONValue.object([
            JSONField("s", .string("quote \" backslash \\ newline \n tab \t bell \u{7} é 😀")),
            JSONField("n", .array([.int(-3), .double(0.25), .double(2), .double(.nan), .null])),
        ])
        let text = value.jsonText
        #expect(text == #"{"s":"quote \" backslash \\ newline \n tab \t bell \u0007 é 😀","n":[-3,0.25,2.0,null,null]}"#)
        let reparsed = try parse(text)
        #expect(reparsed["s"] == value["s"])
        // The same text is valid JSON for Foundation too.
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
    }

    @Test func encoderKeepsDeclarationOrderAndSkipsNil() throws {
        struct Inner: Codable { let z: Int; let a: String? }
        struct Outer: Codable { let name: String; let inner: [Inner]; let flag: Bool; let ratio: Double }
        let value = try JSONValueEncoder().encode(Outer(name: "n", inner: [Inner(z: 1, a: nil), Inner(z: 2, a: "x")], flag: true, ratio: 0.5))
        #expect(value.jsonText == #"{"name":"n","inner":[{"z":1},{"z":2,"a":"x"}],"flag":true,"ratio":0.5}"#)
        // Scalars at the top level (a stage that outputs one number) encode as themselves.
        #expect(try JSONValueEncoder().encode(42) == .int(42))
        #expect(try JSONValueEncoder().encode(2.5) == .double(2.5))
        #expect(try JSONValueEncoder().encode("label") == .string("label"))
        #expect(try JSONValueEncoder().encode(true) == .bool(true))
        struct Wrapped: Codable { let count: Int }
        #expect(try JSONValueEncoder().encode([Wrapped(count: 3)]).jsonText == #"[{"count":3}]"#)
    }

    @Test func handWrittenJSONMatchesCodable() throws {
        // JSONConvertible fast paths must write exactly what Codable would.
        let text = "The cat saw the dog. The dog ran, and the cat sat."
        var values: [String: OptionValue] = [:]
        for spec in FrequencyStage.factory.options { values[spec.name] = spec.defaultValue }
        values["ngrams"] = .ints([1, 2, 3])
        let stage = try FrequencyStage(configuration: StageConfiguration(id: "t", typeName: "frequency", options: StageOptions(values)))
        let output = try stage.analyze(Document(id: "d", text: text), layer: TextLayer(text: text), upstream: UpstreamOutputs())
        let viaCodable = try JSONSerialization.jsonObject(with: JSONEncoder().encode(output)) as! NSDictionary
        let viaFastPath = try JSONSerialization.jsonObject(with: Data(output.jsonValue.jsonText.utf8)) as! NSDictionary
        #expect(viaCodable == viaFastPath)
        var aggregate = stage.makeAggregate()!
        aggregate.add(output, document: Document(id: "d", text: text), sequence: 0)
        let summary = aggregate.finalize()
        let summaryCodable = try JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as! NSDictionary
        let summaryFast = try JSONSerialization.jsonObject(with: Data(try JSONValueEncoder().encode(summary).jsonText.utf8)) as! NSDictionary
        #expect(summaryCodable == summaryFast)
    }

    @Test func termCountsWrittenInOnePieceMatchTheGeneralPath() {
        // Lengths around the eight-byte words and the 32-byte limit, escapes at every position, and
        // counts of every number of digits.
        var terms = (0...40).map { String(repeating: "a", count: $0) } + ["straße", "don't", "new york city"]
        for position in [0, 7, 8, 20, 31] {
            for escaped in ["\"", "\\", "\n", "\u{01}"] {
                var letters = Array(repeating: Character("b"), count: 32)
                letters[position] = Character(escaped)
                terms.append(String(letters))
            }
        }
        for term in terms {
            for count in [0, 1, 9, 10, 99, 12345, Int(Int32.max), Int.max] {
                var fast = JSONBuffer()
                var general = JSONBuffer()
                var text = term
                text.withUTF8 { utf8 in
                    JSONValue.appendTermCount(utf8, count: count, to: &fast)
                    JSONValue.appendTermObject(utf8, then: #","count":"#, { JSONValue.writeInt(count, to: &$0) }, to: &general)
                }
                #expect(fast == general, "\(term) \(count)")
                #expect(String(decoding: fast.array, as: UTF8.self) == JSONValue.object([JSONField("term", .string(term)), JSONField("count", .int(count))]).jsonText)
            }
        }
    }

    /// The first byte a JSON string cannot hold as it is, found eight bytes at a time, is the one a
    /// byte-by-byte walk finds: every special byte at every position of every start, after bytes
    /// outside ASCII and after other special bytes (whose borrows mark later bytes too).
    @Test func plainRunsEndWhereAByteWalkEnds() {
        func reference(_ bytes: [UInt8], _ start: Int) -> Int {
            bytes[start...].firstIndex { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C } ?? bytes.count
        }
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        let fillers: [UInt8] = [0x61, 0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xC3, 0xA9, 0xFF, 0x1F &+ 1]
        for special in [UInt8(0x00), 0x01, 0x0A, 0x1F, 0x22, 0x5C] {
            for length in 0...20 {
                for position in 0...length {
                    var bytes = (0..<length).map { _ in fillers[Int(next() % UInt64(fillers.count))] }
                    if position < length { bytes[position] = special }
                    if next() % 3 == 0, position + 1 < length { bytes[position + 1] = [0x22, 0x5C, 0x00][Int(next() % 3)] }
                    for start in 0...length {
                        let found = bytes.withUnsafeBufferPointer { p in
                            JSONValue.plainRunEnd(p.baseAddress ?? UnsafePointer(bitPattern: 1)!, from: start, to: length)
                        }
                        #expect(found == reference(bytes, start), "\(bytes) from \(start)")
                    }
                }
            }
        }
    }

    /// A term given as words (an n-gram read from the layer) is written as the same term joined by
    /// spaces, with a comma first when asked, on both sides of the 32-byte limit and with escapes.
    @Test func termCountsFromWordsMatchTheJoinedTerm() {
        let words = ["new", "york", "city", "", "straße", "don't", "a\\b", String(repeating: "x", count: 14)]
        for first in words.indices {
            for n in 1...3 where first + n <= words.count {
                let pieces = Array(words[first..<(first + n)])
                for comma in [false, true] {
                    for count in [0, 7, 1234] {
                        var fromWords = JSONBuffer()
                        let utf8 = pieces.map { Array($0.utf8) }
                        let buffers = utf8.map { bytes in bytes.withUnsafeBufferPointer { UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, $0.count)) } }
                        for (buffer, bytes) in zip(buffers, utf8) { _ = buffer.initialize(from: bytes) }
                        JSONValue.appendTermCount(pieces: n, { UnsafeBufferPointer(rebasing: buffers[$0][0..<utf8[$0].count]) }, count: count,
                                                  comma: comma, to: &fromWords)
                        buffers.forEach { $0.deallocate() }
                        let joined = JSONValue.object([JSONField("term", .string(pieces.joined(separator: " "))), JSONField("count", .int(count))])
                        #expect(String(decoding: fromWords.array, as: UTF8.self) == (comma ? "," : "") + joined.jsonText, "\(pieces) \(comma)")
                    }
                }
            }
        }
    }

    @Test func jsonlLineWithInvalidUTF8IsRepairedWithAWarning() {
        let line: [UInt8] = Array(#"{"id":"x","text":"caf"#.utf8) + [0xE9] + Array(#" ok"}"#.utf8)
        guard case .document(let document, let warnings) = JSONLRecordParser.parse(line) else {
            Issue.record("expected a document")
            return
        }
        #expect(document.text == "caf\u{FFFD} ok")
        #expect(warnings == ["invalid UTF-8: 1 sequence(s) replaced by U+FFFD"])
    }
}

@Suite("JSON writer")
struct JSONWriterTests {
    /// The writer's text is `JSONValue.write`'s for the same values, commas and nesting included.
    @Test func writesWhatTheTreeWrites() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("a"); writer.int(-12)
        writer.key("empty"); writer.beginArray(); writer.endArray()
        writer.key("nested"); writer.beginArray()
        writer.beginObject(); writer.endObject()
        writer.beginArray(); writer.double(2.5); writer.double(3); writer.null(); writer.endArray()
        writer.string("quote \" and\nline")
        writer.endArray()
        writer.key("tree"); writer.value(.object([JSONField("x", .bool(true))]))
        writer.key("span"); writer.value(TextSpan(start: 1, end: 4, text: "ünï"))
        writer.endObject()
        let tree: JSONValue = .object([
            JSONField("a", .int(-12)),
            JSONField("empty", .array([])),
            JSONField("nested", .array([.object([]), .array([.double(2.5), .double(3), .null]), .string("quote \" and\nline")])),
            JSONField("tree", .object([JSONField("x", .bool(true))])),
            JSONField("span", .object([JSONField("start", .int(1)), JSONField("end", .int(4)), JSONField("text", .string("ünï"))])),
        ])
        var expected: [UInt8] = []
        tree.write(to: &expected)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        #expect(TextSpan(start: 1, end: 4, text: "ünï").jsonValue == tree["span"])
    }

    /// Integers are spelled as `String(_:)` spells them, at the edges of every digit count and of `Int`.
    @Test func writesIntegersAsSwiftSpellsThem() {
        var values = [0, 1, 9, 10, 99, 100, -1, -9, -10, Int.max, Int.min, Int.max - 1, Int.min + 1]
        var power = 1
        for _ in 0..<18 {
            power *= 10
            values += [power - 1, power, power + 1, -power]
        }
        // And numbers of every length at random, each shifted right by a random amount.
        var seed: UInt64 = 12345
        for _ in 0..<5_000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            values.append(Int(bitPattern: UInt(seed)) >> Int(seed >> 58))
        }
        for value in values {
            var writer = JSONWriter()
            writer.int(value)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == String(value))
        }
        // A span writes its keys and offsets into room it reserves once: the longest offsets fit.
        for (start, end) in [(0, 0), (7, 12345), (Int.max, Int.min), (Int.min, Int.max)] {
            var out = JSONBuffer()
            TextSpan(start: start, end: end, text: "a\"b").appendJSON(to: &out)
            #expect(String(decoding: out.array, as: UTF8.self) == #"{"start":\#(start),"end":\#(end),"text":"a\"b"}"#)
        }
    }

    /// Doubles are spelled as `description` spells them (with ".0" for integral values): the short
    /// decimals the stages write (rounded to a few places, at every magnitude) and arbitrary values.
    @Test func writesDoublesAsSwiftSpellsThem() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
        var values: [Double] = [0.001, 0.00099, 0.0001, 1e-7, 0.1, 0.2, 0.3, 0.1 + 0.2, 2.675, 999_999_999.999_999, 1e9, 1e9 + 0.5,
                                123_456_789.123, 0.75, 1e15, 1e16, -0.0, .nan, .infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                                // The longest `description`s (24 bytes), which must fit the room a number reserves.
                                -.leastNormalMagnitude, -.greatestFiniteMagnitude, -1e15 - 0.5, -999_999_999.999_999]
        for places in 0...8 {
            for _ in 0..<2_000 {
                let magnitude = pow(10, Double(next() % 13) - 4)  // 1e-4 ... 1e8
                let raw = Double(next() % 1_000_000) / 1_000_000 * magnitude
                let scale = pow(10, Double(places))
                let rounded = (raw * scale).rounded() / scale
                values += [rounded, -rounded, Double(bitPattern: next() >> 2)]
            }
        }
        for value in values {
            var writer = JSONWriter()
            writer.double(value)
            let expected = !value.isFinite ? "null" : value == value.rounded() && abs(value) < 1e15 ? "\(Int(value)).0" : value.description
            #expect(String(decoding: writer.bytes, as: UTF8.self) == expected, "\(value.bitPattern)")
        }
    }

    /// Fixed keys are written as `key` writes the same names (commas included, first, nested and
    /// after a container, one letter or longer than the short-key path), in text and in trees.
    @Test func fixedKeysAreKeysInTextAndInTrees() throws {
        func write(_ writer: inout JSONWriter, fixed: Bool) {
            func key(_ name: StaticString) { if fixed { writer.fixedKey(name) } else { writer.key(name.description) } }
            writer.beginObject()
            key("id"); writer.int(1)
            key("x"); writer.null()
            key("nested"); writer.beginObject()
            key("a_name_longer_than_twenty_four_bytes"); writer.beginArray(); writer.int(2); writer.endArray()
            key("after"); writer.string("v")
            writer.endObject()
            key("last"); writer.double(0.5)
            writer.endObject()
        }
        var text = JSONWriter(), reference = JSONWriter()
        write(&text, fixed: true)
        write(&reference, fixed: false)
        let expected = #"{"id":1,"x":null,"nested":{"a_name_longer_than_twenty_four_bytes":[2],"after":"v"},"last":0.5}"#
        #expect(String(decoding: text.bytes, as: UTF8.self) == expected)
        #expect(String(decoding: reference.bytes, as: UTF8.self) == expected)
        var tree = JSONWriter.treeBuilder()
        write(&tree, fixed: true)
        #expect(tree.builtValue == (try JSONParser.parse(Array(expected.utf8))))
    }

    @Test func recordWrittenDirectlyMatchesTheRecordTree() {
        let span = TextSpan(start: 0, end: 5, text: "Hello")
        let result = DocumentResult(
            sequence: 0, id: "doc \"1\"", metadata: [JSONField("source", .string("wire"))],
            stageResults: [.init(stage: "span", json: .writable(span)), .init(stage: "tree", json: .tree(.array([.int(1)])))],
            errors: [StageErrorRecord(stage: "other", message: "failed")], warnings: ["replaced invalid UTF-8"],
            outputs: UpstreamOutputs(), byteCount: 5)
        var direct: [UInt8] = Array("prefix,".utf8)
        result.writeRecord(to: &direct)
        var tree: [UInt8] = Array("prefix,".utf8)
        result.record.write(to: &tree)
        #expect(direct == tree)
        #expect(result.results.map(\.key) == ["span", "tree"])
    }
}

@Suite("JSON string escapes")
struct JSONStringEscapeTests {
    /// Random bytes between quotation marks, heavy in escapes, backslashes and stray bytes: the parser
    /// returns a string or an error, never crashes, and a string it returns is written back the same.
    @Test func parserSurvivesRandomStringBodies() throws {
        let alphabet: [[UInt8]] = [[0x5C], [0x22], Array("u".utf8), Array("n".utf8), Array("0".utf8), Array("d8".utf8),
                                   Array("dc".utf8), Array("ab".utf8), [0x0A], [0x01], [0xC3, 0xA9], [0xE2], [0xFF], Array(" text ".utf8)]
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<3_000 {
            var line: [UInt8] = [0x22]
            for _ in 0..<Int.random(in: 0...24, using: &generator) { line += alphabet.randomElement(using: &generator)! }
            line.append(0x22)
            if case .string(let text)? = try? JSONParser.parse(line) {
                var written: [UInt8] = []
                JSONValue.string(text).write(to: &written)
                #expect(try JSONParser.parse(written) == .string(text))
            }
        }
    }

    /// The parser reads plain runs eight bytes at a time: a raw control character, an escape or the
    /// closing quote must be seen at every position of a long string all the same.
    @Test func parserSeesEscapesAndControlCharactersAtEveryPosition() throws {
        let plain = Array("The harbour was calm and the boats stayed in".utf8)
        for position in 0...plain.count {
            var raw = plain
            raw.insert(0x0A, at: position)
            #expect(throws: JSONParser.Error.self) { try JSONParser.parse([0x22] + raw + [0x22]) }
            var escaped = plain
            escaped.insert(contentsOf: Array(#"\n\""#.utf8), at: position)
            var expected = plain
            expected.insert(contentsOf: [0x0A, 0x22], at: position)
            #expect(try JSONParser.parse([0x22] + escaped + [0x22]) == .string(String(decoding: expected, as: UTF8.self)))
            #expect(try JSONParser.parse([0x22] + Array(plain[..<position]) + [0x22]) == .string(String(decoding: plain[..<position], as: UTF8.self)))
        }
    }

    /// The eight-bytes-at-a-time escaping writes what a byte-by-byte escaper writes, wherever the
    /// characters to escape fall (start, end, word boundaries, next to multi-byte characters).
    @Test func escapesLikeTheSimpleDefinition() throws {
        func reference(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar.value {
                case 0x22: out += "\\\""
                case 0x5C: out += "\\\\"
                case 0x0A: out += "\\n"
                case 0x0D: out += "\\r"
                case 0x09: out += "\\t"
                case 0..<0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        let pieces = ["a", "quote \"", "\\", "\n", "\t", "\u{1}", "\u{1F}", "é", "“curly”", "👍", " ", "0123456789", "\r"]
        var generator = SeededGenerator(seed: 2026)  // seeded, so a failure reproduces
        for length in 0..<60 {
            for _ in 0..<20 {
                let text = (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
                var bytes: [UInt8] = []
                JSONValue.string(text).write(to: &bytes)
                #expect(String(decoding: bytes, as: UTF8.self) == reference(text))
                #expect(try JSONParser.parse(bytes) == .string(text))
                var writer = JSONWriter()  // keys take their own short path
                writer.beginObject(); writer.key(text); writer.int(length); writer.endObject()
                #expect(String(decoding: writer.bytes, as: UTF8.self) == "{" + reference(text) + ":\(length)}")
            }
        }
    }
}

@Suite("JSON buffer")
struct JSONBufferTests {
    /// Every way of appending, across many growths of the memory, gives the bytes an array would hold.
    @Test func appendsWhatAnArrayWould() {
        var buffer = JSONBuffer()
        var array: [UInt8] = []
        var seed: UInt64 = 7
        for round in 0..<2_000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let piece = (0..<Int(seed >> 59)).map { UInt8(truncatingIfNeeded: (seed >> UInt64($0 % 56)) | 0x20) }
            switch round % 4 {
            case 0: piece.withUnsafeBufferPointer { buffer.append($0) }
            case 1: buffer.append(contentsOf: piece)
            case 2: for byte in piece { buffer.append(byte) }
            default:
                buffer.append(atMost: piece.count + 3) { out in
                    for (k, byte) in piece.enumerated() { out[k] = byte }
                    return piece.count
                }
            }
            array += piece
        }
        buffer.append(literal: "{}")
        buffer.append(utf8: "é\"")
        array += Array("{}é\"".utf8)
        #expect(buffer.array == array)
        #expect(buffer.count == array.count)
        #expect(buffer[array.count - 1] == array[array.count - 1])
        #expect(buffer == JSONBuffer(array))
    }

    /// A copy keeps its bytes when the original is appended to or emptied, and the other way round.
    @Test func copiesAreIndependent() {
        var original = JSONBuffer(capacity: 8)
        original.append(literal: "abc")
        var copy = original
        copy.append(literal: "def")
        original.append(literal: "xyz")
        #expect(String(decoding: original.array, as: UTF8.self) == "abcxyz")
        #expect(String(decoding: copy.array, as: UTF8.self) == "abcdef")
        let kept = copy
        copy.removeAll()
        copy.append(literal: "new")
        #expect(String(decoding: kept.array, as: UTF8.self) == "abcdef")
        #expect(String(decoding: copy.array, as: UTF8.self) == "new")
        #expect(JSONBuffer().isEmpty && JSONBuffer().array.isEmpty)
    }
}
