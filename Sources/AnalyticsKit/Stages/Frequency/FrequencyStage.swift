import Foundation

/// Word and n-gram statistics for each document, and corpus totals, document frequencies and TF-IDF.
///
/// Terms are words (and numbers with `numbers: true`) in their folded form unless `case_fold: false`.
/// N-grams are runs of consecutive words not broken by punctuation, a quote mark or a sentence end;
/// with a stop-word list, stop words leave the top-word lists, and an n-gram that starts or ends with
/// one is not counted ("bank of england" is kept, "of the" is not). The document statistics (words,
/// distinct words, type-token ratio, hapax legomena) count every word, stop words included.
public struct FrequencyStage: Stage, CorpusOptionalStage {
    public let configuration: StageConfiguration
    let sizes: [Int]
    /// `sizes` above 1, and the sizes a document's `TermTable` counts (1 first, then those): made once
    /// here rather than for every document.
    let ngramSizes: [Int]
    let countedSizes: [Int]
    let top: Int
    let corpusTop: Int
    let tfidfTop: Int
    let caseFold: Bool
    let numbers: Bool
    private(set) var corpus: Bool
    let stopwords: StopWords

    /// The factory registered as `frequency`.
    public static let factory = StageFactory(
        typeName: "frequency",
        summary: "word and n-gram counts per document; corpus totals, document frequencies and TF-IDF",
        options: [
            OptionSpec("ngrams", .ints, default: .ints([1, 2]), doc: "n-gram sizes to count (1 = single words)"),
            OptionSpec("top", .int, default: .int(10), doc: "how many top words and n-grams to list per document"),
            OptionSpec("stopwords", .string, default: .string("none"),
                       doc: "'english' (built-in list), 'none', or a path to a file with one word per line"),
            OptionSpec("case_fold", .bool, default: .bool(true), doc: "count 'The' and 'the' as one term"),
            OptionSpec("numbers", .bool, default: .bool(false), doc: "count numbers (\"2,000\") as terms"),
            OptionSpec("corpus", .bool, default: .bool(true),
                       doc: "build the corpus summary; false keeps memory flat on endless streams (per-document figures only)"),
            OptionSpec("corpus_top", .int, default: .int(25), doc: "how many top terms and n-grams the corpus summary lists"),
            OptionSpec("tfidf_top", .int, default: .int(10),
                       doc: "top TF-IDF terms per document in the corpus summary; 0 turns it off (it keeps each document's word counts, on disk, until the end)"),
        ],
        make: { try FrequencyStage(configuration: $0) }
    )

    /// Builds the stage from validated options.
    public init(configuration: StageConfiguration) throws {
        self.configuration = configuration
        let options = configuration.options
        sizes = Array(Set(options.ints("ngrams") ?? [1, 2])).sorted()
        if let bad = sizes.first(where: { $0 < 1 || $0 > 8 }) {
            throw OptionError(option: "ngrams", "n-gram size \(bad) is out of range; use sizes from 1 to 8")
        }
        ngramSizes = sizes.filter { $0 > 1 }
        countedSizes = [1] + ngramSizes
        top = options.int("top") ?? 10
        corpusTop = options.int("corpus_top") ?? 25
        tfidfTop = options.int("tfidf_top") ?? 10
        for (name, value) in [("top", top), ("corpus_top", corpusTop), ("tfidf_top", tfidfTop)] where value < 0 {
            throw OptionError(option: name, "must be 0 or more, not \(value)")
        }
        caseFold = options.bool("case_fold") ?? true
        numbers = options.bool("numbers") ?? false
        corpus = options.bool("corpus") ?? true
        stopwords = try Self.loadStopwords(options, caseFold: caseFold)
    }

    private static func loadStopwords(_ options: StageOptions, caseFold: Bool) throws -> StopWords {
        let setting = options.string("stopwords") ?? "none"
        let words: [String]
        switch setting {
        case "none", "": return StopWords(capacity: 0)
        case "english": words = EnglishStopwords.words
        default:
            let path = options.path("stopwords")!
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw OptionError(option: "stopwords", "cannot read stop-word file '\(path)'; give 'english', 'none' or a readable file")
            }
            words = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        // Stop words match regardless of case, so they are hashed in both forms.
        var stopwords = StopWords(capacity: words.count * 3)
        for word in words {
            stopwords.insert(TermHash.ofTerm(word))
            if !caseFold {
                stopwords.insert(TermHash.of(word.utf8))
                stopwords.insert(TermHash.of(word.capitalized.utf8))
            }
        }
        return stopwords
    }

    public func analyze(_ document: Document, layer: TextLayer, upstream: UpstreamOutputs) throws -> FrequencyOutput {
        // Room for every list full, each term a word or two of average length; for a `top` of
        // thousands (or `Int.max`, "all of them") only as much as a news article's lists hold.
        let reserved = min(top, 64)
        var listed = ListedTerms(lists: countedSizes.count, items: countedSizes.count * reserved,
                                 termBytes: countedSizes.reduce(0) { $0 + 12 * $1 } * reserved)
        // Only the corpus aggregate reads a table of the terms; without one nothing is kept, and the
        // layer is not held until the record is written.
        let table = corpus ? TermTable(layer: layer, stage: self, top: top, listing: &listed) : nil
        let statistics = table?.statistics ?? TermTable.count(layer: layer, stage: self, top: top, listing: &listed).0
        var output = FrequencyOutput(
            tokens: layer.tokens.count,
            words: statistics.words,
            distinctWords: statistics.distinctWords,
            typeTokenRatio: statistics.words == 0 ? 0 : Self.round(Double(statistics.distinctWords) / Double(statistics.words), 4),
            hapaxLegomena: statistics.hapaxLegomena,
            listed: listed
        )
        output.table = table
        return output
    }

    public func makeAggregate() -> FrequencyAggregate? {
        corpus ? FrequencyAggregate(sizes: sizes, top: corpusTop, tfidfTop: tfidfTop) : nil
    }

    /// The stage with `corpus: false`: no table of every term, which a run without the corpus
    /// summary does not read (see `CorpusOptionalStage`).
    func withoutCorpus() -> FrequencyStage {
        var stage = self
        stage.corpus = false
        return stage
    }

    static func round(_ value: Double, _ digits: Int) -> Double {
        // The same powers `pow(10, digits)` gives, looked up: the TF-IDF list rounds every word of
        // every document, and `pow` stood out in the profile of writing the summary.
        let scale = digits >= 0 && digits < powersOfTen.count ? powersOfTen[digits] : pow(10, Double(digits))
        return (value * scale).rounded() / scale
    }

    private static let powersOfTen: [Double] = (0...15).map { pow(10, Double($0)) }
}

/// A term with its count in one document.
public struct TermCount: Codable, Sendable, Hashable {
    /// The term: a folded word, or n-gram words joined by single spaces.
    public let term: String
    /// How often it occurs.
    public let count: Int

    /// Creates a term count.
    public init(term: String, count: Int) {
        self.term = term
        self.count = count
    }
}

/// The top n-grams of one size.
public struct NGramList: Codable, Sendable, Hashable {
    /// The n-gram size.
    public let n: Int
    /// The commonest n-grams, most frequent first, ties in term order.
    public let terms: [TermCount]

    /// Creates a list.
    public init(n: Int, terms: [TermCount]) {
        self.n = n
        self.terms = terms
    }
}

/// What the frequency stage reports for one document.
public struct FrequencyOutput: Codable, Sendable {
    /// All tokens, punctuation included.
    public let tokens: Int
    /// Words counted (numbers too with `numbers: true`).
    public let words: Int
    /// Distinct words.
    public let distinctWords: Int
    /// Distinct words / words, rounded to 4 decimals; 0 for a text without words.
    public let typeTokenRatio: Double
    /// Words that occur exactly once.
    public let hapaxLegomena: Int
    /// The commonest words (stop words removed when a list is set), most frequent first, ties in term order.
    public var topWords: [TermCount] { listed.terms(inList: 0) }
    /// The commonest n-grams for each size above 1.
    public var topNgrams: [NGramList] {
        (1..<max(1, listed.count)).map { NGramList(n: listed.n(ofList: $0), terms: listed.terms(inList: $0)) }
    }
    /// The words, then the n-grams of each size, as bytes: made into `TermCount`s only when asked for.
    private let listed: ListedTerms
    /// Every term's count, for the corpus aggregate; not part of the output.
    var table: TermTable? {
        get { tableBox?.table }
        set { tableBox = newValue.map { TermTableBox($0) } }
    }
    /// The table behind one reference: this output is copied several times per document (into the
    /// results, the upstream outputs, the corpus aggregate), and each copy of the table itself retained
    /// the layer's arrays and every table one by one.
    private var tableBox: TermTableBox?

    enum CodingKeys: String, CodingKey {
        case tokens, words
        case distinctWords = "distinct_words"
        case typeTokenRatio = "type_token_ratio"
        case hapaxLegomena = "hapax_legomena"
        case topWords = "top_words"
        case topNgrams = "top_ngrams"
    }

    init(tokens: Int, words: Int, distinctWords: Int, typeTokenRatio: Double, hapaxLegomena: Int, listed: ListedTerms) {
        self.tokens = tokens
        self.words = words
        self.distinctWords = distinctWords
        self.typeTokenRatio = typeTokenRatio
        self.hapaxLegomena = hapaxLegomena
        self.listed = listed
    }

    /// Decodes an output from its JSON (the lists as `TermCount`s, kept as bytes again).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tokens = try container.decode(Int.self, forKey: .tokens)
        words = try container.decode(Int.self, forKey: .words)
        distinctWords = try container.decode(Int.self, forKey: .distinctWords)
        typeTokenRatio = try container.decode(Double.self, forKey: .typeTokenRatio)
        hapaxLegomena = try container.decode(Int.self, forKey: .hapaxLegomena)
        let topWords = try container.decode([TermCount].self, forKey: .topWords)
        let topNgrams = try container.decode([NGramList].self, forKey: .topNgrams)
        listed = ListedTerms([(1, topWords)] + topNgrams.map { ($0.n, $0.terms) })
    }

    /// Encodes the output as `writeJSON` writes it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tokens, forKey: .tokens)
        try container.encode(words, forKey: .words)
        try container.encode(distinctWords, forKey: .distinctWords)
        try container.encode(typeTokenRatio, forKey: .typeTokenRatio)
        try container.encode(hapaxLegomena, forKey: .hapaxLegomena)
        try container.encode(topWords, forKey: .topWords)
        try container.encode(topNgrams, forKey: .topNgrams)
    }
}

/// Holds a document's `TermTable` for `FrequencyOutput`.
final class TermTableBox: Sendable {
    let table: TermTable
    init(_ table: TermTable) { self.table = table }
}

// Hand-written JSON for the types written for every document (see `JSONConvertible`).

extension TermCount: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        var term = term
        term.withUTF8 { term in writer.rawValue { JSONValue.appendTermCount(term, count: count, to: &$0) } }
    }
}

extension NGramList: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.fixedKey("n"); writer.int(n)
        writer.fixedKey("terms"); writer.array(terms)
        writer.endObject()
    }
}

extension FrequencyOutput: JSONWritable {
    /// Written in one piece, its keys as literals: the output of every document, and a call per key
    /// checked each key for characters to escape.
    public func writeJSON(to writer: inout JSONWriter) {
        writer.rawValue { out in
            JSONValue.appendLiteral(#"{"tokens":"#, to: &out)
            JSONValue.writeInt(tokens, to: &out)
            JSONValue.appendLiteral(#","words":"#, to: &out)
            JSONValue.writeInt(words, to: &out)
            JSONValue.appendLiteral(#","distinct_words":"#, to: &out)
            JSONValue.writeInt(distinctWords, to: &out)
            JSONValue.appendLiteral(#","type_token_ratio":"#, to: &out)
            JSONValue.writeNumber(typeTokenRatio, to: &out)
            JSONValue.appendLiteral(#","hapax_legomena":"#, to: &out)
            JSONValue.writeInt(hapaxLegomena, to: &out)
            JSONValue.appendLiteral(#","top_words":"#, to: &out)
            listed.appendList(0, to: &out)
            JSONValue.appendLiteral(#","top_ngrams":["#, to: &out)
            for k in 1..<max(1, listed.count) {
                JSONValue.appendLiteral(k == 1 ? #"{"n":"# : #",{"n":"#, to: &out)
                JSONValue.writeInt(listed.n(ofList: k), to: &out)
                JSONValue.appendLiteral(#","terms":"#, to: &out)
                listed.appendList(k, to: &out)
                out.append(UInt8(ascii: "}"))
            }
            JSONValue.appendLiteral("]}", to: &out)
        }
    }
}

extension JSONValue {
    /// Appends `{"term":<term>,"<key>":<number>}` (`separator` is the literal `,"<key>":`, `number`
    /// appends the number's text) in one piece: the shape of a term's count and of its score, written
    /// many times per document and per summary.
    static func appendTermObject(_ term: UnsafeBufferPointer<UInt8>, then separator: StaticString, _ number: (inout JSONBuffer) -> Void,
                                 to out: inout JSONBuffer) {
        appendLiteral(#"{"term":"#, to: &out)
        writeString(utf8: term, to: &out)
        appendLiteral(separator, to: &out)
        number(&out)
        appendLiteral("}", to: &out)
    }

    /// Appends `{"term":<term>,"count":<count>}`, as `appendTermObject` writes it, in one append when
    /// the term is short and needs no escapes (nearly every term): written for every listed term of
    /// every document, where five appends a term cost more than their bytes.
    static func appendTermCount(_ term: UnsafeBufferPointer<UInt8>, count: Int, to out: inout JSONBuffer) {
        appendTermCount(pieces: 1, { _ in term }, count: count, to: &out)
    }

    /// `appendTermCount` for a term given as its words (`piece(0)` to `piece(pieces - 1)`, joined by
    /// single spaces, as an n-gram is read from the layer), with a comma before the object when
    /// `comma` says so: the listed terms are written from the layer's bytes this way, each in one
    /// append, without being copied out first.
    static func appendTermCount(pieces: Int, _ piece: (Int) -> UnsafeBufferPointer<UInt8>, count: Int, comma: Bool = false,
                                to out: inout JSONBuffer) {
        var n = pieces - 1
        for k in 0..<pieces { n += piece(k).count }
        func general() {
            var term: [UInt8] = []
            term.reserveCapacity(n)
            for k in 0..<pieces {
                if k > 0 { term.append(0x20) }
                term.append(contentsOf: piece(k))
            }
            if comma { out.append(UInt8(ascii: ",")) }
            term.withUnsafeBufferPointer { term in appendTermObject(term, then: #","count":"#, { writeInt(count, to: &$0) }, to: &out) }
        }
        guard n <= 32, count >= 0 else { return general() }
        // The whole object in 80 bytes on the stack: the comma, 9 bytes before the term, at most 32 of
        // it, 10 after it, at most 19 digits and the brace. The term goes in first, between spaces, to
        // be checked eight bytes at a time.
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 10) { words in
            let raw = UnsafeMutableRawPointer(words.baseAddress!)
            let bytes = raw.assumingMemoryBound(to: UInt8.self)
            let head: StaticString = #"{"term":""#, tail: StaticString = #"","count":"#
            let termStart = 1 + head.utf8CodeUnitCount
            for k in 0..<5 { raw.storeBytes(of: 0x2020_2020_2020_2020, toByteOffset: termStart + 8 * k, as: UInt64.self) }
            var end = termStart
            for k in 0..<pieces {
                if k > 0 { end += 1 }  // the space between words, already there
                let word = piece(k)
                if let source = word.baseAddress { (bytes + end).update(from: source, count: word.count) }
                end += word.count
            }
            for k in 0..<((n + 7) / 8) where mayNeedEscape(raw.loadUnaligned(fromByteOffset: termStart + 8 * k, as: UInt64.self)) {
                return general()
            }
            bytes[0] = UInt8(ascii: ",")
            (bytes + 1).update(from: head.utf8Start, count: head.utf8CodeUnitCount)
            (bytes + end).update(from: tail.utf8Start, count: tail.utf8CodeUnitCount)
            end += tail.utf8CodeUnitCount
            end += writeDigits(UInt64(count), at: bytes + end)  // as `writeInt` spells them
            bytes[end] = UInt8(ascii: "}")
            let start = comma ? 0 : 1
            out.append(UnsafeBufferPointer(start: bytes + start, count: end + 1 - start))
        }
    }
}
