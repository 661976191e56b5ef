/// An English clitic after an apostrophe (`couldn't`, `Greece's`, `it'll`, `could've`) and the
/// syllable it is spoken with: the word's syllables are its stem's plus that one.
///
/// CMUdict lists contractions with their apostrophes, which the word lists we ship from it leave out,
/// and counting a contraction's letters as one word gave `couldn't` one syllable (CMUdict: two). The
/// clitic is syllabic only after some sounds, judged here from the stem's last letters:
/// - `n't` after a consonant (`couldn't`, `isn't`, `mustn't`) or `-ve` (`haven't`), not after a silent
///   e (`weren't`, `aren't`: one syllable, as British English says them); `don't`, `can't`, `won't` and
///   `ain't` are not their stem's sound and are counted whole;
/// - `'s` after a sibilant (`Greece's`, `Jones's`, `church's`, `judge's`);
/// - `'ll` and `'ve` after a consonant (`it'll`, `could've`, but `I'll`, `they've`);
/// - `'d` after t or d (`it'd`, `that'd`, but `I'd`);
/// - `'re` and `'m` never.
struct EnglishClitic {
    /// The end of the stem in the word part (the bytes before the apostrophe, or before `n't`).
    let stemEnd: Int
    /// Syllables the clitic adds to the stem's: 0 or 1.
    let syllables: Int

    /// The clitic of a hyphen-free word part in lower-case ASCII, or nil when the part has none that
    /// this knows of (no apostrophe, `o'clock`, `O'Brien`, a plural's `parents'`, `don't`): such a part is
    /// counted by its letters alone.
    init?(part: UnsafeBufferPointer<UInt8>) {
        guard let apostrophe = part.lastIndex(of: 0x27), apostrophe > 0 else { return nil }
        let suffix = UnsafeBufferPointer(rebasing: part[(apostrophe + 1)...])
        let stem = UnsafeBufferPointer(rebasing: part[..<apostrophe])
        let last = stem[stem.count - 1]
        switch Self.packed(suffix) {
        case Self.packed("t") where last == 0x6E && stem.count > 1:  // n't
            let base = UnsafeBufferPointer(rebasing: stem.dropLast())
            let baseLast = base[base.count - 1]
            if Self.isConsonant(baseLast) || (base.count >= 2 && base[base.count - 2] == 0x76 && baseLast == 0x65) {
                self.init(stemEnd: base.count, syllables: 1)  // could-n't, have → haven't
            } else if baseLast == 0x65 {
                self.init(stemEnd: base.count, syllables: 0)  // were → weren't, are → aren't
            } else {
                return nil  // don't, can't, won't, ain't: not the stem's sound
            }
        case Self.packed("s"):
            self.init(stemEnd: apostrophe, syllables: Self.endsInSibilant(stem) ? 1 : 0)
        case Self.packed("ll"), Self.packed("ve"):
            self.init(stemEnd: apostrophe, syllables: Self.isConsonant(last) ? 1 : 0)
        case Self.packed("d"):
            self.init(stemEnd: apostrophe, syllables: last == 0x74 || last == 0x64 ? 1 : 0)
        case Self.packed("re"), Self.packed("m"):
            self.init(stemEnd: apostrophe, syllables: 0)
        default:
            return nil
        }
    }

    private init(stemEnd: Int, syllables: Int) {
        self.stemEnd = stemEnd
        self.syllables = syllables
    }

    /// Up to three bytes as one integer, for the switch above; longer suffixes are none of ours.
    private static func packed(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard bytes.count <= 3 else { return .max }
        return bytes.reduce(UInt64(bytes.count)) { $0 << 8 | UInt64($1) }
    }

    private static func packed(_ text: StaticString) -> UInt64 {
        text.withUTF8Buffer { packed($0) }
    }

    /// A letter that is not a, e, i, o, u or y.
    private static func isConsonant(_ byte: UInt8) -> Bool {
        byte &- 0x61 < 26 && !"aeiouy".utf8.contains(byte)
    }

    /// Ends in s, x, z, sh or ch, or in ce, ge, se or ze (`Greece`, `judge`, `house`, `maze`).
    private static func endsInSibilant(_ stem: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = stem.count
        switch stem[n - 1] {
        case 0x73, 0x78, 0x7A: return true  // s x z
        case 0x68: return n >= 2 && (stem[n - 2] == 0x73 || stem[n - 2] == 0x63)  // sh ch
        case 0x65: return n >= 2 && [0x63, 0x67, 0x73, 0x7A].contains(stem[n - 2])  // ce ge se ze
        default: return false
        }
    }
}
