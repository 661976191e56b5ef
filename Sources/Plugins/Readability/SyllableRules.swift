/// Counts the syllables of an English word by rule: vowel groups, with the corrections that matter.
///
/// The rules, in order: a word without vowels is an initialism said letter by letter ("fbi" = 3);
/// "eye" is one vowel sound; `y` is a consonant before a vowel at the start and between vowels;
/// each run of vowels is one syllable unless it holds a pair said apart (`piano`, `lion`, `create`,
/// `quiet`, `poem`, but not `-tion`, `-cial`, `-geous`, `people`, `guide`, `blue`); a silent e is taken
/// off at the end (`make`, but `table`, `acre`), before `-d`/`-s` (`hoped`, `makes`, but `wanted`,
/// `wishes`), before suffixes (`lovely`, `statement`) and at the end of the first part of a compound
/// (`homework`, `milestone`); a vowel before `-ing` is its own syllable (`doing`); `-ism` has two
/// (`ism` = iz-əm), `-ically` one fewer than it spells, `fire`/`hour` two; the prefixes re-, de-, co-
/// before a vowel (`reassure`, `deactivate`, `cooperate`) and Mc- in names add one.
///
/// Measured on the 117,493 CMUdict words of `../shared/data/readability/syllables.tsv`: 95.0% exact
/// (tuned on every other word, 95.0% on the words it was not tuned on). Input is a lower-case word;
/// anything but a-z is ignored.
public enum SyllableRules {
    /// The syllables of `word`; at least 1 for a word with a letter, 0 for none.
    public static func count(_ word: String) -> Int {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(word.utf8.count)
        for b in word.utf8 {
            if b &- 0x61 < 26 { bytes.append(b) } else if b &- 0x41 < 26 { bytes.append(b | 0x20) }
        }
        return count(letters: bytes)
    }

    /// The syllables of a word given as lower-case ASCII letters a-z only.
    public static func count(letters input: [UInt8]) -> Int {
        guard !input.isEmpty else { return 0 }
        if !input.contains(where: isVowelLetterOrY) {
            return input.reduce(0) { $0 + ($1 == w_ ? 3 : 1) }  // an initialism said letter by letter
        }
        let w = replacingEye(input)
        let n = w.count
        guard n <= 64 else { return simpleCount(w) }
        let isv = vowelFlags(w)
        func cons(_ k: Int) -> Bool { k >= 0 && k < n && !isv[k] }
        func ends(_ s: StaticString) -> Bool { Word.hasSuffix(w, s) }
        func starts(_ s: StaticString) -> Bool { Word.hasPrefix(w, s) }

        var groups = 0
        var i = 0
        while i < n {
            guard isv[i] else { i += 1; continue }
            var j = i
            while j + 1 < n && isv[j + 1] { j += 1 }
            groups += 1
            for k in i..<j where hiatus(w, k) { groups += 1 }
            i = j + 1
        }

        // Silent e before a suffix (lovely, statement), at the end of a known first part (homework),
        // or before a known second part (whitelaw, milestone).
        if silentSuffixE(w) != nil, groups > 1 {
            groups -= 1
        } else if firstParts.starting(with: w[0]).contains(where: { part in
            n >= part.count + 3 && Word.matches(w, at: 0, part) && cons(part.count) && w[part.count] != w[part.count + 1]
                && w[part.count...].contains(where: isVowelLetterOrY)
        }) {
            groups -= 1
        } else if n >= 5 {
            for k in 2..<(n - 2) where w[k] == e_ && cons(k - 1) && cons(k + 1) {
                let doubled = k >= 3 && w[k - 1] == w[k - 2] && isv[k - 3]  // belleville
                guard (isv[k - 2] && w[k - 2] != e_) || doubled else { continue }
                if secondParts.starting(with: w[k + 1]).contains(where: { Word.matches(w, at: k + 1, $0) })
                    || (w[k + 1] == s_ && secondParts.starting(with: w[k + 2]).contains(where: { Word.matches(w, at: k + 2, $0) })) {
                    groups -= 1
                }
            }
        }
        // A vowel before -ing is a syllable of its own: doing, being, seeing.
        for suffix: StaticString in ["ing", "ings"] where ends(suffix) {
            let b = n - suffix.utf8CodeUnitCount
            if b >= 2 && (w[b - 1] == a_ || w[b - 1] == e_ || w[b - 1] == o_) && (w[b - 1] != e_ || b <= 3 || isv[b - 2]) {
                groups += 1
            }
        }
        // Syllabic l after a doubled consonant: battling, babbling.
        for suffix: StaticString in ["ling", "lings"] where ends(suffix) {
            let c = n - suffix.utf8CodeUnitCount - 1
            if c >= 1 && w[c] == w[c - 1] && doubledBeforeL.contains(w[c]) { groups += 1 }
        }
        if Word.isSingleSyllableStem(w, before: ["ire", "ires", "ired"]) { groups += 1 }  // fire, tired
        if ends("hour") || ends("hours") || ends("flour") || ends("flours") { groups += 1 }
        if ends("ism") || ends("isms") { groups += 1 }
        if ends("ically") { groups -= 1 }
        if starts("mc") && n > 3 { groups += 1 }
        if prefixedBeforeVowel.starting(with: w[0]).contains(where: { Word.matches(w, at: 0, $0) }) { groups += 1 }
        if groups > 1 && !ends("rgue") && (ends("gue") || ends("gues") || ends("que") || ends("ques")) { groups -= 1 }

        // Silent final e, -ed and -es.
        if w[n - 1] == e_ && groups > 1 && cons(n - 2) {
            let said = cons(n - 3) && w[n - 2] == t_ && [n_, r_, l_, m_].contains(w[n - 3])  // Durante, Hartke-like names
            let syllabic = (ends("le") || ends("re")) && cons(n - 3) && w[n - 3] != w[n - 2]  // table, acre
            if !syllabic && !said { groups -= 1 }
        } else if ends("ed") && groups > 1 && n >= 4 && cons(n - 3) {
            let syllabicL = ends("led") && cons(n - 4) && stopsAndFricatives.contains(w[n - 4])
            if w[n - 3] != t_ && w[n - 3] != d_ && !syllabicL { groups -= 1 }
        } else if ends("es") && groups > 1 && n >= 4 && cons(n - 3) {
            let sibilant = [s_, x_, z_].contains(w[n - 3]) || Word.matches(w, at: n - 4, "ch") || Word.matches(w, at: n - 4, "sh")
                || ends("ges") || ends("ces")
            let syllabicL = ends("les") && cons(n - 4) && stopsAndFricatives.contains(w[n - 4])
            if !sibilant && !syllabicL { groups -= 1 }
        }
        return max(groups, 1)
    }

    // MARK: Vowels

    private static func isVowelLetter(_ b: UInt8) -> Bool { b == a_ || b == e_ || b == i_ || b == o_ || b == u_ }
    private static func isVowelLetterOrY(_ b: UInt8) -> Bool { isVowelLetter(b) || b == y_ }

    /// "eye" is one vowel sound (eyelid, eyes), except in names like Meyer.
    private static func replacingEye(_ w: [UInt8]) -> [UInt8] {
        guard w.count >= 3, w.contains(y_) else { return w }
        var out: [UInt8] = []
        out.reserveCapacity(w.count)
        var k = 0
        while k < w.count {
            if k + 2 < w.count, w[k] == e_, w[k + 1] == y_, w[k + 2] == e_, !(k + 3 < w.count && w[k + 3] == r_) {
                out.append(a_)
                out.append(i_)
                k += 3
            } else {
                out.append(w[k])
                k += 1
            }
        }
        return out
    }

    /// Which letters of a word (up to 64) are vowels, as bits: no allocation per word.
    struct VowelFlags {
        var bits: UInt64 = 0
        subscript(k: Int) -> Bool {
            get { bits >> UInt64(k) & 1 == 1 }
            set { if newValue { bits |= 1 << UInt64(k) } else { bits &= ~(1 << UInt64(k)) } }
        }
    }

    /// Which letters are vowels: y is a consonant before a vowel at the start and between vowels.
    private static func vowelFlags(_ w: [UInt8]) -> VowelFlags {
        var flags = VowelFlags()
        for (k, c) in w.enumerated() {
            if isVowelLetter(c) {
                flags[k] = true
            } else if c == y_ {
                let nextIsVowel = k + 1 < w.count && isVowelLetter(w[k + 1])
                if k == 0 { flags[k] = !nextIsVowel } else { flags[k] = !(flags[k - 1] && nextIsVowel) }
            }
        }
        return flags
    }

    /// Vowel groups alone, for the rare "word" of more than 64 letters.
    private static func simpleCount(_ w: [UInt8]) -> Int {
        var groups = 0
        var previousVowel = false
        for c in w {
            let vowel = isVowelLetterOrY(c)
            if vowel && !previousVowel { groups += 1 }
            previousVowel = vowel
        }
        return max(groups, 1)
    }

    /// True when the vowels at `pos` and `pos + 1` are said in two syllables.
    private static func hiatus(_ w: [UInt8], _ pos: Int) -> Bool {
        let n = w.count
        let first = w[pos]
        let second = w[pos + 1]
        let before: UInt8 = pos > 0 ? w[pos - 1] : 0
        let restStart = pos + 2
        func rest(_ s: StaticString) -> Bool { restStart + s.utf8CodeUnitCount == n && Word.matches(w, at: restStart, s) }
        func restStarts(_ s: StaticString) -> Bool { Word.matches(w, at: restStart, s) }
        let next: UInt8 = restStart < n ? w[restStart] : 0
        let afterNext: UInt8 = restStart + 1 < n ? w[restStart + 1] : 0
        func vowelBefore(_ end: Int) -> Bool { w[0..<max(0, end)].contains(where: isVowelLetterOrY) }
        func isVowelY(_ b: UInt8) -> Bool { isVowelLetterOrY(b) }

        switch (first, second) {
        case (i_, o_) where [l_, n_].contains(before) && pos >= 2 && isVowelLetter(w[pos - 2]) && (next == n_ || next == r_):
            return false  // senior, union, opinion
        case (i_, a_):
            if [c_, t_, s_, g_].contains(before) && pos > 1 && [l_, n_, b_].contains(next) { return false }  // special, asian, appreciable
            if (rest("") || rest("s")) && [c_, s_, t_, z_, g_].contains(before) && pos > 1 { return false }  // acacia, asia
            return true
        case (i_, o_):
            if [t_, s_, c_, g_, x_, h_].contains(before) && next == n_ { return false }  // -tion -sion, fashion
            if [t_, c_, x_, s_, g_].contains(before) && next == u_ { return false }  // -tious -cious
            if (before == l_ || before == n_) && next == n_ { return false }  // million, onion
            if restStarts("ur") { return false }  // behaviour
            return true
        case (e_, o_):
            if before == g_ && [u_, n_, r_, f_].contains(next) { return false }  // gorgeous, dungeon, george
            if pos >= 3 && (restStarts("ver") || restStarts("wner")) { return false }  // changeover, homeowner
            if pos >= 1 && Word.matches(w, at: pos - 1, "peop") { return false }  // people
            return true
        case (u_, a_):
            if before == s_ && pos >= 2 && (w[pos - 2] == r_ || w[pos - 2] == s_) { return false }  // persuade, assuage
            return ![q_, g_, j_].contains(before)  // quality, guard, marijuana
        case (u_, o_):
            return before != q_
        case (i_, u_), (i_, i_), (u_, u_):
            return true
        case (o_, a_):
            if (rest("") || rest("s") || rest("n") || rest("ns")) && pos >= 1 { return true }  // boa, samoans
            return pos == 1 && w[0] == c_ && [g_, l_, u_].contains(next) && n > 5  // coagulate, coalition
        case (y_, a_):
            return before != 0 && !isVowelLetter(before) && !restStarts("rd")  // cyan, dyad; not backyard
        case (u_, i_):
            if rest("ng") || rest("ngs") || restStarts("ty") || restStarts("ties") || restStarts("sm") { return true }  // arguing, annuity
            if before == q_ || before == g_ { return false }  // quite, guide
            if [t_, l_, s_, c_, d_].contains(next) { return false }  // fruit, build, cruise, juice
            return true
        case (u_, e_):
            if before == q_ || before == g_ { return false }
            return [l_, n_, t_].contains(next) || rest("st") || rest("r") || rest("rs")  // cruel, fluent, duet, truest, bluer
        case (e_, a_):
            if isVowelY(next) && next != 0 { return false }
            if (rest("") || rest("s")) && vowelBefore(pos - 1) { return true }  // area, apnea; not sea
            if (rest("n") || rest("ns")) && before != c_ && before != g_ && pos > 1 { return true }  // korean; not ocean
            if (rest("l") || rest("ls")) && before == r_ && vowelBefore(pos - 1) { return true }  // cereal; not real
            if pos >= 2 && w[pos - 2] == c_ && before == r_ && next == t_ && afterNext != u_ { return true }  // create; not creature
            return false
        case (o_, e_):
            if (pos == 1 && w[0] == c_) || (pos == 2 && w[0] == b_ && w[1] == i_) || rest("r") || rest("rs") { return true }  // coerce, bioethics, doers
            return (next == m_ || next == t_) && before == p_  // poem, poet
        case (y_, e_):
            return before != 0 && !isVowelLetter(before) && (rest("r") || rest("rs"))  // dryer, flyer
        case (i_, e_):
            if n >= 6 && (rest("r") || rest("rs") || rest("st")) { return true }  // happier, costliest
            if rest("") || rest("s") || rest("d") || rest("r") || rest("st") { return false }  // pie, ties, tried
            if next == t_ && (rest("t") || rest("ts") || (afterNext != 0 && isVowelY(afterNext))) { return true }  // quiet, society
            if (next == n_ && (isVowelLetter(afterNext) || afterNext == n_)) || restStarts("sc") { return true }  // alien, acquiesce
            if restStarts("th") { return true }  // twentieth
            if restStarts("nc") || restStarts("nt") {
                if before == c_ && pos == 2 { return true }  // science
                return ![c_, t_, n_].contains(before)  // client, audience; not ancient, patient, convenient
            }
            return false
        case (y_, i_):
            return true  // applying
        case (a_, i_):
            return (next == c_ && (rest("c") || rest("cs") || Word.matches(w, at: restStart + 1, "al"))) || restStarts("ty")  // mosaic, laity
        case (e_, e_):
            return pos == 2 && n >= 6 && Word.hasPrefix(w, "pree")  // preelection
        case (e_, i_):
            return restStarts("st") || restStarts("sm") || restStarts("ty") || restStarts("ity")  // atheist, theism, deity
        default:
            return false
        }
    }

    /// The index of the silent e when the word ends in consonant + e + a suffix (lovely, statement,
    /// hopeless); not after l (settlement keeps its syllabic -le).
    private static func silentSuffixE(_ w: [UInt8]) -> Int? {
        for suffix in silentESuffixes where Word.hasSuffix(w, suffix) {
            let e = w.count - suffix.utf8CodeUnitCount - 1
            if e >= 1 && w[e] == e_ && !isVowelLetterOrY(w[e - 1]) && w[e - 1] != l_ { return e }
        }
        return nil
    }

    private static let silentESuffixes: [StaticString] = ["ly", "ment", "ments", "ness", "ful", "fully", "less", "lessly"]
    private static let stopsAndFricatives: Set<UInt8> = Set("bcdfgkpstvz".utf8)
    private static let doubledBeforeL: Set<UInt8> = Set("bdgptzf".utf8)

    /// Common second parts of compounds, and suffixes, that follow a silent e: homework, milestone.
    private static let secondParts = PartsByLetter([
        "work", "man", "men", "ment", "ly", "ful", "less", "ness", "ship", "like", "wise", "way", "house", "hold", "land",
        "line", "time", "stone", "side", "book", "day", "boat", "board", "ball", "light", "wood", "field", "ville", "town",
        "berg", "burg", "ton", "well", "law", "wright", "smith", "worth", "wall", "walk", "lock", "mark", "place", "room",
        "shop", "ware", "yard", "water", "writer", "maker", "bridge", "brook", "ford", "more", "mont", "stead", "hurst",
        "port", "gate", "bury", "bound", "craft", "fly", "lift", "style", "weight", "breaker", "keeper", "back", "drop",
        "jeans", "mate", "hood", "some", "thing", "one", "body", "where", "fire", "fight", "front", "ground", "sick",
        "cake", "hand", "head", "foot", "horse", "hill", "berry", "let", "lets", "ster", "sters", "nut", "pot", "tail",
    ])

    /// First parts of compounds that end in a silent e: forecast, homeland, lifetime.
    private static let firstParts = PartsByLetter([
        "fore", "care", "home", "life", "fire", "time", "safe", "wide", "whole", "house", "side", "stone", "base", "bare",
        "face", "game", "grave", "hate", "hope", "like", "lime", "line", "love", "name", "nine", "pipe", "race", "rose",
        "some", "store", "tide", "tube", "waste", "wave", "wire", "wise", "white", "cake", "cave", "fame", "file", "fine",
        "gate", "hide", "hole", "horse", "lake", "lane", "mile", "more", "nose", "note", "pale", "place", "plane",
        "plate", "pole", "rice", "ride", "rope", "sale", "shape", "shore", "slave", "smoke", "state", "stove", "spoke",
        "sure", "take", "tone", "type", "vote", "where", "wine", "wife", "grace", "space", "trade",
    ])

    /// Words where re-, de- or co- meets a vowel said on its own: reassure, reinforce, deactivate, cooperate.
    private static let prefixedBeforeVowel = PartsByLetter([
        "reass", "readj", "readm", "reapp", "reinf", "reinv", "reint", "reimb", "reins", "reiter", "reinc", "reaff",
        "reacq", "reactiv", "reaction", "reanal", "reawak", "reorg", "reopen", "reorient", "reunif", "reunion", "reus",
        "reacc", "realloc", "reeval", "reelect", "reenter", "reemerg", "reestab", "reexam", "deactiv", "deesc", "deinst",
        "deemph", "coincid", "cooperat", "coordinat",
    ])
}

/// Word parts grouped by their first letter, so that a rule compares a word only with the parts
/// that can match it (the compound parts were a scan over a hundred entries for every word).
struct PartsByLetter: Sendable {
    private let buckets: [[[UInt8]]]

    init(_ parts: [String]) {
        var buckets = [[[UInt8]]](repeating: [], count: 26)
        for part in parts { buckets[Int(part.utf8.first! - 0x61)].append(Array(part.utf8)) }
        self.buckets = buckets
    }

    /// The parts whose first letter is `letter` (none for a byte outside a-z).
    func starting(with letter: UInt8) -> [[UInt8]] {
        letter &- 0x61 < 26 ? buckets[Int(letter &- 0x61)] : []
    }
}

/// Byte-string helpers for the syllable rules: literals are `StaticString`, so matching reads their
/// bytes in place without building anything.
enum Word {
    static func hasSuffix(_ w: [UInt8], _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        return w.count >= n && matches(w, at: w.count - n, s)
    }

    static func hasPrefix(_ w: [UInt8], _ s: StaticString) -> Bool { matches(w, at: 0, s) }

    /// True when `s` occurs in `w` at `index`.
    static func matches(_ w: [UInt8], at index: Int, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard index >= 0, index + n <= w.count else { return false }
        let p = s.utf8Start
        for k in 0..<n where w[index + k] != p[k] { return false }
        return true
    }

    /// True when the bytes `part` occur in `w` at `index`.
    static func matches(_ w: [UInt8], at index: Int, _ part: [UInt8]) -> Bool {
        guard index >= 0, index + part.count <= w.count else { return false }
        for k in part.indices where w[index + k] != part[k] { return false }
        return true
    }

    /// True for a one-syllable stem followed by one of `endings` (fire, tired): no vowel before the ending.
    static func isSingleSyllableStem(_ w: [UInt8], before endings: [StaticString]) -> Bool {
        for ending in endings where hasSuffix(w, ending) {
            let stem = w[0..<(w.count - ending.utf8CodeUnitCount)]
            return !stem.contains { $0 == a_ || $0 == e_ || $0 == i_ || $0 == o_ || $0 == u_ || $0 == y_ }
        }
        return false
    }
}

// ASCII letters by name, so the rules read like the words they describe.
let a_ = UInt8(ascii: "a"), b_ = UInt8(ascii: "b"), c_ = UInt8(ascii: "c"), d_ = UInt8(ascii: "d"), e_ = UInt8(ascii: "e")
let f_ = UInt8(ascii: "f"), g_ = UInt8(ascii: "g"), h_ = UInt8(ascii: "h"), i_ = UInt8(ascii: "i"), j_ = UInt8(ascii: "j")
let l_ = UInt8(ascii: "l"), m_ = UInt8(ascii: "m"), n_ = UInt8(ascii: "n"), o_ = UInt8(ascii: "o"), p_ = UInt8(ascii: "p")
let q_ = UInt8(ascii: "q"), r_ = UInt8(ascii: "r"), s_ = UInt8(ascii: "s"), t_ = UInt8(ascii: "t"), u_ = UInt8(ascii: "u")
let w_ = UInt8(ascii: "w"), x_ = UInt8(ascii: "x"), y_ = UInt8(ascii: "y"), z_ = UInt8(ascii: "z")
