/// Sixteen bytes read and tested at once, as one vector: the scans that cross a whole text (is it
/// ASCII, is it well-formed UTF-8, where is a JSON string's next escape) pass its plain stretches a
/// block at a time, in less than half the instructions of eight bytes at a time in an integer.
///
/// Compare vectors with vectors (`v .== ByteBlock.splat(0x22)`): against a scalar the compiler
/// compared lane by lane. And read masks through `firstSet`, not `any(_:)`, which went through a
/// generic `min()` that the compiler did not always inline.
enum ByteBlock {
    typealias Bytes = SIMD16<UInt8>

    /// The sixteen bytes at `p`, the first in lane 0; `p` need not be aligned.
    @inline(__always) static func load(_ p: UnsafeRawPointer) -> Bytes {
        p.loadUnaligned(as: Bytes.self)
    }

    /// A block of sixteen copies of `byte`.
    @inline(__always) static func splat(_ byte: UInt8) -> Bytes {
        Bytes(repeating: byte)
    }

    /// The first lane of `mask` that is set, or 16 when none is, from the two 64-bit halves'
    /// trailing zero bits (a set lane is eight set bits).
    @inline(__always) static func firstSet(_ mask: SIMDMask<SIMD16<Int8>>) -> Int {
        let halves = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        return halves[0] != 0 ? halves[0].trailingZeroBitCount / 8 : 8 + halves[1].trailingZeroBitCount / 8
    }

    /// Whether any byte of `block` is 0x80 or above (is not ASCII).
    @inline(__always) static func anyHighBit(_ block: Bytes) -> Bool {
        let halves = unsafeBitCast(block, to: SIMD2<UInt64>.self)
        return (halves[0] | halves[1]) & ASCIIClass.highBits != 0
    }
}
