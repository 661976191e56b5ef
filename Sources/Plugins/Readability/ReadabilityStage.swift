import AnalyticsKit
import Foundation

/// Readability scores by the standard formulas, with the counts behind them so any score can be checked by hand.
///
/// Options choose the formulas, the syllable counting (`dictionary`: CMUdict where the rules are wrong;
/// `rules`) and the familiar-word lists that Dale–Chall and Spache need (not shipped; without one those
/// scores are null with a note saying so). A score that cannot be computed (a text without words) is
/// null with a note, never NaN; SMOG on fewer than 30 sentences and Linsear Write on fewer than 100
/// words are computed as their formulas scale them, with a note.
public struct ReadabilityStage: Stage {
    public let configuration: StageConfiguration
    let formulas: [ReadabilityFormula]
    let counter: SyllableCounter
    let daleChall: FamiliarWords?
    let spache: FamiliarWords?

    /// The factory registered as `readability`.
    public static let factory = StageFactory(
        typeName: "readability",
        summary: "readability formulas (Flesch, Flesch–Kincaid, Fog, SMOG, Coleman–Liau, ARI, Dale–Chall, Spache, Linsear Write, LIX) with their counts",
        options: [
            OptionSpec("formulas", .strings, default: .strings(ReadabilityFormula.allCases.map(\.rawValue)),
                       doc: "which formulas to compute: " + ReadabilityFormula.allCases.map(\.rawValue).joined(separator: ", ")),
            OptionSpec("syllables", .choice(SyllableMode.allCases.map(\.rawValue)), default: .string("dictionary"),
                       doc: "dictionary (CMUdict, then rules for words it lacks) or rules (rules alone)"),
            OptionSpec("dale_chall_words", .path, doc: "file with the Dale–Chall familiar words, one per line (not shipped)"),
            OptionSpec("spache_words", .path, doc: "file with the Spache familiar words, one per line (not shipped)"),
        ],
        make: { try ReadabilityStage(configuration: $0) }
    )

    /// Builds the stage from validated options.
    public init(configuration: StageConfiguration) throws {
        self.configuration = configuration
        let options = configuration.options
        var chosen: [ReadabilityFormula] = []
        for name in options.strings("formulas") ?? ReadabilityFormula.allCases.map(\.rawValue) {
            guard let formula = ReadabilityFormula(rawValue: name) else {
                throw OptionError(option: "formulas", "unknown formula '\(name)'; formulas: \(ReadabilityFormula.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !chosen.contains(formula) { chosen.append(formula) }
        }
        formulas = chosen
        counter = SyllableCounter(mode: SyllableMode(rawValue: options.string("syllables") ?? "dictionary") ?? .dictionary)
        daleChall = try options.path("dale_chall_words").map { try FamiliarWords(path: $0, option: "dale_chall_words") }
        spache = try options.path("spache_words").map { try FamiliarWords(path: $0, option: "spache_words") }
    }

    public func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> ReadabilityOutput {
        let counts = ReadabilityCounts.counting(layer, counter: counter, daleChall: daleChall, spache: spache)
        var scores: [ReadabilityOutput.Score] = []
        var notes: [ReadabilityOutput.Note] = []
        scores.reserveCapacity(formulas.count)  // one allocation, not one per doubling
        notes.reserveCapacity(formulas.count + 2)  // nearly every document has a note or more
        // Scores are listed in one canonical order whatever order the options named them in.
        for formula in ReadabilityFormula.allCases where formulas.contains(formula) {
            switch formula.score(counts) {
            case .success(let value):
                scores.append(.init(formula: formula, value: (value * 100).rounded() / 100))
            case .failure(let unavailable):
                scores.append(.init(formula: formula, value: nil))
                notes.append(.unavailable(formula, unavailable.reason))
            }
        }
        if counts.words > 0 {
            if formulas.contains(.smog) && counts.sentences < 30 {
                notes.append(.smogScaled(sentences: counts.sentences))
            }
            if formulas.contains(.linsearWrite) && counts.words < 100 {
                notes.append(.linsearShort(words: counts.words))
            }
        }
        return ReadabilityOutput(scores: scores, counts: counts, noteParts: notes)
    }
}

/// What the readability stage reports for one document: scores (null when unavailable), counts, notes.
public struct ReadabilityOutput: Sendable, Equatable {
    /// One formula's score.
    public struct Score: Sendable, Equatable {
        /// The formula.
        public let formula: ReadabilityFormula
        /// The score rounded to 2 decimals, or nil when it could not be computed (see `notes`).
        public let value: Double?
    }

    /// The requested formulas' scores, in the order of `ReadabilityFormula.allCases`.
    public let scores: [Score]
    /// The counts behind them.
    public let counts: ReadabilityCounts
    /// Why a score is null, or what to keep in mind about it.
    public var notes: [String] { noteParts.map(\.text) }
    /// The notes as their parts: made into text only when read or written, since building the
    /// strings for every document cost 7% of the stage's time.
    let noteParts: [Note]

    /// One note.
    enum Note: Sendable, Equatable {
        case unavailable(ReadabilityFormula, String)
        case smogScaled(sentences: Int)
        case linsearShort(words: Int)
        case text(String)

        /// The note as text, a number, and more text (literals, so that nothing is built).
        var pieces: (String, Int?, String, String) {
            switch self {
            case .unavailable(let formula, let reason): (formula.rawValue, nil, ": ", reason)
            case .smogScaled(let sentences): ("smog: ", sentences, " sentence(s); the formula is defined on 30 and was scaled to them", "")
            case .linsearShort(let words): ("linsear_write: ", words, " word(s); the formula is defined on a 100-word sample", "")
            case .text(let text): (text, nil, "", "")
            }
        }

        var text: String {
            let (head, number, middle, tail) = pieces
            return head + (number.map(String.init) ?? "") + middle + tail
        }

        /// Notes are equal when their texts are: a decoded note is `.text`.
        static func == (a: Note, b: Note) -> Bool { a.text == b.text }
    }

    /// An output with the given notes.
    public init(scores: [Score], counts: ReadabilityCounts, notes: [String]) {
        self.init(scores: scores, counts: counts, noteParts: notes.map(Note.text))
    }

    init(scores: [Score], counts: ReadabilityCounts, noteParts: [Note]) {
        self.scores = scores
        self.counts = counts
        self.noteParts = noteParts
    }

    /// The score of one formula, if it was requested and could be computed.
    public func score(_ formula: ReadabilityFormula) -> Double? {
        scores.first { $0.formula == formula }?.value
    }
}

extension ReadabilityOutput: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.fixedKey("scores")
        // The scores and the counts each in one piece, their keys as literals: every document writes
        // twenty-odd of them, and a writer call per key and per number cost more than their bytes.
        writer.rawValue { out in
            out.append(UInt8(ascii: "{"))
            for (k, score) in scores.enumerated() {
                // A score's comma, key and number in room reserved once (no key is longer than 40 bytes).
                out.append(atMost: 48 + JSONValue.mostNumberBytes) { at in
                    var n = k > 0 ? JSONValue.writeLiteral(",", at: at) : 0
                    n &+= JSONValue.writeLiteral(score.formula.jsonKey, at: at + n)
                    return n &+ (score.value.map { JSONValue.writeNumber($0, at: at + n) } ?? JSONValue.writeLiteral("null", at: at + n))
                }
            }
            out.append(UInt8(ascii: "}"))
        }
        writer.fixedKey("counts")
        writer.rawValue { out in
            // Every field in room reserved once (the keys, at most 20 bytes a number, the closing
            // braces), not an append per key and per number, each checking the buffer.
            out.append(atMost: 512) { at in
                var n = 0
                func field(_ key: StaticString, _ value: Int?) {
                    n &+= JSONValue.writeLiteral(key, at: at + n)
                    n &+= value.map { JSONValue.writeInt($0, at: at + n) } ?? JSONValue.writeLiteral("null", at: at + n)
                }
                field(#"{"sentences":"#, counts.sentences)
                field(#","words":"#, counts.words)
                field(#","syllables":"#, counts.syllables)
                field(#","letters":"#, counts.letters)
                field(#","characters":"#, counts.characters)
                field(#","polysyllabic_words":"#, counts.polysyllabicWords)
                field(#","complex_words":"#, counts.complexWords)
                field(#","long_words":"#, counts.longWords)
                field(#","difficult_words":"#, counts.difficultWords)
                field(#","unfamiliar_words":"#, counts.unfamiliarWords)
                field(#","linsear_sample":{"words":"#, counts.linsearWords)
                field(#","hard_words":"#, counts.linsearHardWords)
                field(#","sentences":"#, counts.linsearSentences)
                return n &+ JSONValue.writeLiteral("}}", at: at + n)
            }
        }
        writer.fixedKey("notes"); writer.beginArray()
        for note in noteParts {
            let (head, number, middle, tail) = note.pieces
            writer.string(head, number, middle, tail)
        }
        writer.endArray()
        writer.endObject()
    }
}

extension ReadabilityFormula {
    /// The formula's key as JSON text, quotes and colon included: its raw value, written as a literal
    /// because every document writes all ten (a test checks the two agree).
    var jsonKey: StaticString {
        switch self {
        case .fleschReadingEase: #""flesch_reading_ease":"#
        case .fleschKincaidGrade: #""flesch_kincaid_grade":"#
        case .gunningFog: #""gunning_fog":"#
        case .smog: #""smog":"#
        case .colemanLiau: #""coleman_liau":"#
        case .automatedReadabilityIndex: #""automated_readability_index":"#
        case .daleChall: #""dale_chall":"#
        case .spache: #""spache":"#
        case .linsearWrite: #""linsear_write":"#
        case .lix: #""lix":"#
        }
    }
}

extension ReadabilityOutput: Codable {
    public func encode(to encoder: any Encoder) throws {
        try jsonValue.encode(to: encoder)
    }

    public init(from decoder: any Decoder) throws {
        let json = try JSONValue(from: decoder)
        func int(_ key: String) -> Int? { if case .int(let n)? = json["counts"]?[key] { return n }; return nil }
        var counts = ReadabilityCounts()
        counts.sentences = int("sentences") ?? 0
        counts.words = int("words") ?? 0
        counts.syllables = int("syllables") ?? 0
        counts.letters = int("letters") ?? 0
        counts.characters = int("characters") ?? 0
        counts.polysyllabicWords = int("polysyllabic_words") ?? 0
        counts.complexWords = int("complex_words") ?? 0
        counts.longWords = int("long_words") ?? 0
        counts.difficultWords = int("difficult_words")
        counts.unfamiliarWords = int("unfamiliar_words")
        let sample = json["counts"]?["linsear_sample"]
        if case .int(let n)? = sample?["words"] { counts.linsearWords = n }
        if case .int(let n)? = sample?["hard_words"] { counts.linsearHardWords = n }
        if case .int(let n)? = sample?["sentences"] { counts.linsearSentences = n }
        let scores = ReadabilityFormula.allCases.compactMap { formula in
            json["scores"]?[formula.rawValue].map { Score(formula: formula, value: $0.doubleValue) }
        }
        self.init(scores: scores, counts: counts, notes: json["notes"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }
}

/// Registers the readability stage: `ReadabilityPlugin.register(into: registry)`.
public enum ReadabilityPlugin {
    /// Adds the `readability` stage type to `registry`.
    public static func register(into registry: PluginRegistry) throws {
        try registry.register(ReadabilityStage.factory)
    }
}
