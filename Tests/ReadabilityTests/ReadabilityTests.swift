import AnalyticsKit
import AnalyticsKitTestSupport
import Foundation
@testable import Readability
import Testing

private func harness() -> StageHarness {
    let registry = PluginRegistry.builtIn()
    try! ReadabilityPlugin.register(into: registry)
    return StageHarness(registry: registry)
}

private func readability(_ text: String, _ options: [String: OptionValue] = [:]) throws -> ReadabilityOutput {
    try harness().run("readability", options: options, on: text, as: ReadabilityOutput.self)
}

private func near(_ a: Double?, _ b: Double, _ tolerance: Double = 0.005) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance
}

@Suite("Readability formulas")
struct FormulaTests {
    @Test func colemanLiauPublishedExample() {
        // Coleman & Liau (1975): 5 sentences, 119 words, 639 letters give 14.5.
        let score = Formulas.colemanLiau(letters: 639, words: 119, sentences: 5)
        #expect(near(score, 14.53, 0.01))
        #expect((score * 10).rounded() / 10 == 14.5)
    }

    @Test func daleChallAddsItsConstantOnlyAboveFivePercent() {
        // 4 difficult of 100 words (4%), 10 words per sentence: 0.1579 × 4 + 0.0496 × 10 = 1.1276, no constant.
        #expect(near(Formulas.daleChall(difficultWords: 4, words: 100, sentences: 10), 1.1276, 1e-9))
        // 10% difficult: 1.579 + 0.496 + 3.6365.
        #expect(near(Formulas.daleChall(difficultWords: 10, words: 100, sentences: 10), 5.7115, 1e-9))
    }

    @Test func publishedConstants() {
        #expect(near(Formulas.fleschKincaidGrade(words: 100, sentences: 10, syllables: 150), 0.39 * 10 + 11.8 * 1.5 - 15.59, 1e-9))
        #expect(near(Formulas.fleschReadingEase(words: 100, sentences: 10, syllables: 150), 206.835 - 10.15 - 126.9, 1e-9))
        #expect(near(Formulas.automatedReadabilityIndex(characters: 450, words: 100, sentences: 10), 4.71 * 4.5 + 5 - 21.43, 1e-9))
        #expect(near(Formulas.spache(unfamiliarWords: 5, words: 100, sentences: 10), 0.121 * 10 + 0.082 * 5 + 0.659, 1e-9))
        #expect(near(Formulas.smog(sentences: 30, polysyllables: 9), 1.0430 * 3 + 3.1291, 1e-9))
        #expect(near(Formulas.linsearWrite(easyWords: 90, hardWords: 10, sentences: 5), (90 + 30) / 5 / 2, 1e-9))
        #expect(near(Formulas.linsearWrite(easyWords: 8, hardWords: 2, sentences: 1), (14 - 2) / 2, 1e-9))
        #expect(near(Formulas.lix(words: 100, sentences: 10, longWords: 25), 35, 1e-9))
        #expect(near(Formulas.gunningFog(words: 100, sentences: 10, complexWords: 10), 8, 1e-9))
    }
}

@Suite("Readability counts and the stage")
struct ReadabilityStageTests {
    @Test func handCountedShortText() throws {
        // The(1) cat(1) sat(1) on(1) the(1) mat(1). It(1) was(1) a(1) sun-ny(2) day(1).
        let out = try readability("The cat sat on the mat. It was a sunny day.")
        #expect(out.counts.sentences == 2)
        #expect(out.counts.words == 11)
        #expect(out.counts.syllables == 12)
        #expect(out.counts.letters == 31)
        #expect(out.counts.characters == 31)
        // 206.835 − 1.015 × 5.5 − 84.6 × 12/11 = 108.96; 0.39 × 5.5 + 11.8 × 12/11 − 15.59 = −0.57
        #expect(out.score(.fleschReadingEase) == 108.96)
        #expect(out.score(.fleschKincaidGrade) == -0.57)
        // 11 words, none hard, 2 sentences: r = 5.5, (5.5 − 2)/2 = 1.75
        #expect(out.score(.linsearWrite) == 1.75)
        #expect(out.counts.linsearWords == 11 && out.counts.linsearHardWords == 0 && out.counts.linsearSentences == 2)
    }

    @Test func complexPolysyllabicAndLongWords() throws {
        let out = try readability("We met Alexander yesterday. Beautiful elephants visited the reservation.")
        #expect(out.counts.words == 9)
        #expect(out.counts.syllables == 23)  // 1+1+4+3 | 3+3+3+1+4
        #expect(out.counts.polysyllabicWords == 6)
        // Alexander is a proper noun; "visited" has its third syllable from -ed.
        #expect(out.counts.complexWords == 4)
        #expect(out.counts.longWords == 6)
        #expect(out.score(.gunningFog) == 19.58)  // 0.4 × (4.5 + 100 × 4/9)
        #expect(out.score(.lix) == 71.17)  // 4.5 + 100 × 6/9
        #expect(out.score(.smog) == 13.02)  // 1.043 × √(6 × 30/2) + 3.1291
        #expect(out.notes.contains { $0.hasPrefix("smog: 2 sentence(s)") })
    }

    @Test func numbersAndAbbreviationsAreCountedAsSpoken() throws {
        // Mister(2) Smith(1) paid(1) two thousand(3) dollars(2) in(1) nineteen eighty-five(5)
        let out = try readability("Mr. Smith paid 2,000 dollars in 1985.")
        #expect(out.counts.words == 7)
        #expect(out.counts.syllables == 15)
        #expect(try readability("U.S. troops").counts.syllables == 2 + 1)  // you-ess, troops
        #expect(try readability("It rose 2.5% to 18mn at 10:30").counts.syllables == 1 + 1 + 3 + 1 + 4 + 1 + 3)
        #expect(try readability("the 1980s and 2005").counts.syllables == 1 + 4 + 1 + 4)
    }

    @Test func numbersSaidAsTheTestSpellsThem() {
        // The number reader keeps running counts instead of collecting digits; each case below is
        // worked out by hand from how it is read aloud.
        let counter = SyllableCounter()
        func said(_ number: String) -> Int {
            Array(number.utf8).withUnsafeBufferPointer { SpokenForms.numberSyllables($0, counter: counter) }
        }
        #expect(said("0") == 2)  // zero
        #expect(said("007") == 2)  // seven
        #expect(said("1985") == 5)  // nineteen eighty-five
        #expect(said("2005") == 4)  // two thousand five
        #expect(said("1900") == 4)  // nineteen hundred
        #expect(said("1905") == 4)  // nineteen oh five
        #expect(said("2,000") == 3)  // two thousand
        #expect(said("2.5") == 3)  // two point five
        #expect(said("0.05") == 6)  // zero point zero five
        #expect(said("3.") == 1)  // three: a point with no digits after it is not said
        #expect(said("10:30") == 3)  // ten thirty
        #expect(said("10:05") == 3)  // ten oh five
        #expect(said("10:00") == 1)  // ten
        #expect(said("1:2:3") == 3)  // one two three
        #expect(said("18mn") == 4)  // eighteen million
        #expect(said("1980s") == 4)  // nineteen eighties
        #expect(said("2nd") == 1)  // second, said as the number
        #expect(said("1,234,567") == 18)  // one million two hundred thirty-four thousand five hundred sixty-seven
        #expect(said("12345678901234567") == 20)  // seventeen digits read one by one: seven and zero have two
        #expect(said("00012345678901234567") == 20)  // leading zeros are not said
        #expect(said("19-year-old") == 2 + 1 + 1)  // nineteen, year, old
    }

    @Test func hyphenatedWordsCountAsTheirPartsAndAreNotComplex() throws {
        let out = try readability("Re-education camps.")
        #expect(out.counts.words == 2)
        #expect(out.counts.syllables == 1 + 4 + 1)
        #expect(out.counts.complexWords == 0)
        #expect(out.counts.polysyllabicWords == 1)
    }

    @Test func daleChallAndSpacheWithAListFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rd-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let list = dir + "/familiar.txt"
        _ = FileManager.default.createFile(atPath: list, contents: Data("# a tiny list\nthe\ncat\nsit\non\n".utf8))
        let out = try readability("The cats sat on the mat.", ["dale_chall_words": .string(list), "spache_words": .string(list)])
        // "cats" is familiar through "cat"; "sat" is not on the list (irregular past), nor is "mat": 2 of 6.
        #expect(out.counts.difficultWords == 2)
        #expect(out.counts.unfamiliarWords == 2)
        // 0.1579 × 33.33 + 0.0496 × 6 + 3.6365 = 9.20; 0.121 × 6 + 0.082 × 33.33 + 0.659 = 4.12
        #expect(out.score(.daleChall) == 9.20)
        #expect(out.score(.spache) == 4.12)
        #expect(!out.notes.contains { $0.hasPrefix("dale_chall") })
    }

    @Test func withoutAListTheScoreIsNullWithAReason() throws {
        let out = try readability("The cat sat.", ["formulas": .strings(["dale_chall", "lix"])])
        #expect(out.scores.map(\.formula) == [.daleChall, .lix])
        #expect(out.score(.daleChall) == nil)
        #expect(out.notes.contains { $0.contains("dale_chall_words") })
        #expect(JSONValue.object([JSONField("x", out.jsonValue)]).jsonText.contains(#""dale_chall":null"#))
    }

    @Test func emptyTextGivesNullsNotNaN() throws {
        let out = try readability("  ... ")
        #expect(out.counts.words == 0)
        #expect(out.scores.allSatisfy { $0.value == nil })
        #expect(out.notes.contains("flesch_reading_ease: no words"))
        #expect(!out.jsonValue.jsonText.contains("nan"))
    }

    @Test func badOptionsAreErrors() {
        #expect(throws: OptionError.self) { try readability("x", ["formulas": .strings(["flesch"])]) }
        #expect(throws: OptionError.self) { try readability("x", ["dale_chall_words": .string("/no/such/list")]) }
    }

    @Test func rulesModeDiffersOnlyWhereTheDictionaryKnowsBetter() throws {
        // "business" is 2 in CMUdict; the rules say 3.
        #expect(try readability("business").counts.syllables == 2)
        #expect(try readability("business", ["syllables": .string("rules")]).counts.syllables == 3)
    }

    @Test func countsKeptFromDocumentToDocumentStayWithTheirMode() throws {
        // Each thread keeps the counts of numbers and names for its next documents (`RuleCountMemo`).
        // A number's parts are counted in the stage's mode: "10-business" is ten (1) and business, 2
        // in CMUdict and 3 by the rules. Counted in one mode, it must not answer for the other.
        for _ in 0..<2 {
            #expect(try readability("10-business").counts.syllables == 1 + 2)
            #expect(try readability("10-business", ["syllables": .string("rules")]).counts.syllables == 1 + 3)
        }
    }

    @Test func aThreadsEarlierDocumentsDoNotChangeACount() throws {
        // The same text counted on a thread that has counted nothing, and here after other documents
        // that share its names, numbers and abbreviations.
        let text = "Mr. Blorptastic paid 2,000 dollars to Zhangwei-Kowalczyk in 1985. The U.S. said 18mn."
        final class Counted: @unchecked Sendable { var counts: ReadabilityCounts? }  // written before `done` is signalled
        let fresh = Counted()
        let done = DispatchSemaphore(value: 0)
        Thread {
            fresh.counts = try? readability(text).counts
            done.signal()
        }.start()
        done.wait()
        _ = try readability("Blorptastic and Zhangwei-Kowalczyk met Mr. Smith in 1985 with 2,000 others from the U.S.")
        let here = try readability(text)
        #expect(fresh.counts == here.counts)
        #expect(here.counts.syllables > 0)
    }

    @Test func formulaKeysInJSONAreTheirRawValues() {
        for formula in ReadabilityFormula.allCases {
            #expect(formula.jsonKey.description == "\"\(formula.rawValue)\":")
        }
    }

    @Test func outputRoundTripsAndTheStageConforms() throws {
        let out = try readability("The council approved the budget. “We are pleased,” the mayor said.")
        let decoded = try JSONDecoder().decode(ReadabilityOutput.self, from: Data(out.jsonValue.jsonText.utf8))
        #expect(decoded == out)
        // Notes are written from their parts; the text is the same as `notes` gives.
        for text in ["", "Short one."] {
            let notes = try readability(text)
            #expect(notes.jsonValue["notes"] == .array(notes.notes.map(JSONValue.string)))
            #expect(try JSONDecoder().decode(ReadabilityOutput.self, from: Data(notes.jsonValue.jsonText.utf8)) == notes)
        }
        #expect(try readability("Short one.").notes.contains("smog: 1 sentence(s); the formula is defined on 30 and was scaled to them"))
        let problems = StageConformance.check(typeName: "readability", options: [[:], ["syllables": .string("rules")]],
                                              schema: ReadabilityStage.factory.options, make: { try ReadabilityStage(configuration: $0) })
        #expect(problems.isEmpty, "\(problems)")
        let generated = StageConformance.check(typeName: "readability", schema: ReadabilityStage.factory.options,
                                               texts: StageConformance.generatedTexts(count: 1_000, seed: 11),
                                               make: { try ReadabilityStage(configuration: $0) })
        #expect(generated.isEmpty, "\(generated)")
    }
}

@Suite("Syllables")
struct SyllableTests {
    @Test(arguments: [
        ("make", 1), ("table", 2), ("acre", 2), ("hoped", 1), ("wanted", 2), ("makes", 1), ("wishes", 2),
        ("lovely", 2), ("statement", 2), ("homework", 2), ("milestone", 2), ("piano", 3), ("radio", 3), ("create", 2),
        ("quiet", 2), ("poem", 2), ("nation", 2), ("special", 2), ("gorgeous", 2), ("people", 2), ("guide", 1),
        ("blue", 1), ("doing", 2), ("fire", 2), ("hour", 2), ("criticism", 4), ("basically", 3), ("reassure", 3),
        ("nfl", 3), ("eyelid", 2), ("quality", 3), ("league", 1), ("cooperate", 4), ("happier", 3), ("science", 2),
        ("ancient", 2), ("area", 3), ("korean", 3), ("dryer", 2), ("mosaic", 3), ("atheist", 3), ("applying", 3),
    ])
    func rules(word: String, syllables: Int) {
        #expect(SyllableRules.count(word) == syllables, "\(word)")
    }

    @Test func onlyLettersCountAndEmptyIsZero() {
        #expect(SyllableRules.count("") == 0)
        #expect(SyllableRules.count("'-.") == 0)
        #expect(SyllableRules.count("Don't") == SyllableRules.count("dont"))
        #expect(SyllableCounter().count("WATER") == 2)
    }

    // CMUdict's counts for the contractions it lists, and the clitics said with their own syllable.
    @Test(arguments: [
        ("couldn't", 2), ("couldn’t", 2), ("didn't", 2), ("isn't", 2), ("wasn't", 2), ("mustn't", 2), ("haven't", 2),
        ("don't", 1), ("can't", 1), ("won't", 1), ("weren't", 1), ("it's", 1), ("we're", 1), ("I'll", 1), ("it'll", 2),
        ("they've", 1), ("could've", 2), ("I'd", 1), ("it'd", 2), ("Greece's", 2), ("Jones's", 2), ("judge's", 2),
        ("church's", 2), ("Canada’s", 3), ("parents'", 2), ("o'clock", 2), ("O'Brien", 3), ("nicotine-containing", 6),
        ("six-year-old's", 3), ("café", 2),
    ])
    func clitics(word: String, syllables: Int) {
        #expect(SyllableCounter().count(word) == syllables, "\(word)")
    }

    @Test func theStageCountsContractionsAsTheCounterDoes() throws {
        // He 1, couldn't 2, go 1; She 1, didn't 2; It 1, wasn't 2; Greece's 2, crisis 2, deepened 2.
        let counts = try readability("He couldn’t go. She didn't. It wasn’t. Greece's crisis deepened.").counts
        #expect(counts.words == 10)
        #expect(counts.syllables == 16)
    }

    @Test func dictionaryModeLooksWordsUpInCMUdict() {
        #expect(SyllableCounter(mode: .rules).count("business") == 3)
        #expect(SyllableCounter(mode: .dictionary).count("business") == 2)
        #expect(CMUdictSyllables.table.count == 117_493)
        // A word CMUdict lacks goes by the rules.
        #expect(SyllableCounter(mode: .dictionary).count("blorptastic") == SyllableRules.count("blorptastic"))
    }
}
