extension Array {
    /// An array whose elements `write` puts straight into its storage: it is given room for
    /// `capacity` elements, initializes the first ones and returns how many.
    ///
    /// `init(unsafeUninitializedCapacity:initializingWith:)` does the same, but the standard library
    /// of Swift 6.3 allocates it in a function that is never specialized (`_allocateBufferUninitialized`,
    /// `@inline(never)`), which looks the storage class's metadata up at run time: about 250
    /// instructions more an array than this way, by callgrind, and the text layer and the stages make
    /// several arrays a document. `reserveCapacity` and `append(contentsOf:)` are specialized in the
    /// caller.
    @inlinable
    package init(capacity: Int, writingWith write: (UnsafeMutableBufferPointer<Element>) -> Int) {
        self.init()
        reserveCapacity(capacity)
        withoutActuallyEscaping(write) { write in
            append(contentsOf: InPlaceElements(capacity: capacity, write: write))
        }
    }
}

/// A sequence that writes its elements into the storage of the array it is appended to, through
/// `Sequence._copyContents(initializing:)`, which `Array.append(contentsOf:)` calls with the array's
/// free room (see `Array.init(capacity:writingWith:)`).
@usableFromInline
struct InPlaceElements<Element>: Sequence {
    @usableFromInline let capacity: Int
    @usableFromInline let write: (UnsafeMutableBufferPointer<Element>) -> Int

    @inlinable
    init(capacity: Int, write: @escaping (UnsafeMutableBufferPointer<Element>) -> Int) {
        self.capacity = capacity
        self.write = write
    }

    // Zero: the array has its room already, and `append(contentsOf:)` checks that at least the
    // estimate was written, where `write` may write fewer than `capacity`.
    @inlinable var underestimatedCount: Int { 0 }

    @inlinable func makeIterator() -> EmptyCollection<Element>.Iterator { EmptyCollection<Element>.Iterator() }

    @inlinable
    func _copyContents(initializing buffer: UnsafeMutableBufferPointer<Element>) -> (EmptyCollection<Element>.Iterator, Int) {
        precondition(buffer.count >= capacity, "the array has less room than it reserved")
        let count = write(UnsafeMutableBufferPointer(rebasing: buffer[0..<capacity]))
        precondition(count >= 0 && count <= capacity, "wrote \(count) elements into room for \(capacity)")
        return (EmptyCollection<Element>.Iterator(), count)
    }
}
