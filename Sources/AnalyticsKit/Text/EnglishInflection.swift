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

    private static func hasSuffix<Bytes: RandomAccessCollection<UInt8>>(_ w: Bytes, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        return w.count >= n && w.suffix(n).elementsEqual(UnsafeBufferPointer(start: s.utf8Start, count: n))
    }

    /// Regular inflections of a lower-case ASCII base word: -s/-es, -ed/-d, -ing, -ly, -ness, -er, -est,
    /// with the usual spelling changes (loving, stopped, happily, happiness, easier).
    public static func inflectedForms(_ w: [UInt8]) -> [[UInt8]] {
        var forms: [[UInt8]] = []
        w.withUnsafeBufferPointer { w in forEachInflectedForm(of: w) { forms.append(Array($0)) } }
        return forms
    }

    /// Calls `body` with each of `inflectedForms(w)`, in the same order, built in one buffer on the
    /// stack and valid only during the call: the sentiment lexicon asks for the forms of thousands of
    /// words at start-up, and an array per form and per stem was most of its start-up time.
    public static func forEachInflectedForm(of w: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard let last = w.last else { return }
        let e = UInt8(ascii: "e"), y = UInt8(ascii: "y")
        func isVowel(_ b: UInt8) -> Bool { b == 0x61 || b == 0x65 || b == 0x69 || b == 0x6F || b == 0x75 }
        /// A stem: the word without its last `drop` bytes, then `extra` if any.
        typealias Stem = (drop: Int, extra: UInt8?)
        let word: Stem = (0, nil)
        let withoutE: Stem = last == e ? (1, nil) : word
        let consonantY = last == y && w.count >= 2 && !isVowel(w[w.count - 2])
        let yStem: Stem = consonantY ? (1, UInt8(ascii: "i")) : word
        // A short stressed ending consonant-vowel-consonant doubles: stop → stopped, stopping.
        let doubles = w.count >= 3 && w.count <= 5 && !isVowel(last) && last != UInt8(ascii: "w") && last != UInt8(ascii: "x")
            && last != y && isVowel(w[w.count - 2]) && !isVowel(w[w.count - 3])
        let doubled: Stem = doubles ? (0, last) : withoutE
        let sibilant = last == UInt8(ascii: "s") || last == UInt8(ascii: "x") || last == UInt8(ascii: "z") || hasSuffix(w, "ch") || hasSuffix(w, "sh")
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: w.count + 8) { buffer in
            let form = buffer.baseAddress!
            func emit(_ stem: Stem, _ suffix: StaticString) {
                var n = w.count - stem.drop
                form.update(from: w.baseAddress!, count: n)
                if let extra = stem.extra { form[n] = extra; n += 1 }
                for k in 0..<suffix.utf8CodeUnitCount { form[n] = suffix.utf8Start[k]; n += 1 }
                body(UnsafeBufferPointer(start: form, count: n))
            }
            if consonantY { emit(yStem, "es") } else if sibilant { emit(word, "es") } else { emit(word, "s") }
            if last == e { emit(word, "d") } else if consonantY { emit(yStem, "ed") } else { emit(doubled, "ed") }
            emit(last == e && w.count > 2 && w[w.count - 2] != e ? withoutE : (doubles ? doubled : word), "ing")
            if consonantY { emit(yStem, "ly") } else if hasSuffix(w, "le") { emit((1, y), "") } else { emit(word, "ly") }
            emit(yStem, "ness")
            if consonantY { emit(yStem, "er") } else if last == e { emit(word, "r") } else { emit(doubled, "er") }
            if consonantY { emit(yStem, "est") } else if last == e { emit(word, "st") } else { emit(doubled, "est") }
        }
    }
}
