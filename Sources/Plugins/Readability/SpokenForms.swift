/// Syllables of tokens that are not spelled as they are said: numbers and abbreviations.
///
/// Numbers are counted as read aloud in English: "2,000" is "two thousand" (3), "2.5" is "two point
/// five" (3), "1985" is read as a year, "nineteen eighty-five" (5), "10:30" is "ten thirty" (3),
/// "18mn" is "eighteen million" (4), "1980s" and "2nd" count as their numbers. Abbreviations that keep
/// their period are counted as their full words ("Mr." as "mister", "Jan." as "January"); initialisms
/// ("U.S.") letter by letter, with W as three.
enum SpokenForms {
    private static let ones = [0, 1, 1, 1, 1, 1, 1, 2, 1, 1]  // -, one ... nine (seven has two)
    private static let teens = [1, 3, 1, 2, 2, 2, 2, 3, 2, 2]  // ten, eleven, twelve, thirteen ... nineteen
    private static let tens = [0, 0, 2, 2, 2, 2, 2, 3, 2, 2]  // -, -, twenty ... ninety (seventy has three)
    private static let zero = 2
    private static let scaleWord = 2  // hundred, thousand, million, billion, trillion: two syllables each

    /// Syllables of a number token's bytes (digits with "," "." ":" and letter suffixes).
    static func numberSyllables(_ token: UnsafeBufferPointer<UInt8>, counter: SyllableCounter) -> Int {
        if let plain = plainIntegerSyllables(token) { return plain }
        // Parts joined by hyphens (19-year-old) are counted one by one.
        if token.contains(0x2D) {
            return token.split(separator: 0x2D).reduce(0) { total, part in
                total + (part.first.map { $0 &- 0x30 < 10 } == true
                    ? numberSyllables(UnsafeBufferPointer(rebasing: part), counter: counter)
                    : counter.count(letters: lowercaseLetters(part)))
            }
        }
        // The digits are read into running counts rather than collected: this runs for the numbers of
        // every document, and arrays of digits were most of its allocations.
        var digits = DigitRun()
        var fraction: DigitRun?
        var clock = 0
        var sawClock = false
        var suffix: [UInt8] = []
        var sawComma = false
        for b in token {
            if b &- 0x30 < 10 {
                if !suffix.isEmpty { break }
                if fraction != nil { fraction!.add(b &- 0x30) } else { digits.add(b &- 0x30) }
            } else if b == 0x2C {
                sawComma = true
            } else if b == 0x2E {
                fraction = DigitRun()
            } else if b == 0x3A {
                clock += digits.clockSyllables
                sawClock = true
                digits = DigitRun()
            } else if b &- 0x61 < 26 || b &- 0x41 < 26 {
                suffix.append(b | 0x20)
            }
        }
        if sawClock { return clock + digits.clockSyllables }
        var total = digits.syllables(asYear: !sawComma && fraction == nil && digits.count == 4)
        if let fraction, fraction.count > 0 {
            total += 1 + fraction.eachDigit  // "point" and each digit
        }
        return total + suffixSyllables(suffix, counter: counter)
    }

    /// A run of digits as it is read, for the syllables of the integer it spells.
    private struct DigitRun {
        /// Digits, leading zeros included.
        private(set) var count = 0
        /// Digits from the first that is not 0.
        private var significant = 0
        /// The value of the first 15 significant digits.
        private var value = 0
        /// The significant digits said one by one (a zero as "zero").
        private var significantEachDigit = 0
        /// Every digit said one by one (a zero as "zero").
        private(set) var eachDigit = 0
        private var first: UInt8 = 0
        private var last: UInt8 = 0

        mutating func add(_ digit: UInt8) {
            if count == 0 { first = digit }
            last = digit
            count += 1
            let said = digit == 0 ? zero : ones[Int(digit)]
            eachDigit += said
            guard significant > 0 || digit != 0 else { return }
            significant += 1
            significantEachDigit += said
            if significant <= 15 { value = value * 10 + Int(digit) }
        }

        /// The integer's syllables; four digits from 1100 to 2099 read as a year when `asYear`.
        func syllables(asYear: Bool) -> Int {
            guard significant > 0 else { return count == 0 ? 0 : zero }
            guard significant <= 15 else { return significantEachDigit }  // read digit by digit
            return integerSyllables(value: value, significantDigits: significant, asYear: asYear)
        }

        /// "10:30" is "ten thirty"; "05" after a colon is "oh five".
        var clockSyllables: Int {
            if count == 2, first == 0 { return last == 0 ? 0 : 1 + ones[Int(last)] }
            return syllables(asYear: false)
        }
    }

    /// The common case without building anything: digits with group commas only ("2016", "2,000"),
    /// at most 15 significant digits; nil for anything else. `DigitRun` reads such a number to the
    /// same count, but keeps more per digit than this needs (2% of the stage when tried for this path).
    private static func plainIntegerSyllables(_ token: UnsafeBufferPointer<UInt8>) -> Int? {
        var value = 0
        var digits = 0
        var significant = 0
        var sawComma = false
        for b in token {
            if b &- 0x30 < 10 {
                digits += 1
                if significant > 0 || b != 0x30 {
                    significant += 1
                    guard significant <= 15 else { return nil }
                    value = value * 10 + Int(b &- 0x30)
                }
            } else if b == 0x2C {
                sawComma = true
            } else {
                return nil
            }
        }
        guard digits > 0 else { return nil }
        return integerSyllables(value: value, significantDigits: significant, asYear: !sawComma && digits == 4)
    }

    private static func suffixSyllables(_ suffix: [UInt8], counter: SyllableCounter) -> Int {
        switch String(decoding: suffix, as: UTF8.self) {
        case "": return 0
        case "s", "st", "nd", "rd", "th": return 0  // 1980s, 2nd: said as the number
        case "mn", "m", "mln", "million", "bn", "b", "bln", "billion", "k", "tn", "trillion", "am", "pm": return 2
        case "km", "kg", "cm", "mm": return 3
        default: return counter.count(letters: suffix)
        }
    }

    /// Syllables of an integer of at most 15 significant digits (none: the number is zero).
    private static func integerSyllables(value: Int, significantDigits: Int, asYear: Bool) -> Int {
        guard significantDigits > 0 else { return zero }
        if asYear && (1100...2099).contains(value) {
            let high = value / 100
            let low = value % 100
            if (2000...2009).contains(value) { return below1000(2) + scaleWord + below1000(low) }  // two thousand five
            if low == 0 { return below100(high) + scaleWord }  // nineteen hundred
            if low < 10 { return below100(high) + 1 + ones[low] }  // nineteen oh five
            return below100(high) + below100(low)  // nineteen eighty-five, twenty nineteen
        }
        var rest = value
        var total = 0
        for scale in [1_000_000_000_000, 1_000_000_000, 1_000_000, 1_000] where rest >= scale {
            total += below1000(rest / scale) + scaleWord
            rest %= scale
        }
        return total + below1000(rest)
    }

    private static func below1000(_ n: Int) -> Int {
        let hundreds = n / 100
        return (hundreds > 0 ? ones[hundreds] + scaleWord : 0) + below100(n % 100)
    }

    private static func below100(_ n: Int) -> Int {
        if n < 10 { return ones[n] }
        if n < 20 { return teens[n - 10] }
        return tens[n / 10] + ones[n % 10]
    }

    // MARK: Abbreviations

    /// Syllables of abbreviations said as their full word, keyed by their letters.
    static let abbreviations: [String: Int] = [
        "mr": 2, "mrs": 2, "ms": 1, "dr": 2, "prof": 3, "st": 1, "jr": 2, "sr": 2, "gen": 3, "gov": 3, "sen": 3,
        "rep": 5, "col": 2, "lt": 3, "sgt": 2, "capt": 2, "cmdr": 3, "adm": 3, "maj": 2, "rev": 3, "hon": 4,
        "pres": 3, "supt": 5, "insp": 3, "det": 3, "jan": 4, "feb": 4, "apr": 2, "aug": 2, "sep": 3, "sept": 3,
        "oct": 3, "nov": 3, "dec": 3, "inc": 5, "corp": 4, "co": 3, "ltd": 3, "etc": 4, "vs": 2, "no": 2,
        "nos": 2, "approx": 5, "dept": 3, "est": 4, "fig": 2, "vol": 2, "ave": 3, "blvd": 3, "rd": 1, "mt": 1,
        "ft": 1, "bros": 2, "al": 1, "cf": 2, "mme": 2, "messrs": 2, "mlle": 3,
    ]

    /// Syllables of a word that keeps its period: a known abbreviation as its word, an initialism
    /// ("u.s.") letter by letter, anything else by its letters.
    static func abbreviationSyllables(_ letters: [UInt8], isInitialism: Bool, counter: SyllableCounter) -> Int {
        if let known = abbreviations[String(decoding: letters, as: UTF8.self)] { return known }
        if isInitialism { return letters.reduce(0) { $0 + ($1 == 0x77 ? 3 : 1) } }
        return counter.count(letters: letters)
    }

    /// The ASCII letters of some bytes, lower-cased.
    static func lowercaseLetters<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for b in bytes {
            if b &- 0x61 < 26 { out.append(b) } else if b &- 0x41 < 26 { out.append(b | 0x20) }
        }
        return out
    }
}
