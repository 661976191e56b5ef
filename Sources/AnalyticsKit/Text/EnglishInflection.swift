/// Base forms of inflected English words, for looking words up in lists that hold only base forms.
public enum EnglishInflection {
    /// Candidate base forms of a lower-case ASCII word, most likely first: plurals and -s forms, -ed,
    /// -ing, -er, -est, -ly, -ness, -ies/-ied/-ier/-iest/-ily to -y, a doubled final consonant
    /// (stopped → stop) and a dropped e (making → make). The word itself is not included.
    public static func baseForms(_ w: [UInt8]) -> [[UInt8]] {
        var forms: [[UInt8]] = []
        func strip(_ suffix: StaticString, add: StaticString = "") {
            let n = suffix.utf8CodeUnitCount
            guard w.count > n + 2, hasSuffix(w, suffix) else { return }
            let stem = Array(w[..<(w.count - n)])
            let addition = Array(UnsafeBufferPointer(start: add.utf8Start, count: add.utf8CodeUnitCount))
            forms.append(stem + addition)
            guard addition.isEmpty else { return }
            if stem.count >= 3, stem[stem.count - 1] == stem[stem.count - 2] { forms.append(Array(stem.dropLast())) }  // stopped
            let name = suffix.description
            if name == "ing" || name == "ed" || name == "er" || name == "est" { forms.append(stem + [UInt8(ascii: "e")]) }  // making
        }
        strip("ies", add: "y")
        strip("ied", add: "y")
        strip("ier", add: "y")
        strip("iest", add: "y")
        strip("ily", add: "y")
        strip("iness", add: "y")
        for suffix: StaticString in ["s", "es", "ed", "d", "ing", "er", "est", "ly", "ness"] { strip(suffix) }
        return forms
    }

    private static func hasSuffix(_ w: [UInt8], _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard w.count >= n else { return false }
        let p = s.utf8Start
        for k in 0..<n where w[w.count - n + k] != p[k] { return false }
        return true
    }

    /// Regular inflections of a lower-case ASCII base word: -s/-es, -ed/-d, -ing, -ly, -ness, -er, -est,
    /// with the usual spelling changes (loving, stopped, happily, happiness, easier).
    public static func inflectedForms(_ w: [UInt8]) -> [[UInt8]] {
        let e = UInt8(ascii: "e"), y = UInt8(ascii: "y")
        // A test, not a `Set`: the sentiment lexicon asks for the forms of thousands of words at start-up.
        func isVowel(_ b: UInt8) -> Bool { b == 0x61 || b == 0x65 || b == 0x69 || b == 0x6F || b == 0x75 }
        func join(_ base: [UInt8], _ suffix: StaticString) -> [UInt8] { base + UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount) }
        func plus(_ suffix: StaticString) -> [UInt8] { join(w, suffix) }
        guard let last = w.last else { return [] }
        var forms: [[UInt8]] = []
        let stem: [UInt8] = last == e ? Array(w.dropLast()) : w
        let consonantY = last == y && w.count >= 2 && !isVowel(w[w.count - 2])
        let yStem: [UInt8] = consonantY ? Array(w.dropLast()) + [UInt8(ascii: "i")] : w
        // A short stressed ending consonant-vowel-consonant doubles: stop → stopped, stopping.
        let doubles = w.count >= 3 && w.count <= 5 && !isVowel(last) && last != UInt8(ascii: "w") && last != UInt8(ascii: "x")
            && last != y && isVowel(w[w.count - 2]) && !isVowel(w[w.count - 3])
        let doubled: [UInt8] = doubles ? w + [last] : stem
        let sibilant = last == UInt8(ascii: "s") || last == UInt8(ascii: "x") || last == UInt8(ascii: "z") || hasSuffix(w, "ch") || hasSuffix(w, "sh")
        forms.append(consonantY ? join(yStem, "es") : (sibilant ? plus("es") : plus("s")))
        forms.append(last == e ? plus("d") : (consonantY ? join(yStem, "ed") : join(doubled, "ed")))
        forms.append(join(last == e && w.count > 2 && w[w.count - 2] != e ? stem : (doubles ? doubled : w), "ing"))
        forms.append(consonantY ? join(yStem, "ly") : (hasSuffix(w, "le") ? Array(w.dropLast()) + [y] : plus("ly")))
        forms.append(consonantY ? join(yStem, "ness") : plus("ness"))
        forms.append(consonantY ? join(yStem, "er") : (last == e ? plus("r") : join(doubled, "er")))
        forms.append(consonantY ? join(yStem, "est") : (last == e ? plus("st") : join(doubled, "est")))
        return forms
    }
}
