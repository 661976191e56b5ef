import Foundation

/// The counts every readability formula is computed from. Which tokens count as what is decided by
/// `ReadabilityCounts.counting(_:counter:daleChall:spache:)`; the formulas below only do arithmetic.
public struct ReadabilityCounts: Sendable, Equatable {
    /// Sentences with at least one word.
    public var sentences = 0
    /// Word and number tokens.
    public var words = 0
    /// Syllables of all words (numbers as spoken, abbreviations expanded).
    public var syllables = 0
    /// Letters in words (alphabetic characters only).
    public var letters = 0
    /// Letters and digits in words and numbers (the Automated Readability Index's characters).
    public var characters = 0
    /// Words of three or more syllables (SMOG).
    public var polysyllabicWords = 0
    /// Gunning's complex words: three or more syllables, not counting proper nouns, hyphenated words,
    /// or words whose third syllable comes only from -es, -ed or -ing.
    public var complexWords = 0
    /// Words of more than six letters (LIX).
    public var longWords = 0
    /// Words not on the Dale–Chall familiar list (nil without a list).
    public var difficultWords: Int?
    /// Distinct words not on the Spache list (nil without a list).
    public var unfamiliarWords: Int?
    /// Linsear Write's sample: the first 100 words...
    public var linsearWords = 0
    /// ...how many of them have three or more syllables...
    public var linsearHardWords = 0
    /// ...and the sentences those words fall in.
    public var linsearSentences = 0

    /// Creates counts by hand, for tests and worked examples.
    public init() {}
}

/// One readability formula: a name used in YAML and output, and its computation.
public enum ReadabilityFormula: String, Sendable, CaseIterable {
    case fleschReadingEase = "flesch_reading_ease"
    case fleschKincaidGrade = "flesch_kincaid_grade"
    case gunningFog = "gunning_fog"
    case smog
    case colemanLiau = "coleman_liau"
    case automatedReadabilityIndex = "automated_readability_index"
    case daleChall = "dale_chall"
    case spache
    case linsearWrite = "linsear_write"
    case lix

    /// The score, or why there is none. Every formula needs at least one word and one sentence.
    public func score(_ c: ReadabilityCounts) -> Result<Double, Unavailable> {
        guard c.words > 0, c.sentences > 0 else { return .failure(Unavailable("no words")) }
        let w = Double(c.words)
        let s = Double(c.sentences)
        switch self {
        case .fleschReadingEase: return .success(Formulas.fleschReadingEase(words: w, sentences: s, syllables: Double(c.syllables)))
        case .fleschKincaidGrade: return .success(Formulas.fleschKincaidGrade(words: w, sentences: s, syllables: Double(c.syllables)))
        case .gunningFog: return .success(Formulas.gunningFog(words: w, sentences: s, complexWords: Double(c.complexWords)))
        case .smog: return .success(Formulas.smog(sentences: s, polysyllables: Double(c.polysyllabicWords)))
        case .colemanLiau: return .success(Formulas.colemanLiau(letters: Double(c.letters), words: w, sentences: s))
        case .automatedReadabilityIndex:
            return .success(Formulas.automatedReadabilityIndex(characters: Double(c.characters), words: w, sentences: s))
        case .daleChall:
            guard let difficult = c.difficultWords else {
                return .failure(Unavailable("no familiar-word list: set the option dale_chall_words to a file with the Dale–Chall list, one word per line"))
            }
            return .success(Formulas.daleChall(difficultWords: Double(difficult), words: w, sentences: s))
        case .spache:
            guard let unfamiliar = c.unfamiliarWords else {
                return .failure(Unavailable("no familiar-word list: set the option spache_words to a file with the Spache list, one word per line"))
            }
            return .success(Formulas.spache(unfamiliarWords: Double(unfamiliar), words: w, sentences: s))
        case .linsearWrite:
            guard c.linsearSentences > 0 else { return .failure(Unavailable("no words")) }
            return .success(Formulas.linsearWrite(easyWords: Double(c.linsearWords - c.linsearHardWords),
                                                  hardWords: Double(c.linsearHardWords), sentences: Double(c.linsearSentences)))
        case .lix: return .success(Formulas.lix(words: w, sentences: s, longWords: Double(c.longWords)))
        }
    }

    /// A formula's score cannot be given; the reason goes into the output.
    public struct Unavailable: Error, Sendable, Equatable {
        /// Why.
        public let reason: String
        init(_ reason: String) { self.reason = reason }
    }
}

/// The published readability formulas, with the published constants.
public enum Formulas {
    /// Flesch Reading Ease: 206.835 − 1.015 (words/sentences) − 84.6 (syllables/words); higher is easier.
    /// Flesch, R. (1948). A new readability yardstick. Journal of Applied Psychology 32(3), 221–233.
    public static func fleschReadingEase(words: Double, sentences: Double, syllables: Double) -> Double {
        206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)
    }

    /// Flesch–Kincaid Grade Level: 0.39 (words/sentences) + 11.8 (syllables/words) − 15.59.
    /// Kincaid, J. P., Fishburne, R. P., Rogers, R. L. & Chissom, B. S. (1975). Derivation of new
    /// readability formulas for Navy enlisted personnel. Research Branch Report 8-75, Naval Technical Training.
    public static func fleschKincaidGrade(words: Double, sentences: Double, syllables: Double) -> Double {
        0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59
    }

    /// Gunning Fog index: 0.4 [(words/sentences) + 100 (complex words/words)].
    /// Gunning, R. (1952). The Technique of Clear Writing. McGraw-Hill.
    public static func gunningFog(words: Double, sentences: Double, complexWords: Double) -> Double {
        0.4 * ((words / sentences) + 100 * (complexWords / words))
    }

    /// SMOG grade: 1.0430 √(polysyllables × 30/sentences) + 3.1291, i.e. normalised to 30 sentences.
    /// McLaughlin, G. H. (1969). SMOG grading: a new readability formula. Journal of Reading 12(8), 639–646
    /// (the regression constants as given by McLaughlin for the 30-sentence sample).
    public static func smog(sentences: Double, polysyllables: Double) -> Double {
        1.0430 * (polysyllables * 30 / sentences).squareRoot() + 3.1291
    }

    /// Coleman–Liau index: 0.0588 L − 0.296 S − 15.8, with L letters and S sentences per 100 words.
    /// Coleman, M. & Liau, T. L. (1975). A computer readability formula designed for machine scoring.
    /// Journal of Applied Psychology 60(2), 283–284.
    public static func colemanLiau(letters: Double, words: Double, sentences: Double) -> Double {
        0.0588 * (letters / words * 100) - 0.296 * (sentences / words * 100) - 15.8
    }

    /// Automated Readability Index: 4.71 (characters/words) + 0.5 (words/sentences) − 21.43.
    /// Smith, E. A. & Senter, R. J. (1967). Automated Readability Index. AMRL-TR-66-220, Wright-Patterson AFB.
    public static func automatedReadabilityIndex(characters: Double, words: Double, sentences: Double) -> Double {
        4.71 * (characters / words) + 0.5 * (words / sentences) - 21.43
    }

    /// Dale–Chall: 0.1579 × (percentage of difficult words) + 0.0496 × (words/sentences), plus 3.6365
    /// only when difficult words are more than 5% of the words.
    /// Dale, E. & Chall, J. S. (1948). A formula for predicting readability. Educational Research Bulletin
    /// 27(1), 11–20; word list of Chall, J. S. & Dale, E. (1995), Readability Revisited: The New Dale–Chall
    /// Readability Formula, Brookline Books.
    public static func daleChall(difficultWords: Double, words: Double, sentences: Double) -> Double {
        let percentDifficult = difficultWords / words * 100
        let raw = 0.1579 * percentDifficult + 0.0496 * (words / sentences)
        return percentDifficult > 5 ? raw + 3.6365 : raw
    }

    /// Spache (revised): 0.121 × (words/sentences) + 0.082 × (percentage of unfamiliar words) + 0.659.
    /// Spache, G. (1953). A new readability formula for primary-grade reading materials. Elementary
    /// School Journal 53(7), 410–413; revised constants in Spache, G. (1974), Good Reading for Poor Readers.
    public static func spache(unfamiliarWords: Double, words: Double, sentences: Double) -> Double {
        0.121 * (words / sentences) + 0.082 * (unfamiliarWords / words * 100) + 0.659
    }

    /// Linsear Write on a 100-word sample: (easy words + 3 × hard words) / sentences = r; the grade is
    /// r/2 when r > 20, else (r − 2)/2. Hard words have three or more syllables.
    /// O'Hayre, J. (1966). Gobbledygook Has Gotta Go. U.S. Bureau of Land Management.
    public static func linsearWrite(easyWords: Double, hardWords: Double, sentences: Double) -> Double {
        let r = (easyWords + 3 * hardWords) / sentences
        return r > 20 ? r / 2 : (r - 2) / 2
    }

    /// LIX: words/sentences + 100 × (words of more than six letters/words).
    /// Björnsson, C. H. (1968). Läsbarhet. Stockholm: Liber.
    public static func lix(words: Double, sentences: Double, longWords: Double) -> Double {
        words / sentences + 100 * longWords / words
    }
}
