/// Growable memory that JSON text is appended to: what `JSONWriter`, the `JSONValue` writers and the
/// output records write into.
///
/// Why not `[UInt8]`: a record is written in a few hundred small appends (a key, a number, a span's
/// start and end), and `Array.append(contentsOf:)` cost about 120 instructions each, more than the
/// bytes it copied (7% of the default news pipeline's instructions). Here an append is a capacity
/// check, a uniqueness check and a copy, inlined at the caller.
///
/// A value type like `Array`: copies share memory until one of them is written to.
public struct JSONBuffer: @unchecked Sendable, Equatable {
    // @unchecked: the storage is only written through a buffer that holds the only reference to it
    // (copy on write), as Array's is.

    /// The memory, freed with its last buffer: the bytes are allocated with the object, in one
    /// allocation, not two (an object pointing to memory of its own cost a `malloc` and a `free` more
    /// for every buffer, such as each document's frequency lists).
    @usableFromInline final class Storage: ManagedBuffer<Void, UInt8> {
        /// New storage with room for at least `capacity` bytes.
        @usableFromInline static func make(capacity: Int) -> Storage {
            unsafeDowncast(create(minimumCapacity: capacity) { _ in }, to: Storage.self)
        }

        /// The first byte: valid as long as the storage is, since the bytes are part of it.
        @usableFromInline var base: UnsafeMutablePointer<UInt8> { withUnsafeMutablePointerToElements { $0 } }

        /// The storage of every empty buffer, so that making one allocates nothing: it is never unique,
        /// so the first append replaces it. Unsafe only to the compiler (`ManagedBuffer` is not
        /// `Sendable`): it holds no bytes and is never written.
        @usableFromInline nonisolated(unsafe) static let empty = make(capacity: 0)
    }

    @usableFromInline var storage: Storage
    /// `storage.base`, kept here so that an append reads no class field.
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    /// How many bytes `storage` holds (its own record of that would be read on every append).
    @usableFromInline var capacity: Int
    /// The number of bytes written.
    @usableFromInline var written: Int

    /// The number of bytes written.
    public var count: Int { written }

    /// An empty buffer; `capacity` bytes are reserved at once when it is above zero.
    public init(capacity: Int = 0) {
        storage = capacity > 0 ? Storage.make(capacity: capacity) : Storage.empty
        base = storage.base
        self.capacity = max(capacity, 0)
        written = 0
    }

    /// A buffer holding `bytes`.
    public init(_ bytes: [UInt8]) {
        self.init(capacity: bytes.count)
        append(contentsOf: bytes)
    }

    /// Makes room for `extra` more bytes in memory this buffer alone holds.
    @inline(never) @usableFromInline mutating func makeRoom(_ extra: Int) {
        let needed = written + extra
        let grown = needed > capacity ? max(needed, 2 * capacity, 64) : capacity
        let replacement = Storage.make(capacity: grown)
        replacement.base.update(from: base, count: written)
        storage = replacement
        base = replacement.base
        capacity = grown
    }

    /// Makes sure the next `extra` bytes can be written at `base + count`.
    @inlinable @inline(__always) mutating func reserveAppending(_ extra: Int) {
        if _slowPath(capacity &- written < extra || !isKnownUniquelyReferenced(&storage)) { makeRoom(extra) }
    }

    /// Appends one byte.
    @inlinable @inline(__always) public mutating func append(_ byte: UInt8) {
        reserveAppending(1)
        base[written] = byte
        written &+= 1
    }

    /// Appends bytes.
    @inlinable @inline(__always) public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        guard n > 0 else { return }
        reserveAppending(n)
        (base + written).update(from: bytes.baseAddress!, count: n)
        written &+= n
    }

    /// Appends the bytes of an array.
    public mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Appends another buffer's bytes.
    public mutating func append(contentsOf other: JSONBuffer) {
        other.withUnsafeBufferPointer { append($0) }
    }

    /// Appends a string's UTF-8 as it is, without JSON escapes (see `JSONValue.writeString` for those).
    public mutating func append(utf8 text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Appends fixed text written into the code, as it is.
    @inlinable @inline(__always) public mutating func append(literal: StaticString) {
        append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends at most `maximum` bytes that `write` writes at the pointer it is given, returning how
    /// many it wrote: for text made a byte at a time (the digits of a number), which then needs no copy.
    @inlinable @inline(__always) public mutating func append(atMost maximum: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserveAppending(maximum)
        let added = write(base + written)
        precondition(added >= 0 && added <= maximum, "wrote more bytes than it reserved")
        written &+= added
    }

    /// Empties the buffer, keeping its memory when it is this buffer's alone.
    public mutating func removeAll() {
        if !isKnownUniquelyReferenced(&storage) { self = JSONBuffer(capacity: capacity) }
        written = 0
    }

    /// Calls `body` with the bytes written, valid only during the call.
    @inlinable public func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(storage) { try body(UnsafeBufferPointer(start: base, count: written)) }
    }

    /// The byte at `index`.
    public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < written, "index out of range")
        return base[index]
    }

    /// The bytes written, as a string (the writers put only UTF-8 in a buffer).
    var string: String { withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) } }

    /// The bytes written, as an array.
    public var array: [UInt8] { withUnsafeBufferPointer { Array($0) } }

    /// True when nothing has been written.
    public var isEmpty: Bool { count == 0 }

    /// Buffers are equal when they hold the same bytes.
    public static func == (a: JSONBuffer, b: JSONBuffer) -> Bool {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in a.elementsEqual(b) } }
    }
}
