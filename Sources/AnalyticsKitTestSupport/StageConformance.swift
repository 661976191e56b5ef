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
