import Foundation

/// Splits UTF-8 text into tokens in one linear pass over its bytes.
///
/// The rules follow Unicode word boundaries closely enough for English news: inner apostrophes and
/// hyphens stay inside words ("don't", "re-education"), digit groups and decimals stay inside numbers
/// ("2,000", "2.5"), abbreviations keep their period ("Mr.", "U.S."), an em dash between words is its
/// own token, and an emoji keeps its modifiers. Input must be valid UTF-8 (a `String`'s bytes).
struct Tokenizer {
    private let p: UnsafeBufferPointer<UInt8>
    // Tokens, like folded forms, are written through a pointer: straight into the arrays the layer
    // keeps, made large enough to start with (`tokenize`, `tokenizeInPlace`), and into memory of the
    // tokenizer's own only when a text outgrows them.
    private var tokens: UnsafeMutablePointer<Token>
    private var tokenCapacity: Int
    private var tokenCount = 0
    /// The tokens the sentence splitter must look at, in order: those after a line break, sentence
    /// punctuation (. ! ? …) and abbreviations. It skips every other token without reading it. As
    /// many slots as `tokens`.
    private var marks: UnsafeMutablePointer<UInt32>
    private var markCount = 0
    /// Set by a scan to mark the token it pushes next.
    private var marksNext = false
    // The folded forms are written through a pointer: appending byte by byte to an Array checks
    // uniqueness and capacity on every byte, which was the tokenizer's largest cost.
    private var folded: UnsafeMutablePointer<UInt8>
    private var foldedCapacity: Int
    private var foldedCount = 0
    private var i = 0
    /// The flags the next token takes from what came before it: space, a line break, a blank line.
    /// Kept as flags, not as a count of line breaks and a Boolean, so that a token reads them in one
    /// load, without three branches. The start of the text opens a paragraph.
    private var before: Token.Flags = [.spaceBefore, .newlineBefore, .paragraphStart]
    /// Whether `tokens` and `folded` are memory this tokenizer allocated, which it frees when it grows
    /// them; false while they are an array's, which the array frees.
    private var ownsTokens = false
    private var ownsFolded = false
    /// Set when `tokens` must never be replaced (`tokenizeInPlace`, whose array has room for every token).
    private var fixedTokens = false
    /// Set at the first byte of 0x80 or more: every such byte is read by `run`'s scalar branch or
    /// inside a token `emit` folds, which sets it. The layer then needs no pass of its own to learn
    /// whether scalar offsets are byte offsets.
    private var sawNonASCII = false

    /// A tokenizer for `p` writing into the given memory, which it does not own; `marks` has room for
    /// `tokenCapacity` too.
    private init(_ p: UnsafeBufferPointer<UInt8>, tokens: UnsafeMutablePointer<Token>, tokenCapacity: Int, marks: UnsafeMutablePointer<UInt32>,
                 folded: UnsafeMutablePointer<UInt8>, foldedCapacity: Int) {
        self.p = p
        self.tokens = tokens
        self.tokenCapacity = tokenCapacity
        self.marks = marks
        self.folded = folded
        self.foldedCapacity = foldedCapacity
    }

    /// Each thread's memory for the splitter's marks, reused from document to document.
    private static let scratch = ThreadScratch { TokenizerBuffers() }

    /// Texts longer than this are tokenized straight into the layer's token array (`tokenizeInPlace`).
    static let inPlaceBytes = 1 << 20
    /// ...up to this length: the array asks for 32 bytes per byte of text, and a request larger than
    /// the machine's memory may be refused outright, where the scratch path asks only for what it uses.
    private static let inPlaceMostBytes = Int(ProcessInfo.processInfo.physicalMemory / 2) / MemoryLayout<Token>.stride

    /// Tokenizes `bytes` and splits the tokens into sentences and paragraphs (`SentenceSplitter`),
    /// returning the tokens, the buffer their folded forms point into, the sentences and the paragraphs.
    /// Texts over `inPlaceAbove` bytes go through `tokenizeInPlace`; the others start with room for a
    /// token per `bytesPerToken` bytes (both parameters for the test that compares the ways).
    static func tokenize(_ p: UnsafeBufferPointer<UInt8>, inPlaceAbove: Int = inPlaceBytes, bytesPerToken: Int = 4)
        -> (tokens: [Token], folded: [UInt8], sentences: [TokenRange], paragraphs: [TokenRange], isASCII: Bool) {
        // Offsets are stored in 32 bits, and a folded form is at most half as long again as its word:
        // 1.5 * 2^31 fits. The engine refuses longer documents before they get here.
        precondition(p.count <= 1 << 31, "a text of \(p.count) bytes is too long for the text layer (at most 2^31)")
        if p.count > inPlaceAbove && p.count <= inPlaceMostBytes { return tokenizeInPlace(p) }
        // Straight into the layer's arrays: room for a token per `bytesPerToken` bytes (news runs about
        // six) and for the most folded bytes a text can have (half as many again as its bytes). Written
        // into scratch memory and copied out at their exact size, they were more than half of the
        // `memmove` instructions of text layer + frequency. A text with more tokens grows into memory of
        // the tokenizer's own and is copied out once, as every text was before.
        let tokenRoom = p.count / bytesPerToken + 16
        let foldedRoom = p.count + p.count / 2 + 64
        return scratch.withValue { buffers in
            buffers.reserve(marks: tokenRoom)
            var done: Tokenizer?
            var tokens: [Token] = []
            var folded = [UInt8](capacity: foldedRoom) { foldedBuffer in
                tokens = [Token](capacity: tokenRoom) { tokenBuffer in
                    var t = Tokenizer(p, tokens: tokenBuffer.baseAddress!, tokenCapacity: tokenRoom, marks: buffers.marks,
                                      folded: foldedBuffer.baseAddress!, foldedCapacity: foldedRoom)
                    t.run()
                    done = t
                    // What moved into the tokenizer's own memory is no longer in the array.
                    return t.ownsTokens ? 0 : t.tokenCount
                }
                return done!.ownsFolded ? 0 : done!.foldedCount
            }
            let t = done!
            // Marks grown with the tokens replace the thread's (whose room is otherwise larger than this text's).
            if t.marks != buffers.marks { buffers.keep(marks: t.marks, capacity: t.tokenCapacity) }
            if t.ownsTokens {
                tokens = Array(UnsafeBufferPointer(start: t.tokens, count: t.tokenCount))
                t.tokens.deallocate()
            }
            if t.ownsFolded {
                folded = Array(UnsafeBufferPointer(start: t.folded, count: t.foldedCount))
                t.folded.deallocate()
            }
            let (sentences, paragraphs) = tokens.withUnsafeBufferPointer { tokens in
                folded.withUnsafeBufferPointer { folded in
                    SentenceSplitter.split(tokens: tokens, marks: UnsafeBufferPointer(start: t.marks, count: t.markCount), bytes: p, folded: folded)
                }
            }
            buffers.trim()
            return (tokens, folded, sentences, paragraphs, !t.sawNonASCII)
        }
    }

    /// `tokenize` for a long text, writing its tokens into an array made for one token per byte, the
    /// most a text can have, so that it never grows: grown, a long text's tokens (32 bytes each, most
    /// of the layer's memory) were held twice while they were copied. The pages no token reaches are
    /// never touched and take no memory.
    private static func tokenizeInPlace(_ p: UnsafeBufferPointer<UInt8>) -> (tokens: [Token], folded: [UInt8], sentences: [TokenRange],
                                                                          paragraphs: [TokenRange], isASCII: Bool) {
        let capacity = p.count + 8
        let marks = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        defer { marks.deallocate() }
        var folded: [UInt8] = []
        var sentences: [TokenRange] = []
        var paragraphs: [TokenRange] = []
        var isASCII = true
        let tokens = [Token](capacity: capacity) { buffer in
            var t = Tokenizer(p, tokens: buffer.baseAddress!, tokenCapacity: capacity, marks: marks,
                              folded: .allocate(capacity: p.count + 64), foldedCapacity: p.count + 64)
            t.ownsFolded = true
            t.fixedTokens = true
            t.run()
            let foldedBytes = UnsafeBufferPointer(start: t.folded, count: t.foldedCount)
            (sentences, paragraphs) = SentenceSplitter.split(tokens: UnsafeBufferPointer(start: t.tokens, count: t.tokenCount),
                                                             marks: UnsafeBufferPointer(start: marks, count: t.markCount), bytes: p, folded: foldedBytes)
            folded = Array(foldedBytes)
            t.folded.deallocate()
            isASCII = !t.sawNonASCII
            return t.tokenCount
        }
        return (tokens, folded, sentences, paragraphs, isASCII)
    }

    private mutating func growTokens() {
        // Never reached: a text of n bytes has at most n tokens, and `tokenizeInPlace` makes room for n + 8.
        precondition(!fixedTokens, "a text has more tokens than bytes")
        let grown = UnsafeMutablePointer<Token>.allocate(capacity: tokenCapacity * 2)
        grown.moveInitialize(from: tokens, count: tokenCount)
        if ownsTokens { tokens.deallocate() }
        tokens = grown
        ownsTokens = true
        // The marks are always the thread's scratch (or `tokenizeInPlace`'s, which never grows).
        let grownMarks = UnsafeMutablePointer<UInt32>.allocate(capacity: tokenCapacity * 2)
        grownMarks.moveInitialize(from: marks, count: markCount)
        marks.deallocate()
        marks = grownMarks
        tokenCapacity *= 2
    }

    /// Makes room for `extra` more folded bytes.
    @inline(__always) private mutating func reserveFolded(_ extra: Int) {
        if foldedCount + extra > foldedCapacity { growFolded(extra) }
    }

    private mutating func growFolded(_ extra: Int) {
        let capacity = max(foldedCapacity * 2, foldedCount + extra)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: folded, count: foldedCount)
        if ownsFolded { folded.deallocate() }
        folded = grown
        ownsFolded = true
        foldedCapacity = capacity
    }

    private mutating func run() {
        let n = p.count
        while i < n {
            let b = p[i]
            // Letters first, by a direct test: most tokens are words, and the switch's jump table
            // below was an indirect branch taken for every token.
            if ASCIIClass.isLetter(b) {
                scanWord()
                continue
            }
            // A space next, by a direct test too: the word path takes the space after a word, and
            // those after punctuation (", ", ". ") came to the jump table below, whose target
            // alternated with the punctuation's (about 50 mispredicted jumps a document).
            if b == 0x20 {
                before.insert(.spaceBefore)
                i += 1
                continue
            }
            if b < 0x80 {
                switch ASCIIClass.of(b) {
                case .space:
                    if b == 0x0A { lineBreak() }
                    before.insert(.spaceBefore)
                    i += 1
                case .letter: scanWord()
                case .digit: scanNumber()
                case .quote: emitByte(.quote)
                case .punctuation: scanASCIIPunctuation(b)
                case .symbol: emitByte(.symbol)
                }
                continue
            }
            sawNonASCII = true
            let (scalar, length) = decodeScalar(at: i)
            switch UnicodeClass.of(scalar) {
            case .space:
                if scalar == 0x2029 {
                    before.formUnion([.newlineBefore, .paragraphStart])
                } else if scalar == 0x2028 || scalar == 0x85 {
                    lineBreak()
                }
                before.insert(.spaceBefore)
                i += length
            case .letter: scanWord()
            case .digit: scanNumber()
            case .quote: emit(i, i + length, .quote)
            case .punctuation:
                marksNext = scalar == 0x2026  // an ellipsis may end a sentence
                emit(i, i + length, .punctuation)
            case .symbol: emit(i, i + length, .symbol)
            case .emoji: scanEmoji()
            case .mark:
                // A combining mark with nothing to attach to: keep it as a symbol rather than drop text.
                emit(i, i + length, .symbol)
            }
        }
    }

    // MARK: Token kinds

    private mutating func scanWord() {
        if scanASCIIWords() { return }
        let start = i
        scanWordBody()
        var end = i
        var flags: Token.Flags = []
        if i < p.count, p[i] == 0x2E {  // "."
            if let initialismEnd = initialismEnd(from: start) {
                end = initialismEnd
                flags.insert(.abbreviation)
            } else if keepsPeriod(start, end) {
                end += 1
                flags.insert(.abbreviation)
            }
            marksNext = flags.contains(.abbreviation)  // it may end a sentence
        }
        i = end
        emit(start, end, .word, extra: flags)
    }

    /// Takes the commonest tokens, one after another from `i`: ASCII words of at most fifteen letters
    /// and digits followed by a byte that cannot continue them (a space, a comma), each read from one
    /// eight-byte load or two. The general path reads a word's bytes twice, once in `scanWordBody` and
    /// once in `emit`, and decides on each. The space after a word is taken too, and a word that
    /// follows it, here rather than by a return to `run` and a call back.
    ///
    /// The tokenizer's position and counts are kept in locals for the whole run, and stored back when
    /// it ends: stored and loaded again for every word, they cost about four instructions a word.
    /// Returns true when the run ends before a byte that is no letter, false when the word at `i` must
    /// go the general way. Each token must be the one the general path gives.
    @inline(__always) private mutating func scanASCIIWords() -> Bool {
        let n = p.count
        guard n >= 8, let base = p.baseAddress else { return false }
        // Wrapping arithmetic: positions and counts stay below the text's length, under 2^31.
        var i = self.i
        var before = self.before
        var tokenCount = self.tokenCount
        var foldedCount = self.foldedCount
        var tokens = self.tokens
        var folded = self.folded
        defer {
            self.i = i
            self.before = before
            self.tokenCount = tokenCount
            self.foldedCount = foldedCount
        }
        while i &+ 8 <= n {
            let first = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self).littleEndian
            let stops = ASCIIClass.notAlphanumericBits(first)
            // Each branch gives the word's length, the byte after it, its folded bytes (`f`, and past
            // eight `tailF`), its hash and its case flags.
            let length: Int
            let next: UInt8
            let f: UInt64
            var tailF: UInt64 = 0
            let hash: UInt64
            let wordFlags: Token.Flags
            if stops != 0 {
                length = stops.trailingZeroBitCount &>> 3
                next = UInt8(truncatingIfNeeded: first &>> UInt64(truncatingIfNeeded: length &<< 3))
                if Self.mayGoOnAfterASCII(next) { return false }
                let keep: UInt64 = (1 &<< UInt64(truncatingIfNeeded: length &<< 3)) &- 1
                let word = first & keep
                let (upper, lower) = (ASCIIClass.upperBits(word), ASCIIClass.lowerBits(word))
                wordFlags = Self.asciiWordFlags(notLetter: ASCIIClass.highBits & keep & ~(upper | lower), firstIsUpper: upper & 0x80 != 0,
                                                twoUpper: upper & (upper &- 1), lower: lower)
                f = word | upper &>> 2  // 0x80 >> 2 is the case bit 0x20
                hash = TermHash.finish(TermHash.mix(TermHash.basis, f), length: length)
            } else {
                // Eight letters and digits, and up to seven more: about one word in five of news.
                guard i &+ 16 <= n else { return false }
                let second = UnsafeRawPointer(base + (i &+ 8)).loadUnaligned(as: UInt64.self).littleEndian
                let tailStops = ASCIIClass.notAlphanumericBits(second)
                guard tailStops != 0 else { return false }
                let tailLength = tailStops.trailingZeroBitCount &>> 3
                next = UInt8(truncatingIfNeeded: second &>> UInt64(truncatingIfNeeded: tailLength &<< 3))
                if Self.mayGoOnAfterASCII(next) { return false }
                let keep: UInt64 = (1 &<< UInt64(truncatingIfNeeded: tailLength &<< 3)) &- 1
                let tail = second & keep
                let (upper, lower) = (ASCIIClass.upperBits(first), ASCIIClass.lowerBits(first))
                let (tailUpper, tailLower) = (ASCIIClass.upperBits(tail), ASCIIClass.lowerBits(tail))
                let notLetter = ASCIIClass.highBits & ~(upper | lower) | ASCIIClass.highBits & keep & ~(tailUpper | tailLower)
                let twoUpper = upper & (upper &- 1) | tailUpper & (tailUpper &- 1) | (upper != 0 ? tailUpper : 0)
                wordFlags = Self.asciiWordFlags(notLetter: notLetter, firstIsUpper: upper & 0x80 != 0, twoUpper: twoUpper, lower: lower | tailLower)
                f = first | upper &>> 2
                tailF = tail | tailUpper &>> 2
                length = 8 &+ tailLength
                // A word of exactly eight bytes is one group, as `TermHash` groups it.
                let state = TermHash.mix(TermHash.basis, f)
                hash = TermHash.finish(tailLength == 0 ? state : TermHash.mix(state, tailF), length: length)
            }
            if foldedCount &+ 16 > foldedCapacity {
                self.foldedCount = foldedCount
                growFolded(16)
                folded = self.folded
            }
            UnsafeMutableRawPointer(folded + foldedCount).storeBytes(of: f, as: UInt64.self)
            UnsafeMutableRawPointer(folded + (foldedCount &+ 8)).storeBytes(of: tailF, as: UInt64.self)
            let foldStart = foldedCount
            foldedCount &+= length
            if tokenCount == tokenCapacity {
                self.tokenCount = tokenCount
                growTokens()
                tokens = self.tokens
            }
            (tokens + tokenCount).initialize(to: Token(startOffset: Self.offset(i), endOffset: Self.offset(i &+ length), foldStart: Self.offset(foldStart),
                                                       foldEnd: Self.offset(foldedCount), hash: hash, kind: .word, flags: before.union(wordFlags)))
            markIfNeeded(tokenCount, before: before)
            tokenCount &+= 1
            i &+= length
            before = []
            if next == 0x20 {
                i &+= 1
                before = .spaceBefore
            }
            guard i < n, ASCIIClass.isLetter(base[i]) else { return true }
        }
        return false
    }

    /// Whether the byte after a run of ASCII letters and digits may continue the word (don't,
    /// re-education, AT&T, a letter outside ASCII) or give it a period (Mr., U.S.): the fast word
    /// path leaves such words to the general one.
    @inline(__always) private static func mayGoOnAfterASCII(_ next: UInt8) -> Bool {
        next == 0x27 || next == 0x2D || next == 0x26 || next == 0x2E || next >= 0x80
    }

    /// Consumes letters, digits, marks and the joiners that may stand inside a word.
    private mutating func scanWordBody() {
        let n = p.count
        // Whole runs of ASCII letters and digits eight bytes at a time; the loop below decides at the
        // first other byte, exactly as it would have had it walked there byte by byte.
        while i + 8 <= n {
            let stops = ASCIIClass.notAlphanumericBits(Self.load(p, at: i))
            if stops == 0 {
                i += 8
                continue
            }
            i += stops.trailingZeroBitCount / 8
            break
        }
        while i < n {
            let b = p[i]
            if b < 0x80 {
                if ASCIIClass.isAlphanumeric(b) { i += 1; continue }
                if (b == 0x27 || b == 0x2D) && i + 1 < n && startsWordChar(i + 1) { i += 1; continue }  // ' -
                if b == 0x26 && i + 1 < n && ASCIIClass.isUpper(p[i - 1]) && ASCIIClass.isUpper(p[i + 1]) { i += 1; continue }  // AT&T
                return
            }
            let (scalar, length) = decodeScalar(at: i)
            switch UnicodeClass.of(scalar) {
            case .letter, .digit, .mark:
                i += length
            case .quote where scalar == 0x2019 && i + length < n && startsWordChar(i + length):
                i += length  // curly apostrophe inside a word: don’t
            default:
                if scalar == 0x2010 || scalar == 0x2011, i + length < n, startsWordChar(i + length) {
                    i += length  // Unicode hyphens inside a word
                } else {
                    return
                }
            }
        }
    }

    private func startsWordChar(_ at: Int) -> Bool {
        let b = p[at]
        if b < 0x80 { return ASCIIClass.isAlphanumeric(b) }
        let (scalar, _) = decodeScalar(at: at)
        switch UnicodeClass.of(scalar) {
        case .letter, .digit: return true
        default: return false
        }
    }

    /// "U.S.", "U.S.A.", "e.g.": single letters each followed by a period. Returns the end past the last period.
    private func initialismEnd(from start: Int) -> Int? {
        guard i - start == 1 else { return nil }
        var j = start
        var pairs = 0
        while j + 1 < p.count, ASCIIClass.isLetter(p[j]), p[j + 1] == 0x2E {
            pairs += 1
            j += 2
        }
        if pairs >= 2 { return j }
        // A lone capital with a period is an initial ("George W. Bush").
        // "I." is the pronoun ending a sentence far more often than an initial.
        if ASCIIClass.isUpper(p[start]) && p[start] != 0x49 { return start + 2 }
        return nil
    }

    /// "no" and "nos" as `Abbreviations.packed` packs them, written out: as computed globals each was
    /// reached through `swift_once` on every call.
    private static let no: UInt64 = 0x6F6E, nos: UInt64 = 0x73_6F6E

    /// Whether the word in `start..<end`, before a period, keeps it ("Mr.", "Jan.", "No. 1"). The word
    /// is read in one load and lower-cased eight bytes at a time, as `Abbreviations.packed` packs it.
    private func keepsPeriod(_ start: Int, _ end: Int) -> Bool {
        let length = end - start
        guard length <= 7 else { return false }
        let word = Self.load(p, at: start) & ((1 << UInt64(8 * length)) &- 1)
        guard word & ASCIIClass.highBits == 0 else { return false }
        let key = word | ASCIIClass.upperBits(word) >> 2  // 0x80 >> 2 is the case bit 0x20
        if key == Self.no || key == Self.nos {  // "No. 1" but not "he said no."
            var j = end + 1
            while j < p.count, p[j] == 0x20 { j += 1 }
            return j < p.count && ASCIIClass.isDigit(p[j])
        }
        return Abbreviations.keepingPeriod.contains(key)
    }

    private mutating func scanNumber() {
        let start = i
        let n = p.count
        while i < n {
            let b = p[i]
            if ASCIIClass.isDigit(b) { i += 1; continue }
            // Digit groups, decimals and clock times: 2,000  2.5  10:30
            if (b == 0x2C || b == 0x2E || b == 0x3A) && i + 1 < n && ASCIIClass.isDigit(p[i + 1]) { i += 1; continue }
            if b < 0x80 && ASCIIClass.isLetter(b) {
                // Units and ordinals glued to the number: 18mn, 1980s, 2nd, 5km
                scanWordBody()
                break
            }
            if b == 0x2D && i + 1 < n && startsWordChar(i + 1) {  // 19-year-old
                i += 1
                scanWordBody()
                break
            }
            if b >= 0x80 {
                let (scalar, length) = decodeScalar(at: i)
                if UnicodeClass.of(scalar) == .digit { i += length; continue }
            }
            break
        }
        emit(start, i, .number)
    }

    private mutating func scanASCIIPunctuation(_ b: UInt8) {
        let start = i
        var end = i + 1
        if b == 0x2E || b == 0x2D || b == 0x21 || b == 0x3F {
            // "...", "--", "!!!", "?!": one token for a run of the same mark (or of ! and ?)
            while end < p.count, p[end] == b || ((b == 0x21 || b == 0x3F) && (p[end] == 0x21 || p[end] == 0x3F)) {
                end += 1
            }
        }
        marksNext = b == 0x2E || b == 0x21 || b == 0x3F  // it may end a sentence
        if end == start + 1 { emitByte(.punctuation) } else { emit(start, end, .punctuation) }
    }

    private mutating func scanEmoji() {
        let start = i
        let n = p.count
        var (scalar, length) = decodeScalar(at: i)
        i += length
        if (0x1F1E6...0x1F1FF).contains(scalar), i < n {
            let (next, nextLength) = decodeScalar(at: i)
            if (0x1F1E6...0x1F1FF).contains(next) { i += nextLength }  // a flag: two regional indicators
        }
        while i < n {
            (scalar, length) = decodeScalar(at: i)
            if scalar == 0xFE0F || scalar == 0xFE0E || scalar == 0x20E3 || (0x1F3FB...0x1F3FF).contains(scalar)
                || (0xE0020...0xE007F).contains(scalar) {
                i += length
            } else if scalar == 0x200D, i + length < n {
                let (joined, joinedLength) = decodeScalar(at: i + length)
                guard UnicodeClass.of(joined) == .emoji else { break }
                i += length + joinedLength
            } else {
                break
            }
        }
        emit(start, i, .emoji)
    }

    // MARK: Emitting

    /// Notes a line break: the second since the last token makes a blank line, which opens a paragraph.
    @inline(__always) private mutating func lineBreak() {
        before.insert(before.contains(.newlineBefore) ? [.newlineBefore, .paragraphStart] : .newlineBefore)
    }

    /// Emits the one-byte ASCII token at `i` (a quote mark, a comma, a symbol): it folds to itself and
    /// has no case, so it skips `emit`'s eight-byte loop, and it is among the commonest tokens.
    private mutating func emitByte(_ kind: TokenKind) {
        let b = p[i]
        reserveFolded(1)
        folded[foldedCount] = b
        foldedCount &+= 1
        let h = TermHash.finish(TermHash.mix(TermHash.basis, UInt64(b)), length: 1)
        push(Token(startOffset: Self.offset(i), endOffset: Self.offset(i &+ 1), foldStart: Self.offset(foldedCount &- 1),
                   foldEnd: Self.offset(foldedCount), hash: h, kind: kind, flags: before), end: i &+ 1)
    }

    /// Adds the token at `index`, preceded by `before`, to the marks when the sentence splitter must
    /// look at it: after a line break, or where a scan asked for it (`marksNext`).
    @inline(__always) private mutating func markIfNeeded(_ index: Int, before: Token.Flags) {
        if before.contains(.newlineBefore) || marksNext {
            marks[markCount] = UInt32(truncatingIfNeeded: index)
            markCount &+= 1
            marksNext = false
        }
    }

    /// Appends a token and moves past it, to `end`.
    @inline(__always) private mutating func push(_ token: Token, end: Int) {
        if tokenCount == tokenCapacity { growTokens() }
        (tokens + tokenCount).initialize(to: token)
        markIfNeeded(tokenCount, before: before)
        tokenCount &+= 1
        i = end
        before = []
    }

    private mutating func emit(_ start: Int, _ end: Int, _ kind: TokenKind, extra: Token.Flags = []) {
        var flags = extra.union(before)
        // One pass folds, hashes and reads case for ASCII tokens, by far the common case, eight bytes
        // at a time: a byte-by-byte loop here was the text layer's largest cost. Case is kept as bit
        // masks ORed together rather than counted: counting cost two population counts per group,
        // which the default x86-64 target compiles without the popcnt instruction.
        reserveFolded(end - start + 8)  // room for the last eight-byte store
        let foldStart = foldedCount
        var state = TermHash.basis
        var upperSeen: UInt64 = 0
        var lowerSeen: UInt64 = 0
        var twoUpper: UInt64 = 0  // nonzero once two upper-case letters have been seen
        var notLetter: UInt64 = 0  // a bit for each byte that is not a letter
        var asciiOnly = true
        var k = start
        while k < end {
            let taken = min(8, end - k)
            var chunk = Self.load(p, at: k)
            var present = ASCIIClass.highBits
            if taken < 8 {
                chunk &= (1 << UInt64(8 * taken)) &- 1
                present &= (1 << UInt64(8 * taken)) &- 1
            }
            if chunk & ASCIIClass.highBits != 0 {
                asciiOnly = false
                break
            }
            let upperBits = ASCIIClass.upperBits(chunk)
            let lowerBits = ASCIIClass.lowerBits(chunk)
            twoUpper |= upperBits & (upperBits &- 1) | (upperSeen != 0 ? upperBits : 0)
            upperSeen |= upperBits
            lowerSeen |= lowerBits
            notLetter |= present & ~(upperBits | lowerBits)
            let f = chunk | upperBits >> 2  // 0x80 >> 2 is the case bit 0x20
            UnsafeMutableRawPointer(folded + foldedCount + (k - start)).storeBytes(of: f, as: UInt64.self)
            state = TermHash.mix(state, f)  // a short last group is zero-padded, as `TermHash.of` pads it
            k += taken
        }
        var h: UInt64
        if asciiOnly {
            h = TermHash.finish(state, length: end - start)
            foldedCount += end - start
            if kind == .word {
                flags.formUnion(Self.asciiWordFlags(notLetter: notLetter, firstIsUpper: ASCIIClass.isUpper(p[start]),
                                                    twoUpper: twoUpper, lower: lowerSeen))
            }
        } else {
            flags.insert(.nonASCII)
            sawNonASCII = true
            // Scalar by scalar, written straight into the folded buffer and hashed as it goes. A
            // lower-case mapping is at most half as long again as its scalar in UTF-8 (İ, Ⱥ), so room
            // for three times the bytes is never used up; the check is there so that it could not
            // write past the buffer if a later Unicode version said otherwise.
            foldedCount = foldStart
            reserveFolded(3 * (end - start))
            var hasher = TermHasher()
            let folded = folded
            var count = foldedCount
            let limit = foldedCapacity
            CaseFolding.forEachFoldedByte(p, start..<end) { b in
                precondition(count < limit, "a folded token outgrew three times its bytes")
                folded[count] = b
                count += 1
                hasher.add(b)
            }
            foldedCount = count
            h = hasher.value
            if kind == .word {
                let (upper, lower) = Self.caseCounts(p, start..<end)
                if Self.firstLetterIsUpper(p, start) { flags.insert(.capitalized) }
                if upper >= 2 && lower == 0 { flags.insert(.allCaps) }
            }
        }
        push(Token(startOffset: Self.offset(start), endOffset: Self.offset(end), foldStart: Self.offset(foldStart),
                   foldEnd: Self.offset(foldedCount), hash: h, kind: kind, flags: flags), end: end)
    }

    /// The case flags of an ASCII word, from the bit masks of its bytes (one bit per byte): those that
    /// are not letters, those upper case after an upper-case one (nonzero once two are), those lower
    /// case. An ASCII word's first byte is a letter: capitalised when that byte is upper case.
    @inline(__always) private static func asciiWordFlags(notLetter: UInt64, firstIsUpper: Bool, twoUpper: UInt64, lower: UInt64) -> Token.Flags {
        var flags: Token.Flags = []
        if notLetter == 0 { flags.insert(.lettersOnly) }
        if firstIsUpper { flags.insert(.capitalized) }
        if twoUpper != 0 && lower == 0 { flags.insert(.allCaps) }
        return flags
    }

    /// A byte offset as a token stores it. `tokenize` refuses texts whose offsets would not fit, so
    /// that the conversion needs no check per token.
    @inline(__always) private static func offset(_ value: Int) -> UInt32 { UInt32(truncatingIfNeeded: value) }

    /// The eight bytes from `at` as one little-endian integer (the first byte lowest), zeros past the end.
    @inline(__always) private static func load(_ p: UnsafeBufferPointer<UInt8>, at: Int) -> UInt64 {
        if at + 8 <= p.count { return UnsafeRawPointer(p.baseAddress! + at).loadUnaligned(as: UInt64.self).littleEndian }
        var value: UInt64 = 0
        for k in at..<p.count { value |= UInt64(p[k]) << UInt64(8 * (k - at)) }
        return value
    }

    /// The upper-case and lower-case letters of a word that has bytes outside ASCII: ASCII letters by
    /// their bytes, the other scalars by their Unicode properties.
    private static func caseCounts(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> (upper: Int, lower: Int) {
        var (upper, lower) = (0, 0)
        var k = range.lowerBound
        while k < range.upperBound {
            let b = p[k]
            if b < 0x80 {
                if ASCIIClass.isUpper(b) { upper += 1 } else if b &- 0x61 < 26 { lower += 1 }
                k += 1
                continue
            }
            let (value, length) = decodeScalar(p, at: k)
            if let properties = Unicode.Scalar(value)?.properties {
                if properties.isUppercase { upper += 1 } else if properties.isLowercase { lower += 1 }
            }
            k += length
        }
        return (upper, lower)
    }

    /// Static, taking the bytes: as a method it made the compiler copy the whole tokenizer per word.
    private static func firstLetterIsUpper(_ p: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        let b = p[start]
        if b < 0x80 { return ASCIIClass.isUpper(b) }
        let (scalar, _) = decodeScalar(p, at: start)
        return Unicode.Scalar(scalar)?.properties.isUppercase ?? false
    }

    // MARK: UTF-8

    /// Decodes the scalar starting at `at`; the input is valid UTF-8.
    func decodeScalar(at: Int) -> (UInt32, Int) {
        Self.decodeScalar(p, at: at)
    }

    static func decodeScalar(_ p: UnsafeBufferPointer<UInt8>, at: Int) -> (UInt32, Int) {
        let b0 = UInt32(p[at])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return (((b0 & 0x1F) << 6) | (UInt32(p[at + 1]) & 0x3F), 2) }
        if b0 < 0xF0 {
            return (((b0 & 0x0F) << 12) | ((UInt32(p[at + 1]) & 0x3F) << 6) | (UInt32(p[at + 2]) & 0x3F), 3)
        }
        return (((b0 & 0x07) << 18) | ((UInt32(p[at + 1]) & 0x3F) << 12) | ((UInt32(p[at + 2]) & 0x3F) << 6)
                    | (UInt32(p[at + 3]) & 0x3F), 4)
    }
}

/// The memory a thread's tokenizer writes the splitter's marks into, reused from document to document
/// (see `ThreadScratch`).
private final class TokenizerBuffers {
    // A class for its deinit, which frees the memory when the thread ends.
    private(set) var marks: UnsafeMutablePointer<UInt32> = .allocate(capacity: 0)
    private var markCapacity = 0

    /// Marks kept past a document: more, grown for a long document, are let go at the next.
    private static let keptMarks = 1 << 16

    /// Makes room for at least this many marks.
    func reserve(marks count: Int) {
        if markCapacity < count || markCapacity > Self.keptMarks {
            marks.deallocate()
            marks = .allocate(capacity: count)
            markCapacity = count
        }
    }

    /// Takes the marks from a tokenizer that replaced the thread's with more.
    func keep(marks: UnsafeMutablePointer<UInt32>, capacity: Int) {
        self.marks = marks
        markCapacity = capacity
    }

    /// Lets go of marks grown past the kept number once the splitter has read them.
    func trim() {
        if markCapacity > Self.keptMarks {
            marks.deallocate()
            marks = .allocate(capacity: 0)
            markCapacity = 0
        }
    }

    deinit {
        marks.deallocate()
    }
}

/// How the tokenizer treats each ASCII byte.
enum ASCIIClass {
    case space, letter, digit, quote, punctuation, symbol

    static func of(_ b: UInt8) -> ASCIIClass {
        if b &- 0x61 < 26 || b &- 0x41 < 26 { return .letter }
        if b &- 0x30 < 10 { return .digit }
        switch b {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: return .space
        case 0x22, 0x27, 0x60: return .quote  // " ' `
        case 0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x2D, 0x2F: return .punctuation
        case 0..<0x20, 0x7F: return .space  // other control characters separate tokens like spaces
        default: return .symbol
        }
    }

    // Eight bytes at a time: each function below takes eight bytes as a little-endian integer and
    // sets bit 7 of each byte that answers yes (and no other bits). Adding 0x80 - x to a byte below
    // 0x80 sets its bit 7 exactly when the byte is x or more, without a carry into the next byte.

    /// Bit 7 of every byte.
    static let highBits: UInt64 = 0x8080_8080_8080_8080
    @inline(__always) private static func atLeast(_ x: UInt8, _ low: UInt64) -> UInt64 {
        (low &+ 0x0101_0101_0101_0101 &* UInt64(0x80 - x)) & highBits
    }

    /// The bytes that are A to Z; the bytes must be below 0x80.
    @inline(__always) static func upperBits(_ ascii: UInt64) -> UInt64 { atLeast(0x41, ascii) & ~atLeast(0x5B, ascii) }
    /// The bytes that are a to z; the bytes must be below 0x80.
    @inline(__always) static func lowerBits(_ ascii: UInt64) -> UInt64 { atLeast(0x61, ascii) & ~atLeast(0x7B, ascii) }
    /// The bytes that are not ASCII letters or digits (bytes of 0x80 and above included).
    @inline(__always) static func notAlphanumericBits(_ bytes: UInt64) -> UInt64 {
        let low = bytes & ~highBits
        let folded = low | 0x2020_2020_2020_2020  // upper case to lower; digits unchanged
        let letters = atLeast(0x61, folded) & ~atLeast(0x7B, folded)
        let digits = atLeast(0x30, low) & ~atLeast(0x3A, low)
        return ~(letters | digits) & highBits | bytes & highBits
    }

    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { b &- 0x61 < 26 || b &- 0x41 < 26 }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b &- 0x41 < 26 }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isAlphanumeric(_ b: UInt8) -> Bool { isLetter(b) || isDigit(b) }
}

/// How the tokenizer treats a scalar outside ASCII.
enum UnicodeClass {
    case space, letter, digit, mark, quote, punctuation, symbol, emoji

    static func of(_ value: UInt32) -> UnicodeClass {
        switch value {
        case 0x201C, 0x201D, 0x2018, 0x2019, 0x00AB, 0x00BB, 0x201E, 0x201A, 0x2039, 0x203A, 0x201F, 0x201B:
            return .quote
        case 0x00A0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF, 0x0085:
            return .space
        case 0x2010...0x2015, 0x2026, 0x2022, 0x00B7:
            return .punctuation
        case 0x200C, 0x200D, 0xFE00...0xFE0F:
            return .mark
        default:
            break
        }
        guard let scalar = Unicode.Scalar(value) else { return .symbol }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber:
            return .digit
        case .nonspacingMark, .spacingMark, .enclosingMark:
            return .mark
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return .punctuation
        default:
            if properties.isEmojiPresentation || (properties.isEmoji && value >= 0x2190) { return .emoji }
            return properties.isAlphabetic ? .letter : .symbol
        }
    }
}
