@testable import AnalyticsKit
import AnalyticsKitTestSupport
import Foundation
import Testing

/// Token texts of a layer, for compact expectations.
private func tokens(_ text: String) -> [String] {
    let layer = TextLayer(text: text)
    return layer.tokens.map { layer.text(of: $0) }
}

private func sentences(_ text: String) -> [String] {
    let layer = TextLayer(text: text)
    return layer.sentences.map { layer.string(bytes: layer.byteRange(of: $0)) }
}

@Suite("Text layer")
struct TextLayerTests {
    @Test func packedHashTableStoresPayloadsAndGrows() {
        var table = PackedHashTable<PayloadBits16>(capacity: 2)
        let keys = (0..<1_000).map { TermHash.ofTerm("word\($0)") }
        for (n, key) in keys.enumerated() { table.set(key, payload: UInt64(n)) }
        #expect(table.count == 1_000)
        #expect(keys.enumerated().allSatisfy { table[$0.element] == UInt64($0.offset) })
        table.set(keys[7], payload: 0x1_FFFF)  // replaced, and cut to the payload's 16 bits
        #expect(table[keys[7]] == 0xFFFF)
        #expect(table.count == 1_000)
        #expect(table[TermHash.ofTerm("absent")] == nil)
        table.set(0, payload: 3)  // a hash whose tag is zero still has a slot
        #expect(table[0] == 3)
    }

    @Test func hashFilterPassesEveryMemberAndFewOthers() {
        var filter = HashFilter<FilterBits12>()
        let members = (0..<250).map { TermHash.ofTerm("member\($0)") }
        for key in members { filter.insert(key) }
        #expect(members.allSatisfy(filter.mayContain))
        let others = (0..<10_000).map { TermHash.ofTerm("other\($0)") }
        let passed = others.filter(filter.mayContain).count
        #expect(passed > 0 && passed < 300, "\(passed) of 10,000 non-members passed")  // about 1% expected
        #expect(!HashFilter<FilterBits20>().mayContain(members[0]))
    }

    @Test func partitionPointFindsTheFirstElementPastThePartition() {
        let offsets = [0, 4, 4, 9, 15]
        #expect(offsets.partitionPoint { $0 < 4 } == 1)
        #expect(offsets.partitionPoint { $0 <= 4 } == 3)
        #expect(offsets.partitionPoint { $0 < 100 } == 5)
        #expect(offsets.partitionPoint { $0 < 0 } == 0)
        #expect([Int]().partitionPoint { $0 < 1 } == 0)
        #expect(offsets[1...].partitionPoint { $0 < 9 } == 3)  // indices of the slice, not from zero
    }

    @Test func bestElementsAreTheStablySortedPrefix() {
        // Values with many ties, so that keeping the first of equal elements is tested too.
        var generator = SeededGenerator(seed: 11)
        for trial in 0..<200 {
            let values = (0..<(trial % 40)).map { index in (key: Int(generator.next() % 6), index: index) }
            for limit in [0, 1, 3, 10, 50] {
                let expected = values.enumerated().sorted { $0.element.key != $1.element.key ? $0.element.key > $1.element.key : $0.offset < $1.offset }
                    .prefix(limit).map(\.element.index)
                #expect(values.best(limit) { $0.key > $1.key }.map(\.index) == expected, "\(values) limit \(limit)")
            }
        }
    }

    @Test func abbreviationsKeepTheirPeriod() {
        #expect(tokens("Mr. Smith met U.S. officials on Jan. 9.") == ["Mr.", "Smith", "met", "U.S.", "officials", "on", "Jan.", "9", "."])
        let layer = TextLayer(text: "Mr. Smith")
        #expect(layer.tokens[0].flags.contains(.abbreviation))
        #expect(layer.foldedText(of: layer.tokens[0]) == "mr.")
        // Case does not matter; "No." keeps its period only before a number; a word the list lacks, or
        // longer than any abbreviation, and a word at the very end of the text give theirs up.
        #expect(tokens("MR. Smith, No. 1 and Nos. 2") == ["MR.", "Smith", ",", "No.", "1", "and", "Nos.", "2"])
        #expect(tokens("He said no. Then Approx. five.") == ["He", "said", "no", ".", "Then", "Approx.", "five", "."])
        #expect(tokens("Tuesdays. Messrs. Ode") == ["Tuesdays", ".", "Messrs.", "Ode"])
        #expect(tokens("It was Sept.") == ["It", "was", "Sept."])
    }

    @Test func numbersStayWhole() {
        #expect(tokens("2,000 people paid 18mn at 2.5% by 10:30") == ["2,000", "people", "paid", "18mn", "at", "2.5", "%", "by", "10:30"])
        let layer = TextLayer(text: "2,000 18mn")
        #expect(layer.tokens.map(\.kind) == [.number, .number])
    }

    @Test func contractionsHyphensAndPossessives() {
        #expect(tokens("don't re-education Xi Jinping's don’t") == ["don't", "re-education", "Xi", "Jinping's", "don’t"])
        let layer = TextLayer(text: "Don’t DON'T")
        #expect(layer.foldedText(of: layer.tokens[0]) == "don't")
        #expect(layer.tokens[0].hash == layer.tokens[1].hash)
        #expect(layer.tokens[1].flags.contains(.allCaps))
    }

    @Test func quotesDashesAndEllipses() {
        #expect(tokens("“transformation”—detainees") == ["“", "transformation", "”", "—", "detainees"])
        #expect(tokens("wait... what…") == ["wait", "...", "what", "…"])
        let layer = TextLayer(text: "\"Hi,\" she said 'ok'")
        #expect(layer.tokens.filter { $0.kind == .quote }.count == 4)
    }

    @Test func emojiKeepTheirModifiers() {
        let layer = TextLayer(text: "love ❤️ it 👍🏽 👨‍👩‍👧 🇫🇷!")
        let emoji = layer.tokens.filter { $0.kind == .emoji }.map { layer.text(of: $0) }
        #expect(emoji == ["❤️", "👍🏽", "👨‍👩‍👧", "🇫🇷"])
    }

    @Test func sentenceEndingInsideClosingQuote() {
        let text = "“I said that I would go now,” Bilash was cited as saying. He left."
        #expect(sentences(text) == ["“I said that I would go now,” Bilash was cited as saying.", "He left."])
        #expect(sentences("“Stop!” she said. Then “Go.” He went.") == ["“Stop!” she said.", "Then “Go.”", "He went."])
    }

    @Test func everySentenceMarkEndsASentence() {
        // The splitter reads only the tokens the tokenizer marks: each kind of closing mark must be one.
        #expect(sentences("It rose! Then it fell? Who knows... Not me… Really?! Yes.")
            == ["It rose!", "Then it fell?", "Who knows...", "Not me…", "Really?!", "Yes."])
        #expect(sentences("“Really?” she asked. “No!” He left… Then “Maybe.” (Or not.) Done")
            == ["“Really?” she asked.", "“No!”", "He left…", "Then “Maybe.”", "(Or not.)", "Done"])
    }

    @Test func abbreviationsDoNotEndSentences() {
        #expect(sentences("Mr. Smith met Dr. Jones in the U.S. on Jan. 9. They talked.")
            == ["Mr. Smith met Dr. Jones in the U.S. on Jan. 9.", "They talked."])
        #expect(sentences("He joined Acme Inc. The firm grew.") == ["He joined Acme Inc.", "The firm grew."])
    }

    @Test func headlinesAndParagraphs() {
        let text = "GLOBAL STOCKS RISE\n\nShares rose on\nMonday. Bonds fell.\n\nMore later"
        #expect(sentences(text) == ["GLOBAL STOCKS RISE", "Shares rose on\nMonday.", "Bonds fell.", "More later"])
        let layer = TextLayer(text: text)
        #expect(layer.paragraphs.count == 3)
        #expect(layer.paragraphs.map(\.count) == [3, 8, 2])
    }

    @Test func shortLinesWithoutFinalPunctuationAreSubheadings() {
        let text = "The plan was approved.\nTraffic returns to normal\nCommuters said the bridge felt safer. Most were pleased.\nIt opened on\nMonday morning."
        #expect(sentences(text) == [
            "The plan was approved.",
            "Traffic returns to normal",
            "Commuters said the bridge felt safer.",
            "Most were pleased.",
            "It opened on\nMonday morning.",
        ])
        // A line ending in a function word is running text.
        let wrapped = "Cross border stock market investment is rising at unprecedented rates, said the\nBank of England on Monday."
        #expect(sentences(wrapped).count == 1)
        // In hard-wrapped text (a break between two lower-case words somewhere) short lines are not headings.
        let newswire = "Normal work has resumed at New\nZealand ports as negotiations between harbour\nboard workers continue."
        #expect(sentences(newswire).count == 1)
    }

    /// Checks a word token against what byte-by-byte reading gives: its folded bytes, hash and case flags.
    private func expectReadByteByByte(_ layer: TextLayer, _ token: Token, _ word: String) {
        let bytes = Array(word.utf8)
        let folded = bytes.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
        let upper = bytes.filter { $0 &- 0x41 < 26 }.count
        let lower = bytes.filter { $0 &- 0x61 < 26 }.count
        #expect(layer.text(of: token) == word)
        #expect(Array(layer.folded[token.foldedRange]) == folded, "\(word)")
        #expect(token.hash == TermHash.of(folded), "\(word)")
        #expect(token.flags.contains(.lettersOnly) == (upper + lower == bytes.count), "\(word)")
        #expect(token.flags.contains(.allCaps) == (upper >= 2 && lower == 0), "\(word)")
        #expect(token.flags.contains(.capitalized) == (bytes[0] &- 0x41 < 26), "\(word)")
    }

    @Test func wordsAreFoldedHashedAndFlaggedAtAnyLengthAndPosition() {
        // The tokenizer reads words eight bytes at a time, and takes a word of up to fifteen bytes that
        // ends before a space or punctuation from one or two loads: words of every length up to 20
        // letters, in every case pattern, with digits, followed by each kind of separator, and last in
        // the text (fewer than eight bytes left), must come out exactly as byte-by-byte reading gives them.
        var generator = SeededGenerator(seed: 5)  // seeded, so a failure reproduces
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        let separators = [" ", ", ", "; ", " (", ")\n", "\n\n", "/", "! ", "\" ", " — ", ": "]
        for trial in 0..<600 {
            var words: [String] = []
            var text = ""
            for k in 0..<(1 + trial % 7) {
                var word = [letters[Int(generator.next() % 52)]]  // a letter first, then anything
                let length = 1 + Int(generator.next() % 20)
                while word.count < length { word.append(letters[Int(generator.next() % UInt64(letters.count))]) }
                words.append(String(decoding: word, as: UTF8.self))
                if k > 0 { text += trial < 300 ? " " : separators[Int(generator.next() % UInt64(separators.count))] }
                text += words[k]
            }
            let layer = TextLayer(text: text)
            let wordTokens = layer.tokens.filter { $0.kind == .word }
            #expect(wordTokens.map { layer.text(of: $0) } == words, "\(text)")
            for (token, word) in zip(wordTokens, words) { expectReadByteByByte(layer, token, word) }
        }
        // Capitals among digits, one in each eight-byte group or both in one, with and without a
        // lower-case letter: whether a word is in capitals is decided across the groups.
        for length in 2...18 {
            for second in 1..<length {
                for lowerAt in [nil] + Array(1..<length) where lowerAt != second {
                    var word = Array(repeating: UInt8(ascii: "7"), count: length)
                    word[0] = UInt8(ascii: "Q")
                    word[second] = UInt8(ascii: "Z")
                    if let lowerAt { word[lowerAt] = UInt8(ascii: "m") }
                    let text = String(decoding: word, as: UTF8.self)
                    let layer = TextLayer(text: text + " next")
                    expectReadByteByByte(layer, layer.tokens[0], text)
                }
            }
        }
    }

    @Test func foldingOutsideASCIIIsLowerCasingWithAStraightApostrophe() {
        // The definition folding keeps, written the slow way: the string lower-cased, every curly
        // apostrophe scalar made straight (even one that a combining mark follows, which a search for
        // the character "’" would not find). Scripts with case, letters whose lower case is longer
        // (İ) or contextual (a final Σ), ligatures, marks, and apostrophes beside marks and emoji.
        let texts = ["Don’t", "DON’T", "L’ÉTÉ", "Ærø", "STRASSE straße ẞ", "İstanbul", "ΟΔΟΣ Σοφία", "ﬁnal ﬂow",
                     "МОСКВА", "Ǆemal ǅ", "Ａｂｃ", "ᏣᎳᎩ", "café ÉCOLE", "’\u{301}x", "x’\u{301}", "e\u{301}’s", "👍🏽’",
                     "“Quoted” — dash… ‘single’", "£5", "ǰ", "ΐ", "Ⅻ ⓐⒶ"]
        for text in texts {
            let straightened = text.lowercased().unicodeScalars.map { $0 == "\u{2019}" ? "'" : $0 }
            #expect(CaseFolding.fold(text) == String(String.UnicodeScalarView(straightened)), "\(text)")
            // A token's folded bytes and hash are the word list's.
            let layer = TextLayer(text: text)
            for token in layer.tokens {
                let folded = CaseFolding.fold(layer.text(of: token))
                #expect(layer.foldedText(of: token) == folded, "\(text)")
                #expect(token.hash == TermHash.of(folded.utf8), "\(text)")
            }
        }
        // The punctuation block folding copies without a lookup has no case.
        for value in UInt32(0x2000)...0x206F {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(scalar.properties.lowercaseMapping == String(scalar), "U+\(String(value, radix: 16))")
        }
    }

    @Test func termHasherGivesTermHashAndShortWordsDoNotCollide() {
        // Byte by byte (readability's word parts, sentiment's emoji keys) or eight at a time (the
        // tokenizer, `TermHash.of` bytes in memory), a term hashes the same; lengths around the eight-byte groups are the edges.
        var generator = SeededGenerator(seed: 3)
        for length in 0..<40 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next() % 255 + 1) }
            var hasher = TermHasher()
            for b in bytes { hasher.add(b) }
            #expect(hasher.value == TermHash.of(bytes), "length \(length)")  // contiguous: eight at a time
            #expect(hasher.value == TermHash.of(bytes.lazy.map { $0 }), "length \(length)")  // a byte at a time
        }
        #expect(TermHash.ofTerm("Straße") == TermHash.of("straße".utf8))
        for word in ["Grinning", "FACE", "tears-of-joy", "x", "Straße", "ÉTATS"] {
            #expect(TermHash.ofTerm(utf8: Array(word.utf8)) == TermHash.ofTerm(word), "\(word)")
        }
        for word in ["Grinning", "FACE", "tears-of-joy", "x"] {
            #expect(TermHash.ofASCIITerm(ArraySlice(word.utf8)) == TermHash.ofTerm(word), "\(word)")
        }
        // Every word of one to three letters has its own hash.
        let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        var seen = Set<UInt64>()
        for a in letters {
            seen.insert(TermHash.of([a]))
            for b in letters {
                seen.insert(TermHash.of([a, b]))
                for c in letters { seen.insert(TermHash.of([a, b, c])) }
            }
        }
        #expect(seen.count == 26 + 26 * 26 + 26 * 26 * 26)
    }

    @Test func spansCountUnicodeScalars() {
        let layer = TextLayer(text: "Café “naïve” 😀 end")
        let end = layer.tokens.last!
        let span = layer.span(bytes: end.byteRange)
        #expect(span.text == "end")
        #expect(span.start == 15)
        #expect(span.end == 18)
        #expect(Array("Café “naïve” 😀 end".unicodeScalars)[15..<18].map(String.init).joined() == "end")
    }

    /// A span the layer makes holds a slice of the document's bytes, one made from a string its own
    /// copy: the two are equal, hash alike, encode alike and decode to an equal span.
    @Test func spansFromTheLayerAndFromStringsAreTheSameValue() throws {
        let layer = TextLayer(text: "Café “naïve” 😀 end")
        let fromLayer = layer.span(of: TokenRange(1, 4))
        let fromString = TextSpan(start: fromLayer.start, end: fromLayer.end, text: "“naïve”")
        #expect(fromLayer.text == "“naïve”")
        #expect(fromLayer == fromString)
        #expect(fromLayer.hashValue == fromString.hashValue)
        #expect(Set([fromLayer, fromString]).count == 1)
        #expect(fromLayer != TextSpan(start: fromLayer.start, end: fromLayer.end, text: "naïve"))
        #expect(fromLayer != TextSpan(start: fromLayer.start + 1, end: fromLayer.end, text: "“naïve”"))
        // Canonically equivalent texts are equal, as `String`s are: "é" precomposed and decomposed.
        #expect(TextSpan(start: 0, end: 1, text: "\u{E9}") == TextSpan(start: 0, end: 1, text: "e\u{301}"))
        let encoded = try JSONEncoder().encode(fromLayer)
        #expect(try JSONSerialization.jsonObject(with: encoded) as! NSDictionary == ["start": 5, "end": 12, "text": "“naïve”"] as NSDictionary)
        #expect(try JSONDecoder().decode(TextSpan.self, from: encoded) == fromLayer)
        var buffer = JSONBuffer()
        fromLayer.appendJSON(to: &buffer)
        #expect(try JSONSerialization.jsonObject(with: Data(buffer.array)) as! NSDictionary == JSONSerialization.jsonObject(with: encoded) as! NSDictionary)
    }

    @Test func scalarOffsetsAtEveryBoundaryOfLongMixedText() {
        // Texts long enough for several 64-byte blocks of the scalar index, with characters of one to
        // four bytes at every position: each scalar boundary's offset must be the scalars before it.
        let pieces = ["a", "bc ", "é", "“", "😀", "naïve ", "x", "—", "\n"]
        var generator = SeededGenerator(seed: 5)  // seeded, so a failure reproduces
        for _ in 0..<20 {
            var text = ""
            while text.utf8.count < 400 { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            let layer = TextLayer(text: text)
            var byte = 0
            for (index, scalar) in text.unicodeScalars.enumerated() {
                #expect(layer.scalarOffset(ofByte: byte) == index, "byte \(byte) of \(text.debugDescription)")
                byte += String(scalar).utf8.count
            }
            #expect(layer.scalarOffset(ofByte: byte) == text.unicodeScalars.count)
        }
    }

    /// The layer learns from the tokenizer whether a text is all ASCII (and its scalar offsets its byte
    /// offsets): one scalar outside ASCII, wherever the tokenizer meets it (between tokens as a space,
    /// inside a word, a number or an emoji, as a token of its own), must still count as one scalar.
    @Test func oneScalarOutsideASCIIAnywhereShiftsTheOffsetsAfterIt() {
        let places = ["a\u{A0}b", "a\u{2028}b", "a\u{3000}b", "café", "naïve", "don\u{2019}t", "re\u{2010}education", "x\u{301}",
                      "\u{301}", "12\u{0663}", "\u{0663}4", "👍🏽", "“quoted”", "a…", "\u{2014}", "©", "€5", "\u{2029}next"]
        let filler = String(repeating: "Plain words, 2,000 of them. ", count: 5)
        for place in places {
            let text = filler + place + " " + filler + "end"
            let layer = TextLayer(text: text)
            let last = layer.span(bytes: layer.tokens.last!.byteRange)
            #expect(last.text == "end")
            #expect(last.start == text.unicodeScalars.count - 3, "\(place.debugDescription)")
            #expect(last.end == text.unicodeScalars.count, "\(place.debugDescription)")
        }
        let ascii = TextLayer(text: filler + "end")
        #expect(ascii.span(bytes: ascii.tokens.last!.byteRange).end == filler.utf8.count + 3)
    }

    @Test func everyTokenIsCoveredOnceBySentencesAndParagraphs() {
        let layer = TextLayer(text: "One. Two! Three?\n\n“Four,” he said... five")
        #expect(layer.sentences.first?.lowerBound == 0)
        #expect(layer.sentences.last?.upperBound == layer.tokens.count)
        for (a, b) in zip(layer.sentences, layer.sentences.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
        #expect(layer.paragraphs.last?.upperBound == layer.tokens.count)
    }

    /// A long text is tokenized into an array with room for a token per byte (`Tokenizer.tokenizeInPlace`),
    /// a short one into arrays with room for a token per four bytes, which a text denser in tokens
    /// outgrows (here forced by room for a token per 10,000 bytes): every way gives the same layer, on
    /// every kind of token.
    @Test func everyWayOfTokenizingGivesTheSameLayer() {
        let pieces = ["Mr. Smith said the U.S. market rose 2.5% on Tuesday.", "\u{201C}We are pleased,\u{201D} he said \u{2014} twice…",
                      "Xi Jinping’s re-education camps", "don't 18mn 2,000 Jan. 9", "\n\nA new paragraph 👍🏽 with émigrés", "NASA!? (yes)"]
        var text = ""
        var k = 0
        while text.utf8.count < 200_000 { text += pieces[k % pieces.count] + (k % 7 == 0 ? "\n" : " "); k += 1 }
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { p in
            let usual = Tokenizer.tokenize(p, inPlaceAbove: Int.max)
            let inPlace = Tokenizer.tokenize(p, inPlaceAbove: 0)
            let outgrown = Tokenizer.tokenize(p, inPlaceAbove: Int.max, bytesPerToken: 10_000)
            #expect(inPlace.tokens.count > 40_000)
            for other in [inPlace, outgrown] {
                #expect(other.tokens == usual.tokens)
                #expect(other.folded == usual.folded)
                #expect(other.sentences == usual.sentences)
                #expect(other.paragraphs == usual.paragraphs)
            }
        }
    }

    /// The arrays written in place (`Array.init(capacity:writingWith:)`) hold exactly what was written,
    /// whether that fills the room, leaves some or is nothing, and grow like any other array after.
    @Test func arraysWrittenInPlaceHoldWhatWasWritten() {
        var roomSeen: [Int] = []
        let part = [Int](capacity: 10) { room in
            roomSeen.append(room.count)
            for k in 0..<4 { (room.baseAddress! + k).initialize(to: k * k) }
            return 4
        }
        #expect(part == [0, 1, 4, 9])
        let full = [String](capacity: 3) { room in
            _ = room.initialize(from: ["a", "b", "c"])
            roomSeen.append(room.count)
            return 3
        }
        #expect(full == ["a", "b", "c"])
        let empty = [UInt8](capacity: 0) { room in
            roomSeen.append(room.count)
            return 0
        }
        #expect(empty.isEmpty)
        #expect(roomSeen == [10, 3, 0])
        var grown = part
        grown.append(contentsOf: 16...20)
        #expect(grown == [0, 1, 4, 9, 16, 17, 18, 19, 20])
        #expect(part.count == 4)
    }

    @Test func layersAreTheSameWhateverCameBeforeOnTheThread() {
        // The tokenizer and the frequency counters reuse each thread's memory: a long document, which
        // grows it past what is kept, must leave nothing behind for the next one.
        let short = "Mr. Smith said the U.S. market rose 2.5% on Tuesday. “We are pleased,” he said."
        let long = String(repeating: "Harbour masters reopened the bridge after the storm, officials said. ", count: 20_000)
        let before = TextLayer(text: short)
        let stage = try! FrequencyStage(configuration: StageConfiguration(id: "t", typeName: "frequency", options: StageOptions(["ngrams": .ints([1, 2, 3])])))
        let termsBefore = try! stage.analyze(Document(id: "s", text: short), layer: before, upstream: UpstreamOutputs())
        let longLayer = TextLayer(text: long)
        #expect(longLayer.tokens.count == 20_000 * 12)
        _ = try! stage.analyze(Document(id: "l", text: long), layer: longLayer, upstream: UpstreamOutputs())
        let after = TextLayer(text: short)
        #expect(after.tokens == before.tokens)
        #expect(after.folded == before.folded)
        #expect(after.sentences == before.sentences)
        let termsAfter = try! stage.analyze(Document(id: "s", text: short), layer: after, upstream: UpstreamOutputs())
        #expect(termsAfter.jsonValue.jsonText == termsBefore.jsonValue.jsonText)
        // A long document's scratch is let go as soon as its layer is built; the next long one grows it again.
        let longAgain = TextLayer(text: long)
        #expect(longAgain.tokens == longLayer.tokens)
        #expect(longAgain.folded == longLayer.folded)
        #expect(longAgain.sentences == longLayer.sentences)
    }

    @Test func threadScratchIsPerThreadAndKeptBetweenCalls() {
        let scratch = ThreadScratch { 0 }
        // One thread sees what it left last time.
        #expect(scratch.withValue { value in value += 1; return value } == 1)
        #expect(scratch.withValue { value in value += 1; return value } == 2)
        // Other threads start from `make()`, each with its own value.
        let seen = LockedValues()
        let threads = (0..<4).map { _ in
            Thread {
                let first = scratch.withValue { value in value += 10; return value }
                let second = scratch.withValue { value in value += 10; return value }
                seen.append([first, second])
            }
        }
        threads.forEach { $0.start() }
        for _ in 0..<10_000 where seen.count < 4 { usleep(1000) }  // ten seconds at most
        #expect(seen.all == Array(repeating: [10, 20], count: 4))
        #expect(scratch.withValue { $0 } == 2)
    }

    @Test func emptyAndHostileText() {
        #expect(TextLayer(text: "").tokens.isEmpty)
        #expect(TextLayer(text: "   \n\n\t ").sentences.isEmpty)
        let odd = TextLayer(text: "\u{301}\u{200D}a\u{FE0F}... ''\"\" -- ‘’ «»")
        #expect(!odd.tokens.isEmpty)
    }

    @Test func utf8ValidationAgreesWithTheStandardLibrary() {
        func expectAgrees(_ bytes: [UInt8]) {
            let valid = bytes.withUnsafeBufferPointer(UTF8Validation.isValid)
            #expect(valid == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes.map { String($0, radix: 16) })")
        }
        // Every two-byte sequence; three- and four-byte ones at each edge of the byte ranges.
        for a in 0...255 { for b in 0...255 { expectAgrees([UInt8(a), UInt8(b)]) } }
        let edges: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xF4, 0xFF]
        for a in UInt8(0xE0)...0xFF { for b in 0...255 { for c in edges { expectAgrees([a, UInt8(b), c]) } } }
        for a in UInt8(0xF0)...0xF7 { for b in edges { for c in edges { for d in edges { expectAgrees([a, b, c, d]) } } } }
        // Sequences inside ASCII runs of every length up to past two of the 32-byte steps, cut short at
        // the end, and random bytes.
        var generator = SeededGenerator(seed: 17)  // seeded, so a failure reproduces
        let pieces: [[UInt8]] = [Array("’".utf8), Array("é".utf8), Array("😀".utf8), [0xE2, 0x80], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0x80]]
        for run in 0..<70 {
            for piece in pieces {
                let ascii = Array(repeating: UInt8(ascii: "a"), count: run)
                expectAgrees(ascii + piece)
                expectAgrees(ascii + piece + ascii)
                expectAgrees(piece + ascii + piece)
            }
        }
        for _ in 0..<10_000 {
            let length = Int(generator.next() % 80)
            expectAgrees((0..<length).map { _ in
                let r = generator.next()
                return r % 3 == 0 ? UInt8(truncatingIfNeeded: r >> 8) | 0x80 : r % 3 == 1 ? UInt8(truncatingIfNeeded: r >> 8) : 0x61
            })
        }
    }

    @Test func invalidUTF8IsReplacedWithAWarningAndNULIsRejected() {
        guard case .text(let text, let warnings) = DocumentDecoding.decode([0x61, 0xFF, 0x62]) else {
            Issue.record("expected text")
            return
        }
        #expect(text == "a\u{FFFD}b")
        #expect(warnings == ["invalid UTF-8: 1 sequence(s) replaced by U+FFFD"])
        guard case .rejected(let reason) = DocumentDecoding.decode([0x61, 0x00, 0x62]) else {
            Issue.record("expected rejection")
            return
        }
        #expect(reason.contains("NUL"))
    }

    @Test func aFileInUTF16WithAByteOrderMarkIsDecoded() {
        // "Né 😀" in UTF-16: an accented letter and a surrogate pair, in both byte orders.
        let units: [UInt16] = [0x4E, 0xE9, 0x20, 0xD83D, 0xDE00]
        let little: [UInt8] = [0xFF, 0xFE] + units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big: [UInt8] = [0xFE, 0xFF] + units.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for (bytes, name) in [(little, "UTF-16LE"), (big, "UTF-16BE")] {
            guard case .text(let text, let warnings) = DocumentDecoding.decodeFile(bytes) else {
                Issue.record("expected text from \(name)")
                continue
            }
            #expect(text == "Né 😀")
            #expect(warnings.count == 1 && warnings[0].hasPrefix("decoded from \(name)"))
        }
        // A lone surrogate and an odd last byte are replaced and counted.
        guard case .text(let repaired, let warnings) = DocumentDecoding.decodeFile([0xFF, 0xFE, 0x61, 0x00, 0x3D, 0xD8, 0x62, 0x00, 0x63]) else {
            Issue.record("expected text")
            return
        }
        #expect(repaired == "a\u{FFFD}b\u{FFFD}")
        #expect(warnings.last == "invalid UTF-16LE: 2 sequence(s) replaced by U+FFFD")
        // Without a mark it is still refused, with a reason that names UTF-16.
        guard case .rejected(let reason) = DocumentDecoding.decodeFile(Array("Plain words".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })) else {
            Issue.record("expected rejection")
            return
        }
        #expect(reason.contains("looks like UTF-16"))
        // Other binary data keeps the plain reason.
        guard case .rejected(let binary) = DocumentDecoding.decodeFile([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00]) else {
            Issue.record("expected rejection")
            return
        }
        #expect(binary == "binary data: NUL byte at offset 7; not analysed")
    }
}

@Suite("Tab-separated word lists")
struct TabSeparatedLinesTests {
    @Test func linesAndFieldsAsBytes() {
        var lines: [[String]] = []
        TabSeparatedLines.forEach(in: "good\t1.9\r\n\nbad\t-2.5\textra\n\tlonely\nlast\t 3 ") { fields in
            lines.append(fields.map { String(decoding: $0, as: UTF8.self) })
        }
        #expect(lines == [["good", "1.9"], ["bad", "-2.5", "extra"], ["", "lonely"], ["last", " 3 "]])
    }

    @Test func aTrailingTabEndsWithAnEmptyField() {
        var lines: [[String]] = []
        TabSeparatedLines.forEach(in: "a\t\nb\t\t\n\t") { fields in lines.append(fields.map { String(decoding: $0, as: UTF8.self) }) }
        #expect(lines == [["a", ""], ["b", "", ""], ["", ""]])
    }

    @Test func countsAreWholeNumbersInASCIIDigits() {
        #expect(TabSeparatedLines.count(ArraySlice("3".utf8)) == 3)
        #expect(TabSeparatedLines.count(ArraySlice(" 12\t".utf8)) == 12)
        #expect(TabSeparatedLines.count(ArraySlice("1 2".utf8)) == nil)
        #expect(TabSeparatedLines.count(ArraySlice("-1".utf8)) == nil)
        #expect(TabSeparatedLines.count(ArraySlice("2x".utf8)) == nil)
        #expect(TabSeparatedLines.count(ArraySlice(" ".utf8)) == nil)
        #expect(TabSeparatedLines.count(ArraySlice(String(repeating: "9", count: 19).utf8)) == nil)  // would overflow
    }

    @Test func fieldTextIsTrimmed() {
        #expect(TabSeparatedLines.text(ArraySlice(" 3.5\t".utf8)) == "3.5")
        #expect(TabSeparatedLines.text(ArraySlice("\u{00A0}-1\u{00A0}".utf8)) == "-1")  // no-break spaces
        #expect(TabSeparatedLines.text(ArraySlice("   ".utf8)) == "")
    }
}

/// Values appended from several threads, for tests.
private final class LockedValues: @unchecked Sendable {
    // Unchecked: every access holds the lock.
    private let lock = NSLock()
    private var values: [[Int]] = []
    func append(_ value: [Int]) { lock.withLock { values.append(value) } }
    var count: Int { lock.withLock { values.count } }
    var all: [[Int]] { lock.withLock { values } }
}

@Suite("English inflection")
struct EnglishInflectionTests {
    /// The forms the sentiment lexicon adds for its words: -s, -ed, -ing, -ly, -ness, -er, -est, in that order.
    @Test func regularFormsWithTheirSpellingChanges() {
        func forms(_ word: String) -> [String] { EnglishInflection.inflectedForms(Array(word.utf8)).map { String(decoding: $0, as: UTF8.self) } }
        #expect(forms("stop") == ["stops", "stopped", "stopping", "stoply", "stopness", "stopper", "stoppest"])
        #expect(forms("love") == ["loves", "loved", "loving", "lovely", "loveness", "lover", "lovest"])
        #expect(forms("happy") == ["happies", "happied", "happying", "happily", "happiness", "happier", "happiest"])
        #expect(forms("gentle") == ["gentles", "gentled", "gentling", "gently", "gentleness", "gentler", "gentlest"])
        #expect(forms("fix") == ["fixes", "fixed", "fixing", "fixly", "fixness", "fixer", "fixest"])
        #expect(forms("free") == ["frees", "freed", "freeing", "freely", "freeness", "freer", "freest"])
        #expect(forms("enjoy") == ["enjoys", "enjoyed", "enjoying", "enjoyly", "enjoyness", "enjoyer", "enjoyest"])
        #expect(forms("") == [])
    }
}
