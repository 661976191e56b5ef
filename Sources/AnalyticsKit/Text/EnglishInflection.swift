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
}
