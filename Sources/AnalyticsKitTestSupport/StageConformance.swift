import AnalyticsKit
import Foundation

/// Checks the contract every stage must keep, for any stage author to call from their tests.
///
/// `check` returns the problems found (empty when the stage conforms):
/// - the output is the same when the stage runs twice on the same text (deterministic);
/// - the output encodes to JSON and decodes back to a value that encodes the same;
/// - every span in the output (`{"start", "end", "text"}`) lies inside the text, counted in Unicode
///   scalars, and its `text` is exactly those scalars;
/// - empty, blank, hostile and very long texts give an output or a thrown error, never a crash (a crash
///   ends the test process, which is how it shows).
public enum StageConformance {
    /// Texts every stage must survive: empty, blank, punctuation only, broken quotes, emoji and
    /// combining marks, right-to-left script, replacement characters, one enormous token, many lines.
    public static let hostileTexts: [String] = [
        "", " ", "\n\n\n", "\t \r\n ", ".", "...!?", "\"", "“ ‘ ’ ”", "\"unclosed quote. And more",
        "‘nested “quotes’ here”", "😀😀😀 👍🏽 ❤️ 🇫🇷 👨‍👩‍👧", "e\u{301}\u{301}\u{301} a\u{20DD}", "שלום עולם. مرحبا بالعالم.",
        "\u{FFFD}\u{FFFD} broken", String(repeating: "a", count: 100_000), String(repeating: "Line.\n", count: 5_000),
        "Mr. U.S. Jan. 9 2,000 18mn 2.5% don't re-education", "—–-‐…", "\u{200B}\u{FEFF}\u{2028}\u{2029}",
    ]

    /// Sample news-like texts for the determinism and round-trip checks.
    public static let sampleTexts: [String] = [
        "The council approved the budget on Monday. “We are pleased,” the mayor said.",
        "Shares fell 2.5% after the report. Analysts said the outlook was poor, but improving!",
        "HEADLINE WITHOUT A PERIOD\n\nA first paragraph. A second sentence.\n\nAnother paragraph here.",
    ]

    /// `count` texts put together at random (seeded: the same seed, the same texts) from the pieces
    /// the text layer and the stages treat specially: abbreviations, numbers, contractions, emoji and
    /// emoticons, negations and boosters, quotation marks of every kind, speech verbs and speakers,
    /// dashes and ellipses, non-ASCII letters, line breaks; a third of them with the spaces taken out.
    /// Mostly not grammatical: they put each rule's index arithmetic to combinations no hand-written
    /// sample has. Pass them as `texts` to `check`.
    public static func generatedTexts(count: Int, seed: UInt64) -> [String] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let text = (0..<Int.random(in: 1...60, using: &random)).map { _ in generatorPieces.randomElement(using: &random)! }
                .joined(separator: " ")
            return Int.random(in: 0..<3, using: &random) == 0 ? text.replacingOccurrences(of: " ", with: "") : text
        }
    }

    private static let generatorPieces = [
        "Mr.", "U.S.", "Jan. 9", "2,000", "18mn", "2.5%", "don't", "re-education", "Xi Jinping's", "\u{201C}", "\u{201D}", "\"", "'",
        "''", "\u{2014}", "...", "\u{2026}", "not", "never", "but", "very", "extremely", ":)", ":(", "\u{1F600}", "\u{1F44D}\u{1F3FD}",
        "!", "?", "!!", "?!", ",", ".", ";", ":", "(", ")", "-", "--", "said", "says", "told", "according to", "the", "a", "Bilash",
        "Mayor Ana Ruiz", "she", "he", "was cited as saying", "good", "bad", "great", "terrible", "kind of", "without doubt", "no",
        "nor", "least", "Dr.", "No.", "No. 1", "e.g.", "etc.", "St.", "Inc.", "1980s", "10:30", "$1.5 billion", "1,234,567.89",
        "19-year-old", "\u{E9}t\u{E9}", "\u{130}stanbul", "Stra\u{DF}e", "\n", "\n\n", "AT&T", "O'Neill", "#hashtag", "@user",
        "http://example.com/a?b=c", "I", "I.", "A.", "U.S.A.", "Ph.D.", "a.m.", "Sept.", "WASHINGTON (AP) \u{2014}", "\u{BB}",
        "\u{AB}", "\u{201E}", "\u{2019}", "\u{2018}", "'s", "s'", "Asked whether", "When", "Although", "adding", "saying", "that",
        "who", "Six in 10", "(R)", "Okafor, 52,", "told reporters", "in a statement", "on Monday", "However,", "LOL", "!!!1",
    ]

    /// Checks a typed stage built by `make` for each configuration in `options` (the defaults if empty).
    public static func check<S: Stage>(
        typeName: String,
        options: [[String: OptionValue]] = [[:]],
        schema: [OptionSpec] = [],
        texts: [String] = sampleTexts,
        make: (StageConfiguration) throws -> S
    ) -> [String] {
        var problems: [String] = []
        for overrides in options {
            var values: [String: OptionValue] = [:]
            for spec in schema { values[spec.name] = spec.defaultValue }
            values.merge(overrides) { $1 }
            let configuration = StageConfiguration(id: "conformance", typeName: typeName, options: StageOptions(values))
            let stage: S
            do {
                stage = try make(configuration)
            } catch {
                problems.append("\(overrides): the stage cannot be made: \(error)")
                continue
            }
            for text in texts {
                problems += checkOne(stage, text: text, label: "\(overrides) on \(preview(text))")
            }
            for text in hostileTexts {
                let document = Document(id: "hostile", text: text)
                // Throwing is allowed on hostile input; crashing is not, and would stop the test run here.
                if let output = try? stage.analyze(document, layer: TextLayer(text: text), upstream: UpstreamOutputs()) {
                    problems += checkSpans(output, in: text, label: "\(overrides) on hostile \(preview(text))")
                }
            }
        }
        return problems
    }

    /// Checks a registered factory, for stages whose type cannot be named (they must still encode).
    public static func check(factory: StageFactory, options: [[String: OptionValue]] = [[:]], texts: [String] = sampleTexts) -> [String] {
        var problems: [String] = []
        for overrides in options {
            let stage: AnyStage
            do {
                stage = try factory.make(StageConfiguration(id: "conformance", typeName: factory.typeName,
                                                            options: StageHarness.options(overrides, for: factory)))
            } catch {
                problems.append("\(overrides): the stage cannot be made: \(error)")
                continue
            }
            for text in texts + hostileTexts {
                let document = Document(id: "check", text: text)
                let layer = TextLayer(text: text)
                guard let first = try? stage.analyze(document, layer: layer, upstream: UpstreamOutputs()),
                      let second = try? stage.analyze(document, layer: layer, upstream: UpstreamOutputs()) else { continue }
                let a = (try? JSONValueEncoder().encode(first))?.jsonText
                let b = (try? JSONValueEncoder().encode(second))?.jsonText
                if a == nil { problems.append("\(overrides) on \(preview(text)): the output does not encode") }
                if a != b { problems.append("\(overrides) on \(preview(text)): two runs gave different output") }
                problems += checkSpans(first, in: text, label: "\(overrides) on \(preview(text))")
            }
        }
        return problems
    }

    private static func checkOne<S: Stage>(_ stage: S, text: String, label: String) -> [String] {
        let document = Document(id: "check", text: text)
        let layer = TextLayer(text: text)
        do {
            let first = try stage.analyze(document, layer: layer, upstream: UpstreamOutputs())
            let second = try stage.analyze(document, layer: layer, upstream: UpstreamOutputs())
            var problems: [String] = []
            let json = try JSONValueEncoder().encode(first).jsonText
            if try JSONValueEncoder().encode(second).jsonText != json { problems.append("\(label): two runs gave different output") }
            let decoded = try JSONDecoder().decode(S.Output.self, from: Data(json.utf8))
            if try JSONValueEncoder().encode(decoded).jsonText != json {
                problems.append("\(label): the output does not survive encoding and decoding")
            }
            return problems + checkSpans(first, in: text, label: label)
        } catch {
            return ["\(label): \(error)"]
        }
    }

    /// Every `{"start", "end", "text"}` object in the output must be the scalars it claims.
    static func checkSpans(_ output: any Encodable, in text: String, label: String) -> [String] {
        guard let json = try? JSONValueEncoder().encode(output) else { return ["\(label): the output does not encode"] }
        let scalars = Array(text.unicodeScalars)
        var problems: [String] = []
        for span in TextSpan.all(in: json) {
            let (start, end) = (span.start, span.end)
            if start < 0 || end < start || end > scalars.count {
                problems.append("\(label): span \(start)..<\(end) lies outside the text (\(scalars.count) scalars)")
            } else {
                var actual = String.UnicodeScalarView()
                actual.append(contentsOf: scalars[start..<end])
                if String(actual) != span.text {
                    problems.append("\(label): span \(start)..<\(end) says \(preview(span.text)) but the text there is \(preview(String(actual)))")
                }
            }
        }
        return problems
    }

    private static func preview(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: "⏎")
        return "\"" + (flat.count > 40 ? String(flat.prefix(40)) + "…" : flat) + "\""
    }
}
