@testable import AnalyticsKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// A fresh temporary directory with the given files (relative path → bytes); the caller removes it (`defer`).
func makeTree(_ files: [String: [UInt8]]) throws -> String {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ak-\(UUID().uuidString)").path
    for (path, bytes) in files {
        let full = root + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: Data(bytes))
    }
    return root
}

/// Every record a source yields, loaded.
private func records(_ spec: InputSpec) throws -> [InputRecord] {
    var source = try DocumentSources.open(spec)
    var out: [InputRecord] = []
    while let pending = try source.next() { out.append(pending.load()) }
    return out
}

private func summary(_ record: InputRecord) -> String {
    switch record {
    case .document(let d, let warnings): return "\(d.id)=\(d.text)" + (warnings.isEmpty ? "" : " !\(warnings.joined(separator: ","))")
    case .failed(let id, _, let reason): return "\(id) ERROR \(reason)"
    }
}

@Suite("Inputs")
struct InputTests {
    @Test func directoryIsReadRecursivelyInPathOrder() throws {
        let root = try makeTree([
            "b.txt": Array("bee".utf8), "a.md": Array("ay".utf8), "sub/c.TXT": Array("sea".utf8),
            "skip.json": Array("{}".utf8), "sub/deeper/d.txt": Array("dee".utf8),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let got = try records(InputSpec(path: root)).map(summary)
        #expect(got == ["a.md=ay", "b.txt=bee", "sub/c.TXT=sea", "sub/deeper/d.txt=dee"])
        let onlyMarkdown = try records(InputSpec(path: root, extensions: ["md"])).map(summary)
        #expect(onlyMarkdown == ["a.md=ay"])
    }

    @Test func singleFileAndGlob() throws {
        let root = try makeTree(["x/one.txt": Array("1".utf8), "x/two.txt": Array("2".utf8), "x/y/three.txt": Array("3".utf8)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try records(InputSpec(path: root + "/x/two.txt")).map(summary) == ["two.txt=2"])
        #expect(try records(InputSpec(path: root + "/x/*.txt")).map(summary) == ["one.txt=1", "two.txt=2"])
        #expect(try records(InputSpec(path: root + "/x/**/*.txt")).map(summary) == ["one.txt=1", "two.txt=2", "y/three.txt=3"])
        #expect(throws: InputError.self) { try records(InputSpec(path: root + "/x/*.pdf")) }
    }

    @Test func aGlobOrDirectoryReadsEachFileByItsFormat() throws {
        let jsonl = #"{"id": "j1", "text": "first"}"# + "\n" + #"{"text": "no id"}"# + "\n"
        let files: [String: [UInt8]] = [
            "in/a.jsonl": Array(jsonl.utf8), "in/b.txt": Array("plain".utf8), "in/c.csv": Array("id,text\nc1,row text\n,no id\n".utf8),
            "in/d.csv": Array("id,body\nx,y\n".utf8), "in/e.jsonl": [0xFF, 0xFE, 0x7B, 0x00], "in/f.jsonl": Array(#"{"id": "f1", "text": "last"}"#.utf8),
        ]
        let root = try makeTree(files)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let expected = [
            "j1=first", "a.jsonl line 2=no id", "b.txt=plain", "c1=row text", "c.csv row 2=no id",
            "d.csv ERROR CSV '\(root)/in/d.csv' has no column 'text' (columns: id, body); set input.text_field",
            "e.jsonl ERROR '\(root)/in/e.jsonl' is UTF-16 (it opens with a UTF-16 byte-order mark); JSONL must be UTF-8: convert it with iconv -f UTF-16 -t UTF-8",
            "f1=last",
        ]
        #expect(try records(InputSpec(path: root + "/in/*")).map(summary) == expected)
        let directory = InputSpec(path: root + "/in", extensions: ["jsonl", "txt", "csv"])
        #expect(try records(directory).map(summary) == expected)
        // With files of records among text files the count is not known but the bytes are.
        let source = try DocumentSources.open(directory)
        #expect(source.expectedCount == nil && source.expectedBytes == files.values.reduce(0) { $0 + $1.count })
        // A format named for the input applies to every file: here, each is one text.
        #expect(try records(InputSpec(path: root + "/in/*.jsonl", format: .text)).count == 3)
        #expect(try DocumentSources.open(InputSpec(path: root + "/in/*.txt")).expectedCount == 1)
    }

    /// A symbolic link to nothing, and a file whose name is not UTF-8, in a directory or a glob, are
    /// each their document's error record: before, they were left out of the run without a word.
    @Test func aBrokenSymbolicLinkOrANameThatIsNotUTF8IsAnErrorRecord() throws {
        let root = try makeTree(["docs/a.txt": Array("Some text.".utf8)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createSymbolicLink(atPath: root + "/docs/gone.txt", withDestinationPath: root + "/moved.txt")
        // "b\xFF.txt", made from its bytes: a Swift string cannot hold the name.
        let name = (Array((root + "/docs/b").utf8) + [0xFF] + Array(".txt".utf8) + [0]).map { CChar(bitPattern: $0) }
        let descriptor = open(name, O_CREAT | O_WRONLY, 0o644)
        #expect(descriptor >= 0)
        close(descriptor)
        let expected = [
            "a.txt=Some text.",
            "b\u{FFFD}.txt ERROR cannot read file '\(root)/docs/b\u{FFFD}.txt': its name is not UTF-8 (shown with U+FFFD for the bad bytes); rename it",
            "gone.txt ERROR cannot read file '\(root)/docs/gone.txt': it is a symbolic link to '\(root)/moved.txt', which does not exist",
        ]
        #expect(try records(InputSpec(path: root + "/docs")).map(summary) == expected)
        #expect(try records(InputSpec(path: root + "/docs/*.txt")).map(summary) == expected)
    }

    @Test func aDirectoryWithoutFilesToReadIsAnInputError() throws {
        let root = try makeTree(["data/a.jsonl": Array("{}".utf8)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect { try DocumentSources.open(InputSpec(path: root + "/data")) } throws: {
            ($0 as? InputError)?.message.hasSuffix("has no .txt or .md files; list the extensions to read in input.extensions (e.g. [jsonl])") == true
        }
    }

    @Test func compressedFilesAndPDFsAreRefusedSayingWhatToDo() throws {
        // The first bytes of real files of each kind (gzip, bzip2 with its block magic, xz, zstd, a
        // ZIP entry, a PDF), then a text that merely opens like bzip2.
        let root = try makeTree([
            "a.gz.txt": [0x1F, 0x8B, 0x08, 0x08, 0x5C, 0x1E], "b.bz2.txt": Array("BZh91AY&SY".utf8) + [0xC2, 0x7E],
            "c.xz.txt": [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00, 0x04], "d.zst.txt": [0x28, 0xB5, 0x2F, 0xFD, 0x24, 0x8C],
            "e.zip.txt": [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00], "f.pdf.txt": Array("%PDF-1.7\n%µ¶".utf8),
            "g.txt": Array("BZhang said the plan was fine.".utf8),
            "h.jsonl": [0x1F, 0x8B, 0x08, 0x00],
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let got = try records(InputSpec(path: root)).map(summary)
        #expect(got.map { $0.components(separatedBy: " ERROR ").last!.components(separatedBy: ";").first! } == [
            "gzip-compressed data", "bzip2-compressed data", "xz-compressed data", "zstd-compressed data",
            "a ZIP archive (or a .docx, .xlsx, .odt document)", "a PDF document", "g.txt=BZhang said the plan was fine.",
        ])
        #expect(got[0].hasSuffix("(zcat FILE | analyze run PIPELINE --input -)"))
        // A JSONL file cannot be read at all: the run stops, with the command for JSONL.
        #expect { try records(InputSpec(path: root + "/h.jsonl")) } throws: {
            ($0 as? InputError)?.message.hasSuffix("(zcat FILE | analyze run PIPELINE --input - --input-format jsonl)") == true
        }
        // Inside a CSV file a cell is text, whatever it opens with.
        let csv = try makeTree(["in.csv": Array("id,text\nc1,%PDF-1.7 is the version we use\n".utf8)])
        defer { try? FileManager.default.removeItem(atPath: csv) }
        #expect(try records(InputSpec(path: csv + "/in.csv")).map(summary) == ["c1=%PDF-1.7 is the version we use"])
    }

    @Test func aJSONArrayGivesADocumentPerObject() throws {
        let array = #"[{"id": "a", "text": "first", "lang": "en"}, {"text": "no id"}, 7, {"id": "d", "body": "no text"}]"#
        let root = try makeTree([
            "in.json": Array(array.utf8), "object.json": Array(#"{"id": "a", "text": "x"}"#.utf8),
            "utf16.json": [0xFF, 0xFE, 0x5B, 0x00, 0x5D, 0x00], "bom.json": [0xEF, 0xBB, 0xBF] + Array(#"[{"text": "marked"}]"#.utf8),
            "empty.json": [], "blank.json": Array(" \n[ \n]\n".utf8), "comma.json": Array(#"[{"text": "one"},]"#.utf8),
            "dir/x.json": Array(#"[{"text": "one"}, {"text": "two"}]"#.utf8), "dir/y.json": Array("[{".utf8),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let got = try records(InputSpec(path: root + "/in.json"))
        #expect(got.map(summary) == [
            "a=first", "item 2=no id", "item 3 ERROR item 3 is not a JSON object",
            "d ERROR no 'text' field; set input.text_field to the field that holds the text",
        ])
        if case .document(let first, _) = got[0] { #expect(first.metadata == [JSONField("lang", .string("en"))]) }
        // Streamed, so the count is not known ahead; progress goes by the file's bytes.
        let source = try DocumentSources.open(InputSpec(path: root + "/in.json"))
        #expect(source.expectedCount == nil && source.expectedBytes == array.utf8.count)
        // The whole file must be an array: anything else stops the run before any document, saying what to give.
        #expect { try records(InputSpec(path: root + "/object.json")) } throws: {
            ($0 as? InputError)?.message.contains("holds a JSON object, not an array of documents") == true
        }
        #expect { try records(InputSpec(path: root + "/empty.json")) } throws: {
            ($0 as? InputError)?.message.contains("holds no JSON: it is empty") == true
        }
        #expect { try records(InputSpec(path: root + "/utf16.json")) } throws: {
            ($0 as? InputError)?.message.contains("JSON must be UTF-8: convert it with iconv") == true
        }
        #expect(try records(InputSpec(path: root + "/bom.json")).map(summary) == ["item 1=marked"])
        #expect(try records(InputSpec(path: root + "/blank.json")).isEmpty)
        #expect(try records(InputSpec(path: root + "/comma.json")).map(summary) == ["item 1=one"])
        // Among the files of a directory, a broken one is that file's error record.
        let directory = try records(InputSpec(path: root + "/dir", extensions: ["json"])).map(summary)
        #expect(directory == [
            "x.json item 1=one", "x.json item 2=two",
            "y.json item 1 ERROR '\(root)/dir/y.json' ends inside y.json item 1, before the array's closing ']': the file may be cut off",
        ])
    }

    /// The input bytes a source's documents count, which progress compares with the file's size.
    private func countedBytes(_ spec: InputSpec) throws -> Int {
        var source = try DocumentSources.open(spec)
        var total = 0
        while let pending = try source.next() { total += pending.byteCount }
        return total
    }

    @Test func csvSeparatedBySemicolonsOrTabsAndTSV() throws {
        let root = try makeTree([
            "semicolon.csv": Array("id;text;price\ns1;\"Prices rose; wages did not.\";3,5\n".utf8),
            "tabs.csv": Array("id\ttext\nt1\tA tab, then text.\n".utf8),
            "plain.tsv": Array("id\ttext\tsource\nv1\t\"Quoted\ttab, and more\"\twire\nv2\tSecond, with a comma.\t\n".utf8),
            "comma.csv": Array("id,text\nc1,Semicolons; in the text\n".utf8),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try records(InputSpec(path: root + "/semicolon.csv")).map(summary) == ["s1=Prices rose; wages did not."])
        if case .document(let document, _)? = try records(InputSpec(path: root + "/semicolon.csv")).first {
            #expect(document.metadata == [JSONField("price", .string("3,5"))])
        }
        #expect(try records(InputSpec(path: root + "/tabs.csv")).map(summary) == ["t1=A tab, then text."])
        #expect(try records(InputSpec(path: root + "/plain.tsv")).map(summary) == ["v1=Quoted\ttab, and more", "v2=Second, with a comma."])
        #expect(try records(InputSpec(path: root + "/comma.csv")).map(summary) == ["c1=Semicolons; in the text"])
        // In a directory, a .tsv file is read as TSV when its extension is listed.
        #expect(try records(InputSpec(path: root, extensions: ["tsv"])).count == 2)
        #expect(DocumentSources.guessFormat("a/b.TSV") == .tsv)
    }

    /// A pipe is read once: the header row that tells the separator is read from the same stream as
    /// the rows, even when it arrives in pieces. (The file was opened twice, and `/dev/stdin` lost
    /// its header to the first open.)
    @Test func csvFromAPipeIsReadOnceWithItsSeparator() throws {
        let pipe = Pipe()
        let writer = Thread {
            pipe.fileHandleForWriting.write(Data("id;te".utf8))
            Thread.sleep(forTimeInterval: 0.05)
            pipe.fileHandleForWriting.write(Data("xt\np1;\"One; two.\"\np2;Three.\n".utf8))
            try? pipe.fileHandleForWriting.close()
        }
        writer.start()
        let stream = InputStream(fileAtPath: "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)")
        var source = try CSVSource(stream: stream, name: "pipe", textColumn: "text", idColumn: "id")
        var got: [String] = []
        while let pending = try source.next() { got.append(summary(pending.load())) }
        #expect(got == ["p1=One; two.", "p2=Three."])
        #expect(CSVSource.separator(ofHeader: Array("a\tb;c\td\nx,y".utf8)) == "\t")
        #expect(CSVSource.separator(ofHeader: Array("a;b,c".utf8)) == ",")
    }

    @Test func recordsOfAFileAddUpToItsSizeForProgress() throws {
        let csv = "id,text,source\nr1,Plain text.,wire\nr2,\"Quoted, \"\"twice\"\".\",\n"
        let json = #"[{"id": "a", "text": "One."},"# + "\n" + #" {"text": "Two."}]"#
        let root = try makeTree(["in.csv": Array(csv.utf8), "in.json": Array(json.utf8)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let csvSource = try DocumentSources.open(InputSpec(path: root + "/in.csv"))
        #expect(csvSource.expectedBytes == csv.utf8.count)
        // A CSV row counts its fields and separators, not the quotes around a field and doubled in it.
        #expect(try countedBytes(InputSpec(path: root + "/in.csv")) == csv.utf8.count - 4)
        #expect(try countedBytes(InputSpec(path: root + "/in.json")) == json.utf8.count)
    }

    /// Every record a source yields before it throws, and what it threw.
    private func recordsUntilError(_ spec: InputSpec) throws -> ([String], InputError?) {
        var source = try DocumentSources.open(spec)
        var out: [String] = []
        do {
            while let pending = try source.next() { out.append(summary(pending.load())) }
        } catch let error as InputError {
            return (out, error)
        }
        return (out, nil)
    }

    @Test func aJSONArrayIsCutIntoElementsWithoutBeingParsedWhole() throws {
        let tricky = #"[ {"text": "a, [b] \"c], d\" {", "tags": ["x", {"y": [1, 2]}]} ,{"id": "e", "text": "}]"}  ]"#
        let invalid = Array(#"[{"text": "fine"}, {"text": "bad "#.utf8) + [0xFF] + Array(#""}]"#.utf8)
        let root = try makeTree([
            "tricky.json": Array(tricky.utf8), "invalid.json": invalid,
            "cut-inside.json": Array(#"[{"text": "one"}, {"text": "tw"#.utf8), "cut-whole.json": Array(#"[{"text": "one"}, {"text": "two"}"#.utf8),
            "cut-after-comma.json": Array(#"[{"text": "one"}, "#.utf8), "trailing.json": Array(#"[{"text": "one"}] {"#.utf8),
            "two-commas.json": Array(#"[{"text": "one"},, {"text": "two"}]"#.utf8),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let tokens = try records(InputSpec(path: root + "/tricky.json"))
        #expect(tokens.map(summary) == [#"item 1=a, [b] "c], d" {"#, "e=}]"])
        if case .document(let first, _) = tokens[0] {
            #expect(first.metadata == [JSONField("tags", .array([.string("x"), .object([JSONField("y", .array([.int(1), .int(2)]))])]))])
        }
        // The warning goes with the element that held the invalid bytes.
        #expect(try records(InputSpec(path: root + "/invalid.json")).map(summary) == [
            "item 1=fine", "item 2=bad \u{FFFD} !invalid UTF-8: 1 sequence(s) replaced by U+FFFD",
        ])
        // A cut-off file: the elements before the cut stand; a whole last element is analysed with a
        // warning, a cut one is its document's error, and a cut after a comma stops the run after the rest.
        let cutOff = "before the array's closing ']': the file may be cut off"
        #expect(try records(InputSpec(path: root + "/cut-inside.json")).map(summary) == [
            "item 1=one", "item 2 ERROR '\(root)/cut-inside.json' ends inside item 2, \(cutOff)",
        ])
        #expect(try records(InputSpec(path: root + "/cut-whole.json")).map(summary) == [
            "item 1=one", "item 2=two !'\(root)/cut-whole.json' ends inside item 2, \(cutOff)",
        ])
        let (afterComma, commaError) = try recordsUntilError(InputSpec(path: root + "/cut-after-comma.json"))
        #expect(afterComma == ["item 1=one"])
        #expect(commaError?.message == "'\(root)/cut-after-comma.json' ends \(cutOff)")
        // Text after the array: the last element is analysed before the run stops.
        let (trailing, trailingError) = try recordsUntilError(InputSpec(path: root + "/trailing.json"))
        #expect(trailing == ["item 1=one"])
        #expect(trailingError?.message.contains("goes on after the array's closing ']' (with '{')") == true)
        // Malformed inside: that element's error record, the rest analysed.
        let commas = try records(InputSpec(path: root + "/two-commas.json")).map(summary)
        #expect(commas.count == 3 && commas[0] == "item 1=one" && commas[1].hasPrefix("item 2 ERROR item 2 is not valid JSON") && commas[2] == "item 3=two")
    }

    @Test func aJSONArrayElementMaySpanTheReadingChunks() throws {
        // Elements of 700 KB, read in chunks of 1 MB: the scan of each resumes across chunks.
        let texts = ["a", "b", "c"].map { String(repeating: "\($0)\\\"[,] ", count: 100_000) }
        let json = "[" + texts.map { #"{"text": ""# + $0 + #""}"# }.joined(separator: ",\n") + "]"
        let root = try makeTree(["big.json": Array(json.utf8)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let got = try records(InputSpec(path: root + "/big.json"))
        #expect(got.count == 3)
        for (record, letter) in zip(got, ["a", "b", "c"]) {
            guard case .document(let document, let warnings) = record else { Issue.record("item \(letter) failed"); continue }
            #expect(warnings.isEmpty)
            #expect(document.text == String(repeating: letter + "\"[,] ", count: 100_000), "item \(letter) differs")
        }
    }

    @Test func missingPathIsAnInputError() {
        #expect(throws: InputError.self) { try DocumentSources.open(InputSpec(path: "/no/such/dir")) }
    }

    @Test func invalidEmptyAndBinaryFilesEachGetARecord() throws {
        let root = try makeTree([
            "bad.txt": [0x6F, 0x6B, 0xC3, 0x28], "empty.txt": [], "bin.txt": [0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01],
            "mixed.txt": Array("café ".utf8) + [0xFF],
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let latin1Hint = "no byte of the file forms UTF-8 beyond ASCII: it may be in Windows-1252 (Latin-1); convert it with iconv -f WINDOWS-1252 -t UTF-8"
        let got = try records(InputSpec(path: root)).map(summary)
        #expect(got == [
            "bad.txt=ok\u{FFFD}( !invalid UTF-8: 1 sequence(s) replaced by U+FFFD," + latin1Hint,
            "bin.txt ERROR binary data: NUL byte at offset 4; not analysed",
            "empty.txt= !empty document",
            // Valid UTF-8 beside the bad byte: a UTF-8 file with a flaw, so no hint of another encoding.
            "mixed.txt=café \u{FFFD} !invalid UTF-8: 1 sequence(s) replaced by U+FFFD",
        ])
        // "café crème" in Latin-1: the hint says how to convert it.
        if case .text(_, let warnings) = DocumentDecoding.decodeFile([0x63, 0x61, 0x66, 0xE9, 0x20, 0x63, 0x72, 0xE8, 0x6D, 0x65]) {
            #expect(warnings == ["invalid UTF-8: 2 sequence(s) replaced by U+FFFD", latin1Hint])
        } else {
            Issue.record("a Latin-1 file is text")
        }
    }

    @Test func jsonlKeepsOtherFieldsAsMetadataAndNamesBadLines() throws {
        let lines = [
            #"{"id": "a1", "text": "first", "source": "wire", "n": 3}"#,
            "",
            #"{"id": 7, "body": "no text field"}"#,
            "not json",
            #"{"text": "no id", "flag": true}"#,
            #"{"id": "a5", "text": 12}"#,
        ]
        let root = try makeTree(["in.jsonl": Array(lines.joined(separator: "\r\n").utf8)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let got = try records(InputSpec(path: root + "/in.jsonl"))
        #expect(got.map(summary) == [
            "a1=first",
            "7 ERROR no 'text' field; set input.text_field to the field that holds the text",
            "line 4 ERROR line 4 is not valid JSON: invalid literal at byte 0",
            "line 5=no id",
            "a5 ERROR field 'text' is not a string",
        ])
        guard case .document(let first, _) = got[0], case .document(let third, _) = got[3] else {
            Issue.record("expected documents")
            return
        }
        #expect(first.metadata == [JSONField("source", .string("wire")), JSONField("n", .int(3))])
        #expect(third.metadata == [JSONField("flag", .bool(true))])
        let byBody = try records(InputSpec(path: root + "/in.jsonl", textField: "body")).map(summary)
        #expect(byBody[1] == "7=no text field")
    }

    @Test func jsonlSkipsAByteOrderMarkOpeningTheFile() throws {
        // Some Windows tools open a UTF-8 file with EF BB BF; only the file's start may hold one.
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let bytes = bom + Array(#"{"id": "a1", "text": "first"}"#.utf8) + [0x0A] + bom + Array(#"{"id": "a2", "text": "x"}"#.utf8)
        let root = try makeTree(["in.jsonl": bytes])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let got = try records(InputSpec(path: root + "/in.jsonl")).map(summary)
        #expect(got.count == 2)
        #expect(got.first == "a1=first")
        #expect(got.last?.hasPrefix("line 2 ERROR line 2 is not valid JSON") == true)
        // UTF-16 cannot be read line by line as bytes: the whole file is refused, saying what to do.
        let utf16 = try makeTree(["in.jsonl": [0xFF, 0xFE] + #"{"id":"a"}"#.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }])
        defer { try? FileManager.default.removeItem(atPath: utf16) }
        #expect { _ = try records(InputSpec(path: utf16 + "/in.jsonl")) } throws: { ($0 as? InputError)?.message.contains("iconv") == true }
    }

    @Test func aRunKnowsWhichFilesItReads() throws {
        let root = try makeTree(["in.jsonl": Array("{}".utf8), "docs/a.txt": [0x61], "docs/sub/b.md": [0x62], "docs/c.csv": [0x63]])
        defer { try? FileManager.default.removeItem(atPath: root) }
        // One file, under another spelling of its path.
        #expect(DocumentSources.reads(InputSpec(path: root + "/in.jsonl"), file: root + "/docs/../in.jsonl"))
        #expect(!DocumentSources.reads(InputSpec(path: root + "/in.jsonl"), file: root + "/docs/a.txt"))
        // A directory: its files of the listed extensions, not its other files, not files not yet made.
        let docs = InputSpec(path: root + "/docs")
        #expect(DocumentSources.reads(docs, file: root + "/docs/sub/b.md"))
        #expect(!DocumentSources.reads(docs, file: root + "/docs/c.csv"))
        #expect(!DocumentSources.reads(docs, file: root + "/docs/new.txt"))
        #expect(!DocumentSources.reads(docs, file: root + "/in.jsonl"))
        // A glob, and standard input, which is no file.
        #expect(DocumentSources.reads(InputSpec(path: root + "/docs/**/*.md"), file: root + "/docs/sub/b.md"))
        #expect(!DocumentSources.reads(InputSpec(path: root + "/docs/*.txt"), file: root + "/docs/sub/b.md"))
        #expect(!DocumentSources.reads(InputSpec(path: "-"), file: root + "/in.jsonl"))
    }

    @Test(.timeLimit(.minutes(1))) func linesFromAPipeComeAsTheyAreWritten() throws {
        // A producer that writes two lines and then waits: both must be read without waiting for more
        // input or the end (a reader that waited for a full chunk would hang here).
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        let lines = Array("first\nsecond\r\n".utf8)
        #expect(write(ends[1], lines, lines.count) == lines.count)
        let stream = ByteStream(descriptor: ends[0])
        #expect(try stream.nextLine() == Array("first".utf8))
        #expect(try stream.nextLine() == Array("second".utf8))
    }

    @Test func jsonlLinesAcrossReadChunksComeBackWhole() throws {
        // Lines of growing length over several megabytes: the reader fills its buffer a megabyte at a
        // time, so lines straddle the chunk edges at every offset; the last line has no newline.
        var lines: [String] = []
        var bytes = 0
        while bytes < 3_200_000 {
            let text = String(repeating: "word ", count: lines.count % 997)
            lines.append(#"{"id": "d\#(lines.count)", "text": "\#(text)end"}"#)
            bytes += lines.last!.utf8.count + 1
        }
        let root = try makeTree(["big.jsonl": Array(lines.joined(separator: "\n").utf8)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let got = try records(InputSpec(path: root + "/big.jsonl"))
        #expect(got.count == lines.count)
        for (k, record) in got.enumerated() {
            guard case .document(let document, _) = record else {
                Issue.record("line \(k + 1) did not load")
                continue
            }
            #expect(document.id == "d\(k)")
            #expect(document.text == String(repeating: "word ", count: k % 997) + "end")
        }
    }

    @Test func csvWithQuotedFields() throws {
        let csv = "id,title,text\nr1,\"Hello, world\",\"She said \"\"hi\"\"\nand left.\"\n,untitled,plain\n"
        let root = try makeTree(["in.csv": Array(csv.utf8)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let got = try records(InputSpec(path: root + "/in.csv"))
        #expect(got.map(summary) == ["r1=She said \"hi\"\nand left.", "row 2=plain"])
        if case .document(let d, _) = got[0] { #expect(d.metadata == [JSONField("title", .string("Hello, world"))]) }
        #expect(throws: InputError.self) { try records(InputSpec(path: root + "/in.csv", textField: "body")) }
    }
}

@Suite("Output formats")
struct OutputFormatTests {
    private func render(_ format: OutputFormat, _ documents: [Document]) throws -> String {
        let root = try makeTree([:])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/out"
        let p = try PipelineLoader(registry: TestStages.registry()).load(yaml: """
            version: 1
            stages:
              - { id: terms, type: frequency, with: { top: 2, ngrams: [1], tfidf_top: 0 } }
              - { id: boom, type: fail }
            """, file: "p.yml", baseDirectory: root)
        let file = try OutputFile(path: path)
        var sink = ResultSinks.make(format, file: file)
        let report = try Executor(graph: p.graph, jobs: 1).run(ArraySource(documents)) { try sink.write($0) }
        try sink.finish(report: report)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    static let docs = [Document(id: "a", text: "FAIL, said Bob"), Document(id: "b", text: "dogs, dogs and cats")]

    @Test func csvTakesItsColumnsFromTheFirstSuccessfulDocument() throws {
        let csv = try render(.csv, Self.docs)
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "id,terms.tokens,terms.words,terms.distinct_words,terms.type_token_ratio,terms.hapax_legomena,boom,errors,warnings")
        #expect(lines[1] == "a,4,3,3,1.0,3,,boom: marker found,")
        #expect(lines[2] == "b,5,4,3,0.75,2,5,,")
    }

    @Test func csvCarriesTheScalarMetadataFields() throws {
        let documents = [
            Document(id: "a", text: "dogs", metadata: [JSONField("source", .string("wire, \"AP\"")), JSONField("n", .int(3)),
                                                       JSONField("tags", .array([.string("x")])), JSONField("place", .object([JSONField("city", .string("Oslo"))]))]),
            Document(id: "b", text: "cats", metadata: [JSONField("n", .int(4))]),
        ]
        let lines = try render(.csv, documents).split(separator: "\n")
        #expect(lines[0].hasPrefix("id,metadata.source,metadata.n,metadata.place.city,terms.tokens,"))
        #expect(lines[1].hasPrefix(#"a,"wire, ""AP""",3,Oslo,1,"#))
        #expect(lines[2].hasPrefix("b,,4,,1,"))
        // Tables stay narrow: no metadata there.
        #expect(!(try render(.table, documents)).contains("metadata"))
    }

    @Test func flatColumnsReadFromJSONTextMatchThoseOfTheTree() {
        // An output that writes its JSON as text is flattened from that text, lists skipped unread; the
        // columns must be those of the same JSON as a tree.
        struct Raw: JSONWritable {
            let text: String
            func writeJSON(to writer: inout JSONWriter) { writer.rawValue { $0.append(utf8: text) } }
        }
        let texts = [
            #"{"a":"x\"y\\n\u00e9\ud83d\ude00","b":{"c":1.5,"d":[{"e":"]"},"[{"],"f":null,"g":true},"h":[1,[2,{"z":3}]],"i":-2.5}"#,
            #"{"empty":{},"list":[],"s":"a,b","n":0,"deep":{"x":{"y":{"z":false}}},"last":"\"]}"}"#,
            #"{ "spaced" : { "k" : 1 , "l" : [ 1 , 2 ] } , "m" : "v" }"#,
        ]
        for text in texts {
            let fromText = FlatRecord(DocumentResult(sequence: 0, id: "d", metadata: [], stageResults: [.init(stage: "s", json: .writable(Raw(text: text)))],
                                                     errors: [], warnings: [], outputs: UpstreamOutputs(), byteCount: 0))
            let fromTree = FlatRecord(DocumentResult(sequence: 0, id: "d", metadata: [], results: [JSONField("s", Raw(text: text).jsonValue)],
                                                     errors: [], warnings: [], outputs: UpstreamOutputs(), byteCount: 0))
            #expect(fromText.columns.map { "\($0.key)=\($0.cell)" } == fromTree.columns.map { "\($0.key)=\($0.cell)" }, "\(text)")
            #expect(!fromText.columns.isEmpty)
        }
        // A number is the cell as the output wrote it, as in its JSONL record.
        let written = FlatRecord(DocumentResult(sequence: 0, id: "d", metadata: [], stageResults: [.init(stage: "s", json: .writable(Raw(text: #"{"i":-2e-7}"#)))],
                                                errors: [], warnings: [], outputs: UpstreamOutputs(), byteCount: 0))
        #expect(written.columns.map(\.cell) == ["-2e-7"])
    }

    @Test func jsonHoldsDocumentsAndCorpus() throws {
        let json = try render(.json, Self.docs)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect((object["documents"] as! [Any]).count == 2)
        let corpus = object["corpus"] as! [String: Any]
        #expect((corpus["terms"] as! [String: Any])["documents"] as? Int == 2)
    }

    /// A batch of records at least as large as the file's buffer is written from where it is, after
    /// the bytes buffered before it: the order of everything written is kept.
    @Test func outputFileKeepsTheOrderAroundALargeWrite() throws {
        let root = try makeTree([:])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let file = try OutputFile(path: root + "/out")
        let large = JSONBuffer(Array(repeating: UInt8(ascii: "b"), count: 200_000))
        try file.write("a")
        try file.write(large)
        try file.write(JSONBuffer(Array("c".utf8)))
        try file.write(large)
        try file.flush()
        let expected = "a" + String(repeating: "b", count: 200_000) + "c" + String(repeating: "b", count: 200_000)
        #expect(try String(contentsOfFile: root + "/out", encoding: .utf8) == expected)
    }

    @Test func tableIsReadable() throws {
        let table = try render(.table, Self.docs)
        // The first row that fixes the columns shows its own figures too.
        let good = try render(.table, [Document(id: "first", text: "dogs, dogs and cats"), Document(id: "second", text: "cats")])
        #expect(good.split(separator: "\n")[2].hasPrefix("first                           5 "))
        #expect(table.contains("terms.tokens"))
        #expect(table.contains("error: boom: marker found"))
        #expect(table.contains("2 document(s), 1 with errors"))
        #expect(table.contains("top_terms: dogs (2)"))
    }

    @Test func tableListsACorpusListOfAnyObjectsByTheirNameAndFigure() {
        // The quotes stage's corpus is a list of speakers with their quote counts, not of terms.
        let speakers = JSONValue.array([
            .object([JSONField("speaker", .string("Ana Lucero")), JSONField("quotes", .int(3))]),
            .object([JSONField("speaker", .string("Bo")), JSONField("quotes", .int(1))]),
        ])
        #expect(TableSink.highlights(speakers) == "Ana Lucero (3), Bo (1)")
        let terms = JSONValue.array([.object([JSONField("count", .int(2)), JSONField("term", .string("dogs"))])])
        #expect(TableSink.highlights(terms) == "dogs (2)")
        #expect(TableSink.highlights(.array([.string("x")])) == nil)
        #expect(TableSink.highlights(.object([])) == nil)
        // No speakers at all: said, rather than an empty section.
        #expect(TableSink.highlights(.array([])) == "(none)")
        // The frequency stage's TF-IDF: a list per document, shown by its first three terms.
        func scored(_ term: String, _ score: Double) -> JSONValue { .object([JSONField("term", .string(term)), JSONField("score", .double(score))]) }
        let tfidf = JSONValue.array([
            .object([JSONField("id", .string("a")), JSONField("terms", .array([scored("ann", 0.35), scored("good", 0.3), scored("day", 0.25), scored("x", 0.1)]))]),
            .object([JSONField("id", .string("c")), JSONField("terms", .array([scored("bad", 0.7)]))]),
        ])
        #expect(TableSink.highlights(tfidf) == "a: ann (0.35), good (0.3), day (0.25); c: bad (0.7)")
    }

    @Test func htmlIsAWellFormedReportWithEveryTextEscaped() throws {
        let hostile = Document(id: "<script>alert('x')</script> & \"co\"\u{7}", text: "dogs, dogs and <b>cats</b>",
                               metadata: [JSONField("source", .string("A&B <wire>"))])
        let html = try render(.html, Self.docs + [hostile])
        // Well-formed as XML too, so that any parser reads it: every tag closed, every entity known.
        #expect(Self.isWellFormedXML(html))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(!html.contains("<script>") && !html.contains("<b>") && !html.contains("<wire>"))
        #expect(html.contains("<h2>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;\u{FFFD}</h2>"))
        #expect(html.contains("<tr><th>source</th><td>A&amp;B &lt;wire&gt;</td></tr>"))
        #expect(html.contains("<p class=\"error\">error in boom: marker found</p>"))
        // The top terms of a document: one table, a column per field.
        #expect(html.contains("<tr><th>term</th><th>count</th></tr>\n<tr><td>dogs</td><td class=\"number\">2</td></tr>"))
        #expect(html.contains("<p>3 document(s), 1 with errors.</p>"))
        #expect(html.contains("<h3>terms</h3>"))
        // The sections come in input order, one per document.
        let sections = html.components(separatedBy: "<section class=\"document\" id=\"d").dropFirst().map { $0.prefix(2) }
        #expect(sections == ["0\"", "1\"", "2\""])
        // No documents at all: still a whole page.
        let empty = try render(.html, [])
        #expect(Self.isWellFormedXML(empty))
        #expect(empty.contains("<p>0 document(s), 0 with errors.</p>"))
    }

    /// Whether `text` parses as XML without an error: Foundation's parser on Linux returns true from
    /// `parse()` for a mismatched tag and only sets `parserError`.
    static func isWellFormedXML(_ text: String) -> Bool {
        let parser = XMLParser(data: Data(text.utf8))
        return parser.parse() && parser.parserError == nil
    }

    @Test func htmlEscapingKeepsAnyTextReadableAndThePageWellFormed() {
        // Random text from an alphabet of everything escaping has to handle, in keys, values and spans.
        let alphabet: [Unicode.Scalar] = ["a", " ", "&", "<", ">", "\"", "'", ";", "#", "\n", "\t", "\r", "\u{0}", "\u{7}", "\u{1B}",
                                          "\u{7F}", "\u{85}", "\u{9F}", "é", "–", "\u{2028}", "\u{FFFE}", "\u{FFFF}", "😀", "]", "-"]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        func text() -> String {
            var s = ""
            for _ in 0..<next(12) { s.unicodeScalars.append(alphabet[next(alphabet.count)]) }
            return s
        }
        for _ in 0..<300 {
            let value = JSONValue.object([
                JSONField(text(), .string(text())),
                JSONField("list", .array([.object([JSONField(text(), .string(text()))]), .object([JSONField("x", .int(next(9)))])])),
                JSONField("span", .object([JSONField("start", .int(0)), JSONField("end", .int(1)), JSONField("text", .string(text()))])),
            ])
            let page = "<html><body>" + HTMLSink.rendered(value) + "</body></html>"
            #expect(Self.isWellFormedXML(page), "\(page)")
            // What the page says, read back, is the text, with the characters HTML cannot hold as U+FFFD.
            let sample = text()
            let readBack = HTMLSink.escaped(sample).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
            let allowed = String(String.UnicodeScalarView(sample.unicodeScalars.map { scalar -> Unicode.Scalar in
                let v = scalar.value
                return (v < 0x20 && v != 0x9 && v != 0xA && v != 0xD) || (0x7F...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF ? "\u{FFFD}" : scalar
            }))
            #expect(readBack == allowed)
        }
    }

    @Test func htmlLaysOutStageOutputAsTables() {
        let span = JSONValue.object([JSONField("start", .int(3)), JSONField("end", .int(7)), JSONField("text", .string("a \"b\""))])
        #expect(HTMLSink.rendered(span) == #"<q title="characters 3–7">a &quot;b&quot;</q>"#)
        // A list of objects is one table; a field only some of them have leaves the others' cells empty.
        let quotes = JSONValue.array([
            .object([JSONField("kind", .string("direct")), JSONField("quote", span)]),
            .object([JSONField("kind", .string("indirect")), JSONField("quote", span), JSONField("speaker", .null)]),
        ])
        #expect(HTMLSink.rendered(quotes) == """
            <table>
            <tr><th>kind</th><th>quote</th><th>speaker</th></tr>
            <tr><td>direct</td><td><q title="characters 3–7">a &quot;b&quot;</q></td><td></td></tr>
            <tr><td>indirect</td><td><q title="characters 3–7">a &quot;b&quot;</q></td><td><span class="none">–</span></td></tr>
            </table>
            """)
        #expect(HTMLSink.rendered(.array([.int(1), .double(2.5), .string("x<y")])) == "1, 2.5, x&lt;y")
        #expect(HTMLSink.rendered(.array([])) == #"<span class="none">none</span>"#)
        #expect(HTMLSink.rendered(.array([span, .int(1)])) == "<ul>\n<li>" + HTMLSink.rendered(span) + "</li>\n<li>1</li>\n</ul>")
        // A sentence, such as a readability note, gets a line of its own.
        #expect(HTMLSink.rendered(.array([.string("smog: 5 sentence(s); the formula is defined on 30")]))
                == "<ul>\n<li>smog: 5 sentence(s); the formula is defined on 30</li>\n</ul>")
        #expect(HTMLSink.rendered(.object([JSONField("n", .int(2)), JSONField("ok", .bool(true))]))
                == "<table>\n<tr><th>n</th><td class=\"number\">2</td></tr>\n<tr><th>ok</th><td>true</td></tr>\n</table>")
        #expect(OutputFormat.guess(fromPath: "out/report.html") == .html)
        #expect(OutputFormat.guess(fromPath: "REPORT.HTM") == .html)
    }

    @Test func tableRowsStayOneLineWhateverTheIdHolds() throws {
        let table = try render(.table, [Document(id: "two\nlines\tand\u{7}bell", text: "dogs, dogs and cats")])
        let lines = table.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[2].hasPrefix(#"two\nlines\tand\u{7}bell "#))
        #expect(lines[2].hasSuffix("ok"))
    }
}
