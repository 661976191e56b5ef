import AnalyticsKit
import AnalyticsKitTestSupport
@testable import Quotes
import Testing

private func quotes(_ text: String) throws -> [Quote] {
    let registry = PluginRegistry.builtIn()
    try QuotesPlugin.register(into: registry)
    return try StageHarness(registry: registry).run("quotes", on: text, as: QuotesOutput.self).quotes
}

@Suite("Quotes")
struct QuotesTests {
    @Test func directQuoteWithSpeakerAfter() throws {
        let text = "Maria Lopez runs the bakery. “Business has been slow since the bridge closed,” Lopez said on Monday."
        let found = try quotes(text)
        #expect(found.count == 1)
        #expect(found[0].kind == "direct")
        #expect(found[0].quote.text == "“Business has been slow since the bridge closed,”")
        #expect(found[0].speaker?.text == "Lopez")
        #expect(found[0].cue?.text == "said")
        #expect(found[0].speakerResolved == "Maria Lopez")
    }

    @Test func invertedCueAndPassiveCue() throws {
        #expect(try quotes("\"We will rebuild the whole harbour front,\" said Tom Okafor.").first?.speaker?.text == "Tom Okafor")
        let cited = try quotes("“The plan is finished and the money is gone,” Reyes was cited as saying.")
        #expect(cited.first?.cue?.text == "was cited as saying")
        #expect(cited.first?.speaker?.text == "Reyes")
    }

    @Test func speakerBeforeTheQuote() throws {
        let found = try quotes("The mayor told reporters: “We are not closing a single library this year.”")
        #expect(found.first?.speaker?.text == "The mayor")
        #expect(found.first?.cue?.text == "told")
    }

    @Test func quoteInterruptedByItsAttributionIsOneQuote() throws {
        let found = try quotes("Ana Lucero farms near Valdera. “We will plant again,” she said, “but not before the rain comes back.”")
        #expect(found.count == 1)
        #expect(found[0].quote.fragments?.count == 2)
        #expect(found[0].speakerResolved == "Ana Lucero")
    }

    @Test func quoteOverSeveralParagraphs() throws {
        let text = "Priya Natarajan spoke first.\n\n“The lane is too narrow for two bikes.\n\n“We will ask the council to widen it before winter,” Natarajan said."
        let found = try quotes(text)
        #expect(found.count == 1)
        #expect(found[0].quote.text.hasPrefix("“The lane is too narrow"))
        #expect(found[0].quote.text.hasSuffix("winter,”"))
        #expect(found[0].speakerResolved == "Priya Natarajan")
    }

    @Test func strayMarkDoesNotSwallowTheRest() throws {
        let text = "He wrote “half a sentence and stopped.\n\nThe council met on Tuesday. Officials said the budget would pass."
        let found = try quotes(text)
        #expect(!found.contains { $0.kind == "direct" })
        #expect(found.contains { $0.speaker?.text == "Officials" && $0.quote.text.hasPrefix("the budget would pass") })
    }

    @Test func reportedSpeechPatterns() throws {
        let text = """
            The Harbour Authority said on Tuesday that repairs would take two more years.
            Repairs will cost more than planned, according to the city engineer.
            Traffic has already fallen by half, the news agency Westmoor Press reported.
            """
        let found = try quotes(text)
        #expect(found.count == 3)
        #expect(found.allSatisfy { $0.kind == "indirect" })
        #expect(found[0].speaker?.text == "The Harbour Authority" && found[0].quote.text == "repairs would take two more years")
        #expect(found[1].cue?.text == "according to" && found[1].speaker?.text == "the city engineer")
        #expect(found[2].cue?.text == "reported")
    }

    @Test func mixedQuoteAndPronounResolution() throws {
        let text = "Helga Sorensen runs the museum. She said the return was \"long overdue\" and the right thing to do."
        let found = try quotes(text)
        #expect(found.count == 1)
        #expect(found[0].kind == "mixed")
        #expect(found[0].speakerResolved == "Helga Sorensen")
    }

    @Test func scareQuotesAreNotQuotes() throws {
        #expect(try quotes("The so-called “key” partner signed the deal.").isEmpty)
    }

    @Test func quotesAtTheVeryStartAndEnd() throws {
        let found = try quotes("“Nothing works here any more at all,” said Jo Smith. She added: “We need help now.”")
        #expect(found.count == 2)
        #expect(found[0].quote.start == 0)
        #expect(found[1].quote.end == "“Nothing works here any more at all,” said Jo Smith. She added: “We need help now.”".unicodeScalars.count)
        #expect(found[1].speakerResolved == "Jo Smith")
    }

    @Test func emptyAndQuotelessDocuments() throws {
        #expect(try quotes("").isEmpty)
        #expect(try quotes(String(repeating: "The harbour was calm and the boats stayed in. ", count: 2_000)).isEmpty)
    }

    @Test func speakersTallyMergesAssociatively() throws {
        var a = SpeakerTally(top: 5)
        var b = SpeakerTally(top: 5)
        let doc = Document(id: "d", text: "")
        let one = try QuotesOutput(quotes: quotes("“We will win this one, no doubt,” said Jo Smith."))
        a.add(one, document: doc, sequence: 0)
        b.add(one, document: doc, sequence: 1)
        b.add(one, document: doc, sequence: 2)
        var ab = a
        ab.merge(b)
        var ba = b
        ba.merge(a)
        #expect(ab.finalize() == ba.finalize())
        #expect(ab.finalize() == [SpeakerCount(speaker: "Jo Smith", quotes: 3)])
    }

    @Test func stageConforms() {
        let problems = StageConformance.check(typeName: "quotes", schema: QuotesStage.factory.options, make: { try QuotesStage(configuration: $0) })
        #expect(problems.isEmpty, "\(problems)")
    }
}
