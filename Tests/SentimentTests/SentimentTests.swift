import AnalyticsKit
import AnalyticsKitTestSupport
import Foundation
@testable import Sentiment
import Testing

private func registry() -> PluginRegistry {
    let registry = PluginRegistry.builtIn()
    try! SentimentPlugin.register(into: registry)
    return registry
}

private func sentiment(_ text: String, _ options: [String: OptionValue] = [:]) throws -> SentimentOutput {
    try StageHarness(registry: registry()).run("sentiment", options: options, on: text, as: SentimentOutput.self)
}

private func compound(_ text: String) throws -> Double {
    try #require(try sentiment(text).document).compound
}

@Suite("Sentiment rules")
struct SentimentRuleTests {
    @Test func lexiconWordsCarryTheirSign() throws {
        #expect(try compound("The food was good.") > 0.3)
        #expect(try compound("The food was terrible.") < -0.3)
        #expect(try compound("The food arrived at noon.") == 0)
    }

    @Test func negationFlipsAndDampens() throws {
        let good = try compound("The plan is good.")
        let notGood = try compound("The plan is not good.")
        #expect(notGood < 0)
        #expect(abs(notGood) < good)  // negation is −0.5: weaker than the plain word
        #expect(try compound("It was never bad.") > 0)
        #expect(try compound("No problem at all.") > 0)
        #expect(try compound("I don't like it.") < 0)
        // Beyond three words negation no longer reaches.
        #expect(try compound("Not that the very old house was good.") == (try compound("That the very old house was good.")))
    }

    @Test func boostersDampenersCapitalsAndExclamations() throws {
        let good = try compound("The film is good.")
        #expect(try compound("The film is very good.") > good)
        #expect(try compound("The film is slightly good.") < good)
        #expect(try compound("The film is GOOD and long.") > good)
        #expect(try compound("The film is good!") > good)
        #expect(try compound("The film is good!!!") > (try compound("The film is good!")))
    }

    @Test func butShiftsTheWeightToWhatFollows() throws {
        #expect(try compound("The acting was good, but the plot was awful.") < 0)
        #expect(try compound("The plot was awful, but the acting was great.") > 0)
    }

    @Test func likeAsAPrepositionIsNotSentiment() throws {
        #expect(try compound("It looks like rain.") == 0)
        #expect(try compound("I like it.") > 0)
        #expect(try compound("The view is pretty.") > 0)
        #expect(try compound("The view is pretty good.") > (try compound("The view is good.")))
    }

    @Test func hedgedSentimentIsDamped() throws {
        #expect(try compound("It would be great.") < (try compound("It is great.")))
        #expect(try compound("It would be great.") > 0)
    }

    @Test func emojiWithSeveralScalarsAndEmoticons() throws {
        #expect(try compound("Thanks ❤️") > (try compound("Thanks")))  // heart with its variation selector
        #expect(try compound("Thanks ❤") > (try compound("Thanks")))
        #expect(try compound("Monday again 😠") < 0)
        #expect(try compound("See you soon :)") > 0)
        #expect(try compound("Missed the bus :(") < 0)
        let drivers = try #require(try sentiment("Missed the bus :(").document).drivers
        #expect(drivers.first?.span.text == ":(")
    }

    // An emoticon glued to a long run of punctuation is still found. The run is long enough that
    // trying every end of it in turn (quadratic, as the search once did) would not finish in the limit.
    @Test(.timeLimit(.minutes(1))) func anEmoticonBeforeALongRunOfPunctuation() throws {
        let text = "Missed the bus :(" + String(repeating: "—", count: 200_000)
        let drivers = try #require(try sentiment(text).document).drivers
        #expect(drivers.first?.span.text == ":(")
        #expect(try compound(String(repeating: "—", count: 200_000)) == 0)
    }

    @Test func driversNameTheWordsWithSpansInScalars() throws {
        let text = "Café food was great but the service was horrible."
        let score = try #require(try sentiment(text, ["drivers": .int(2)]).document)
        #expect(score.drivers.count == 2)
        #expect(score.drivers[0].span.text == "horrible")
        #expect(score.drivers[0].weight < 0)
        let scalars = Array(text.unicodeScalars)
        for driver in score.drivers {
            #expect(String(String.UnicodeScalarView(scalars[driver.span.start..<driver.span.end])) == driver.span.text)
        }
        #expect(abs(score.positive + score.negative + score.neutral - 1) < 0.001)
    }

    @Test func emptyAndLongDocuments() throws {
        let empty = try #require(try sentiment("").document)
        #expect(empty.compound == 0 && empty.drivers.isEmpty)
        let long = String(repeating: "The service was good and the food was bad. ", count: 2_300)  // 20,700 words
        let score = try #require(try sentiment(long).document)
        #expect(abs(score.compound) <= 1)
    }

    @Test func sentenceLevel() throws {
        let out = try sentiment("I love it. I hate it.", ["level": .string("sentence")])
        let sentences = try #require(out.sentences)
        #expect(sentences.map(\.span.text) == ["I love it.", "I hate it."])
        #expect(sentences[0].score.compound > 0 && sentences[1].score.compound < 0)
    }

    @Test func userLexiconMergedOrReplacing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sent-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = FileManager.default.createFile(atPath: dir + "/lex.tsv", contents: Data("# team words\nbullish\t2.5\ngood\t-1\n".utf8))
        let merged = try sentiment("Bullish and good.", ["lexicon": .string(dir + "/lex.tsv")])
        #expect(merged.document!.drivers.map(\.span.text).contains("Bullish"))
        #expect(try compound("Great.") > 0)
        let replaced = try sentiment("Great.", ["lexicon": .string(dir + "/lex.tsv"), "lexicon_mode": .string("replace")])
        #expect(replaced.document!.compound == 0)
        #expect(throws: OptionError.self) { try sentiment("x", ["lexicon": .string(dir + "/missing.tsv")]) }
        // A valence that is no number from -4 to 4 is refused, naming the word, not read as given.
        for bad in ["nan", "1e308", "-7", "very"] {
            _ = FileManager.default.createFile(atPath: dir + "/bad.tsv", contents: Data("fine\t1\nbullish\t\(bad)\n".utf8))
            #expect { try sentiment("x", ["lexicon": .string(dir + "/bad.tsv")]) } throws: {
                "\($0)".contains("the valence of 'bullish' is '\(bad)'; give a number from -4 to 4")
            }
        }
    }

    @Test func stageConforms() {
        let problems = StageConformance.check(typeName: "sentiment", options: [[:], ["level": .string("sentence")]],
                                              schema: SentimentStage.factory.options, make: { try SentimentStage(configuration: $0) })
        #expect(problems.isEmpty, "\(problems)")
        let generated = StageConformance.check(typeName: "sentiment", options: [["level": .string("sentence")]],
                                               schema: SentimentStage.factory.options, texts: StageConformance.generatedTexts(count: 1_000, seed: 12),
                                               make: { try SentimentStage(configuration: $0) })
        #expect(generated.isEmpty, "\(generated)")
    }
}

/// Quotes of a text between straight double quotes, for the `over:` test.
private struct QuotedSpans: Stage {
    struct Output: Codable, Sendable { let quotes: [TextSpan] }
    let configuration: StageConfiguration
    func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> Output {
        var spans: [TextSpan] = []
        var open: Int?
        for (k, token) in layer.tokens.enumerated() where token.kind == .quote {
            if let start = open {
                if start < k { spans.append(layer.span(of: TokenRange(start, k))) }
                open = nil
            } else {
                open = k + 1
            }
        }
        return Output(quotes: spans)
    }
}

/// One span over the whole text made of its first and last thirds of tokens: an interrupted quote,
/// for the `over:` test of pieces.
private struct PiecedSpans: Stage {
    struct Output: Codable, Sendable, TextSpanProviding {
        let whole: TextSpan
        let pieces: [[Int]]
        var textSpans: [PiecedSpan] { [PiecedSpan(whole, pieces: pieces.map { $0[0]..<$0[1] })] }
    }
    let configuration: StageConfiguration
    func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> Output {
        let n = layer.tokens.count
        let first = layer.span(of: TokenRange(0, n / 3)), last = layer.span(of: TokenRange(n - n / 3, n))
        return Output(whole: layer.span(of: TokenRange(0, n)), pieces: [[first.start, first.end], [last.start, last.end]])
    }
}

/// The output of a sentiment stage run with `over:` on the spans of a test stage `make` builds.
private func sentimentOver<S: Stage>(_ text: String, _ make: @escaping @Sendable (StageConfiguration) throws -> S) throws -> SentimentOutput? {
    let registry = registry()
    try registry.register(StageFactory(typeName: "spans", summary: "test spans", make: make))
    let pipeline = try PipelineLoader(registry: registry).load(yaml: """
        version: 1
        stages:
          - { id: quotes, type: spans }
          - { id: quote_tone, type: sentiment, needs: [quotes], with: { over: quotes, drivers: 5 } }
        """, file: "p.yml", baseDirectory: ".")
    var results: [DocumentResult] = []
    try Executor(pipeline: pipeline).run(ArraySource([Document(id: "d", text: text)])) { results.append($0) }
    return results[0].outputs.output(of: "quote_tone", as: SentimentOutput.self)
}

@Suite("Sentiment over spans")
struct SentimentOverTests {
    @Test func scoresOnlyThePiecesOfAnInterruptedSpan() throws {
        // The middle third, left out of the pieces, is all the bad news.
        let text = "good fine nice great lovely happy awful terrible horrible dreadful nasty grim okay fair calm glad warm kind"
        let span = try #require(try sentimentOver(text) { PiecedSpans(configuration: $0) }?.spans?.first)
        #expect(span.span.text == text)
        #expect(span.score.compound > 0.9 && span.score.negative == 0)
        #expect(span.score.drivers.allSatisfy { !["awful", "terrible", "horrible", "dreadful", "nasty", "grim"].contains($0.span.text) })
    }

    @Test func scoresEachSpanOfAnotherStage() throws {
        let out = try #require(try sentimentOver(#"He said "this is wonderful" and she said "this is awful"."#) { QuotedSpans(configuration: $0) })
        let spans = try #require(out.spans)
        #expect(spans.map(\.span.text) == ["this is wonderful", "this is awful"])
        #expect(spans[0].score.compound > 0 && spans[1].score.compound < 0)
        #expect(out.document == nil)
    }

    @Test func overMustBeANeed() {
        #expect(throws: PipelineError.self) {
            _ = try PipelineLoader(registry: registry()).load(yaml: """
                version: 1
                stages:
                  - { id: tone, type: sentiment, with: { over: quotes } }
                """, file: "p.yml", baseDirectory: ".")
        }
    }
}
